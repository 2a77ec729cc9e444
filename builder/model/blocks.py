"""Blocks: named groups of nodes ("encoder", "block_3"), which the canvas can show collapsed as one card, which
nest, and whose definition can be used several times (copies with their own weights, or shared uses that call
the same layers on several inputs).

The graph stays flat: every use of a block has its own nodes, so inference, wiring and every other room see
ordinary nodes. A block is metadata on top of them:

  - each member node carries the id of its innermost block in its `block` attribute (so a rename, a removal and
    its undo keep the membership without the document knowing about blocks);
  - graph.graph["blocks"] maps a block id to {"kind", "collapsed", "parent", "definition", "shared",
    "input_names"}:
      kind        "group" (exported inline, or as a function for copies), "model" (a nested functional
                  keras.Model) or "sequential" (a nested keras.Sequential: its members are one chain);
      collapsed   shown as one card;
      parent      the enclosing block's id, or None (a top-level block);
      definition  the name shared by the uses of one definition (None: a block of its own); the uses'
                  members correspond in document order, and a definition's uses all have the same layers and
                  inner wiring;
      shared      True when the uses of the definition call the same layers (one set of weights);
      input_names the Keras names of a model block's inputs (kept from an import so a rebuild is identical).

A block's inputs are the tensors that cross its border inwards (each source once, ordered by the first member
that reads it, in document order and port order); its outputs are the members read from outside the block or
read by nothing (the model's outputs), in document order. The checks are in builder/model/block_checks.py.
No Qt and no Keras here.
"""

from __future__ import annotations

import copy
import heapq

from builder.model.errors import GraphError

KINDS = ("group", "model", "sequential")
MODEL_KINDS = ("model", "sequential")  # a nested keras.Model, functional or Sequential
MAX_DEPTH = 32  # blocks inside blocks; every walk up the parents stops there
BLOCK_KEYS = ("id", "members", "kind", "collapsed", "parent", "definition", "shared", "input_names")


class InvalidBlock(GraphError):
    pass


def blocks_of(graph) -> dict:
    """block id -> its metadata (the graph's own dict: do not change it outside a command)."""
    return graph.graph.get("blocks") or {}


def block_of(graph, node) -> str | None:
    """The innermost block `node` is in, or None."""
    block = graph.nodes[node].get("block")
    return block if block in blocks_of(graph) else None


def new_meta(kind: str = "group", collapsed: bool = False, parent=None, definition=None, shared: bool = False,
             input_names=None) -> dict:
    return {"kind": kind, "collapsed": bool(collapsed), "parent": parent, "definition": definition,
            "shared": bool(shared), "input_names": list(input_names) if input_names else None}


def parent_of(graph, block) -> str | None:
    return blocks_of(graph)[block].get("parent")


def ancestors(graph, block) -> list[str]:
    """The blocks enclosing `block`, innermost first."""
    out, meta = [], blocks_of(graph)
    parent = meta[block].get("parent")
    while parent is not None and parent in meta and parent not in out:
        out.append(parent)
        parent = meta[parent].get("parent")
    return out


def chain_of(graph, node) -> list[str]:
    """Every block `node` is in, innermost first."""
    block = block_of(graph, node)
    return [] if block is None else [block, *ancestors(graph, block)]


def children(graph, block) -> list[str]:
    return [b for b, m in blocks_of(graph).items() if m.get("parent") == block]


def direct_members(graph, block) -> list[str]:
    return [n for n, b in graph.nodes(data="block") if b == block]


def members(graph, block) -> list[str]:
    """Every node inside `block`, nested blocks included, in document order."""
    inside = {block, *_descendants(graph, block)}
    return [n for n, b in graph.nodes(data="block") if b in inside]


def members_by_block(graph, meta: dict | None = None, membership=None) -> dict[str, list[str]]:
    """block id -> every node inside it (nested blocks included), in document order, for all blocks at once:
    one pass over the nodes (members() per block would walk the graph once per block)."""
    meta = blocks_of(graph) if meta is None else meta
    out: dict[str, list[str]] = {b: [] for b in meta}
    pairs = graph.nodes(data="block") if membership is None else ((n, membership.get(n)) for n in graph)
    for node, block in pairs:
        seen = 0
        while block in meta and seen <= MAX_DEPTH:  # a parent loop (refused by problems()) ends here too
            out[block].append(node)
            block = meta[block].get("parent")
            seen += 1
    return out


def _descendants(graph, block) -> list[str]:
    out, todo = [], [block]
    while todo:
        current = todo.pop()
        for child in children(graph, current):
            if child not in out:
                out.append(child)
                todo.append(child)
    return out


def border_inputs(graph, block, inside: set | None = None) -> list[str]:
    """The sources outside `block` that feed it, each once, in the order the members read them."""
    ordered, inside = _ordered(graph, block, inside)
    seen = []
    for node in ordered:
        wires = sorted(((u, e.get("port")) for u, keyed in graph._pred[node].items() for e in keyed.values()),
                       key=lambda w: w[1] if isinstance(w[1], int) else 1 << 30)
        for source, _port in wires:
            if source not in inside and source not in seen:
                seen.append(source)
    return seen


def border_outputs(graph, block, inside: set | None = None) -> list[str]:
    """The members whose tensor leaves the block (read outside it, or by nothing: a model output)."""
    ordered, inside = _ordered(graph, block, inside)
    return [n for n in ordered if not graph._succ[n] or any(t not in inside for t in graph._succ[n])]


def _ordered(graph, block, inside) -> tuple[list, set]:
    """(the block's nodes in document order, as a set): `inside` given as a list is taken as ordered (what
    members() and members_by_block() give), as a set it is put in order (a walk over the graph)."""
    if inside is None:
        inside = members(graph, block)
    if isinstance(inside, list):
        return inside, set(inside)
    return [n for n in graph if n in inside], inside


def uses(graph, definition) -> list[str]:
    """The blocks that are uses of `definition`, in the document order of their first member."""
    if definition is None:
        return []
    meta = blocks_of(graph)
    first = {}
    for node, block in graph.nodes(data="block"):
        for b in ([block, *ancestors(graph, block)] if block in meta else []):
            first.setdefault(b, len(first))
    found = [b for b, m in meta.items() if m.get("definition") == definition]
    return sorted(found, key=lambda b: first.get(b, 1 << 30))


def corresponding(graph, node, block, other) -> str:
    """The member of `other` (a use of the same definition as `block`) that corresponds to `node`."""
    mine, theirs = members(graph, block), members(graph, other)
    return theirs[mine.index(node)]


def top_level_items(graph) -> list[str]:
    """What a fully collapsed canvas shows: the top-level blocks and the nodes outside any block."""
    meta = blocks_of(graph)
    return [b for b, m in meta.items() if m.get("parent") is None] + [n for n in graph if block_of(graph, n) is None]


def visible_items(graph) -> list[tuple[str, str]]:
    """('block', id) for each collapsed block nothing collapsed encloses, ('node', id) for each node no collapsed
    block hides: what the canvas draws."""
    meta = blocks_of(graph)
    hidden = set()
    shown = []
    for block, m in meta.items():
        outer = [block, *ancestors(graph, block)]
        if any(meta[b].get("collapsed") for b in outer[1:]):
            hidden.add(block)
    for block, m in meta.items():
        if m.get("collapsed") and block not in hidden:
            shown.append(("block", block))
    for node in graph:
        if not any(meta[b].get("collapsed") for b in chain_of(graph, node)):
            shown.append(("node", node))
    return shown


def collapsed_owner(graph, node) -> str | None:
    """The outermost collapsed block that hides `node`, or None when it is shown."""
    owner = None
    for block in chain_of(graph, node):
        if blocks_of(graph)[block].get("collapsed"):
            owner = block
    return owner


def level_of(graph, node, parent) -> tuple[str, str] | None:
    """The item at the level under `parent` that holds `node`: ('node', id), ('block', id), or None when the
    node is not inside `parent`."""
    meta = blocks_of(graph)
    block = graph.nodes[node].get("block")
    block = block if block in meta else None
    if block == parent:
        return ("node", node)
    while block is not None:
        up = meta[block].get("parent")
        if up == parent:
            return ("block", block)
        block = up
    return None


def level_items(graph, parent, order: dict) -> list[tuple[str, str]]:
    """The items under `parent` (None: the whole model) in a topological order of the contracted graph; `order`
    maps each node to its document index (ties go by the first member)."""
    item_of, first = {}, {}
    for node in graph:
        item = level_of(graph, node, parent)
        if item is not None:
            item_of[node] = item
            first.setdefault(item, order[node])
    preds = {item: set() for item in first}
    for u, v in graph.edges():
        a, b = item_of.get(u), item_of.get(v)
        if a is not None and b is not None and a != b:
            preds[b].add(a)
    succs = {item: [] for item in first}
    for item, before in preds.items():
        for p in before:
            succs[p].append(item)
    waiting = {item: len(before) for item, before in preds.items()}
    heap = [(first[item], item) for item, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        _rank, item = heapq.heappop(heap)
        out.append(item)
        for succ in succs[item]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(heap, (first[succ], succ))
    return out


def snapshot(graph) -> tuple[dict, dict]:
    """(metadata, membership) as they are, deep-copied, for undo."""
    return copy.deepcopy(dict(blocks_of(graph))), {n: b for n, b in graph.nodes(data="block") if b is not None}


def free_block_id(graph, prefix: str = "block") -> str:
    taken = set(blocks_of(graph))
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"
