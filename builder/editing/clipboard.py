"""Copy and paste as plain text: a selection is a small project document (the same JSON as a file), so it
travels through the system clipboard between windows, or through a text editor, and is read with the same
checks as a file.

    text = copy_text(doc, ["conv_3x3", "pool"])     # the nodes, the wires between them, relative positions
    command = Paste(text, at=(400, 120))            # one undo step; ids made fresh (conv_3x3 -> conv_3x3_2)
    history.push(command); command.added            # the ids the pasted nodes got
"""

from __future__ import annotations

import copy
import re

import networkx as nx

from builder.catalog.specs import is_merge_layer
from builder.editing.commands import Command
from builder.files import project
from builder.files.project import ProjectError
from builder.model.blocks import blocks_of, members_by_block
from builder.model.document import MAX_ID_LENGTH, GraphDocument, GraphError

_NUMBERED = re.compile(r"^(.*\S)_(\d+)$")
MAX_CLIPBOARD_CHARS = 16 * 1024 * 1024  # a selection of 20,000 nodes is about 2 MB


class NotASelection(GraphError):
    """Pasted text that is not a copied selection; the message says why."""


def extract(doc: GraphDocument, node_ids, positions: dict | None = None) -> nx.MultiDiGraph:
    """The sub-document of `node_ids`: their layers and params, the wires between them (ports renumbered
    from 0 on merge layers that lose an input), positions relative to the top-left of the selection.
    `positions` overrides the document's (the canvas passes where unplaced nodes are shown)."""
    chosen = [n for n in doc.node_ids() if n in set(node_ids)]
    where = {**doc.positions, **(positions or {})}
    graph = nx.MultiDiGraph()
    for node in chosen:
        # Everything the file keeps for a node (an imported layer's Keras config too), not just layer and params.
        graph.add_node(node, **{**doc.graph.nodes[node], "params": doc.params(node)})
    for node in chosen:
        kept = [source for source, _port in doc.inputs_of(node) if source in graph]
        if is_merge_layer(doc.layer(node)):
            wires = list(enumerate(kept))  # a merge layer's ports have no gaps
        else:
            wires = [(port, source) for source, port in doc.inputs_of(node) if source in graph]
        for port, source in wires:
            graph.add_edge(source, node, port=port)
    _keep_whole_blocks(doc, graph)
    placed = {n: where[n] for n in chosen if n in where}
    if placed:
        left = min(x for x, _y in placed.values())
        top = min(y for _x, y in placed.values())
        graph.graph["ui"] = {"positions": {n: (x - left, y - top) for n, (x, y) in placed.items()}}
    return graph


def _keep_whole_blocks(doc: GraphDocument, graph: nx.MultiDiGraph):
    """The blocks all of whose nodes are copied travel with them (a collapsed card copied is a block pasted);
    a node of a block copied in part is copied into the nearest whole block around it, or none."""
    meta = blocks_of(doc.graph)
    if not meta:
        return
    holding = members_by_block(doc.graph)
    kept = {b: dict(m) for b, m in meta.items() if holding[b] and all(n in graph for n in holding[b])}
    for m in kept.values():
        while m.get("parent") is not None and m["parent"] not in kept:
            m["parent"] = meta[m["parent"]].get("parent")
    for node, data in graph.nodes(data=True):
        block = data.get("block")
        while block is not None and block not in kept:
            block = meta.get(block, {}).get("parent")
        if block is None:
            data.pop("block", None)
        else:
            data["block"] = block
    if kept:
        graph.graph["blocks"] = kept


def copy_text(doc: GraphDocument, node_ids, positions: dict | None = None) -> str:
    return project.dumps(extract(doc, node_ids, positions))


def read_selection(text) -> nx.MultiDiGraph:
    """The selection in pasted text, or NotASelection saying why it cannot be pasted."""
    if not isinstance(text, str) or not text.strip():
        raise NotASelection("nothing to paste: the clipboard holds no text; copy nodes first (Ctrl+C)")
    if len(text) > MAX_CLIPBOARD_CHARS:
        raise NotASelection(f"cannot paste: the clipboard holds {len(text):,} characters, more than a copied "
                            "selection; copy nodes from Keras Canvas (Ctrl+C)")
    try:
        graph = project.parse(text, "the clipboard")
    except ProjectError as exc:
        first = exc.problems[0] if exc.problems else str(exc)
        more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
        raise NotASelection(f"cannot paste: the clipboard is not a Keras Canvas selection: {first}{more}") from None
    if not len(graph):
        raise NotASelection("cannot paste: the copied selection holds no nodes")
    return graph


def fresh_id(node_id: str, taken) -> str:
    """node_id if free, else the next free numbered form: conv_3x3 -> conv_3x3_2, conv_2 -> conv_3."""
    if node_id not in taken:
        return node_id
    match = _NUMBERED.match(node_id)
    stem, n = (match.group(1), int(match.group(2)) + 1) if match else (node_id, 2)
    while True:
        suffix = f"_{n}"
        candidate = stem[:MAX_ID_LENGTH - len(suffix)].rstrip() + suffix  # stays a valid id however long
        if candidate not in taken:
            return candidate
        n += 1


class Paste(Command):
    """Add a copied selection (text or an extracted graph) with its top-left at `at`, its wires kept and
    every id made fresh. One undo step; `added` lists the new ids in the order of the selection."""

    def __init__(self, selection, at=(0.0, 0.0), text: str | None = None):
        self.graph = read_selection(selection) if isinstance(selection, str) else selection
        self.at = (float(at[0]), float(at[1]))
        self.added: list[str] = []
        self.renamed: dict[str, str] = {}
        self.old_blocks: dict | None = None
        count = len(self.graph)
        self.text = text or (f"Paste {next(iter(self.graph))}" if count == 1 else f"Paste {count} nodes")

    def do(self, doc):
        taken = set(doc.node_ids())
        self.renamed = {}
        for node in self.graph:
            self.renamed[node] = fresh_id(node, taken)
            taken.add(self.renamed[node])
        relative = (self.graph.graph.get("ui") or {}).get("positions") or {}
        unplaced = [n for n in self.graph if n not in relative]
        bottom = max((y for _x, y in relative.values()), default=-120.0)
        done: list[str] = []
        try:
            for node, data in self.graph.nodes(data=True):
                # A selection from a script may have no positions: those nodes go in a row below the rest.
                dx, dy = relative.get(node) or (unplaced.index(node) * 240.0, bottom + 120.0)
                # Through add_node with everything a node carries, so the document checks it and its
                # listeners hear of the node complete (an imported layer's config and stored Keras shape too).
                doc.add_node(self.renamed[node], data["layer"], dict(data.get("params") or {}),
                             (self.at[0] + dx, self.at[1] + dy), config=data.get("config"),
                             keras_shape=data.get("keras_shape"))
                done.append(self.renamed[node])
            wires = sorted(self.graph.edges(data="port"), key=lambda w: (w[1], w[2]))
            for source, target, port in wires:
                doc.connect(self.renamed[source], self.renamed[target], port)
            self.old_blocks = self._add_blocks(doc)
        except GraphError:
            for node in reversed(done):
                doc.remove_node(node)
            raise
        self.added = done

    def _add_blocks(self, doc):
        """The copied blocks, under fresh names, holding the pasted nodes; returns the blocks as they were (None:
        nothing to put back)."""
        copied = blocks_of(self.graph)
        if not copied:
            return None
        old = copy.deepcopy(dict(blocks_of(doc.graph)))
        meta = copy.deepcopy(old)
        fresh = {}
        for block in copied:
            fresh[block] = fresh_id(block, set(meta) | set(fresh.values()))
        for block, m in copied.items():
            meta[fresh[block]] = {**copy.deepcopy(m), "parent": fresh.get(m.get("parent"))}
        membership = {self.renamed[n]: fresh[b] for n, b in self.graph.nodes(data="block") if b in fresh}
        doc.set_blocks(meta, membership)
        return old

    def undo(self, doc):
        if self.old_blocks is not None:
            doc.set_blocks(copy.deepcopy(self.old_blocks), {n: None for n in self.added})
        for node in reversed(self.added):
            doc.remove_node(node)

