"""Block edits, each one undo step (builder/model/blocks.py says what a block is): create a block from a selection,
ungroup, rename, collapse or expand, use a definition again (a copy, or a shared use), edit a definition (every
use changes), detach a use into its own copy. Every one but the last two is a SetBlocks, which replaces the block
metadata and the membership of the nodes it touches and keeps the old ones, so undo is exact. No Qt here.
"""

from __future__ import annotations

import copy

from builder.editing.clipboard import Paste, extract
from builder.editing.commands import Command, Macro, SetParam
from builder.model.block_checks import block_errors, problems, trial_graph
from builder.model.blocks import (
    InvalidBlock,
    block_of,
    blocks_of,
    chain_of,
    children,
    corresponding,
    direct_members,
    free_block_id,
    members,
    new_meta,
    uses,
)
from builder.model.document import UNSET, GraphDocument, check_node_id
from builder.quoting import quote


class SetBlocks(Command):
    """Replace the block metadata and the membership of some nodes; undo puts both back exactly."""

    def __init__(self, meta: dict, membership: dict, text: str):
        self.meta = copy.deepcopy(meta)
        self.membership = dict(membership)
        self.text = text
        self.old_meta: dict | None = None
        self.old_membership: dict = {}

    def do(self, doc: GraphDocument):
        graph = doc.graph
        for node in self.membership:
            doc.layer(node)  # an unknown node is refused before anything changes
        whole = {n: b for n, b in graph.nodes(data="block") if b is not None}
        whole.update({n: b for n, b in self.membership.items()})
        whole = {n: b for n, b in whole.items() if b is not None}
        found = problems(graph, self.meta, whole)
        if found:
            raise InvalidBlock(found[0])
        self.old_meta = copy.deepcopy(dict(blocks_of(graph)))
        self.old_membership = {n: graph.nodes[n].get("block") for n in self.membership}
        doc.set_blocks(copy.deepcopy(self.meta), self.membership)

    def undo(self, doc: GraphDocument):
        doc.set_blocks(copy.deepcopy(self.old_meta), self.old_membership)


def _meta(doc) -> dict:
    return copy.deepcopy(dict(blocks_of(doc.graph)))


def _check_block(doc, block):
    if block not in blocks_of(doc.graph):
        raise InvalidBlock(f"there is no block {quote(block)}")


def create_block(doc: GraphDocument, nodes, name: str | None = None, kind: str = "group",
                 collapsed: bool = False) -> tuple[str, SetBlocks]:
    """A new block holding the selected nodes (and every block all of whose nodes are selected), inside the
    innermost block that holds them all. Refused, saying why, for an empty selection, a block selected only in
    part, or a selection that a wire leaves and re-enters (it could not be one card)."""
    graph = doc.graph
    chosen = [n for n in doc.node_ids() if n in set(nodes)]
    if not chosen:
        raise InvalidBlock("select the nodes the block should hold first")
    block = name if name is not None else free_block_id(graph)
    check_node_id(block)
    if block in blocks_of(graph):
        raise InvalidBlock(f"there is already a block {quote(block)}; choose another name")
    chains = [chain_of(graph, n) for n in chosen]
    common = set(chains[0]).intersection(*map(set, chains[1:])) if chains else set()
    parent = next((b for b in chains[0] if b in common), None)
    meta = _meta(doc)
    membership, moved = {}, set()
    picked = set(chosen)
    for node, chain in zip(chosen, chains):
        below = chain[:chain.index(parent)] if parent is not None else chain
        if not below:
            membership[node] = block
            continue
        outer = below[-1]  # the block right under the new one that holds this node
        if outer not in moved:
            missing = [n for n in members(graph, outer) if n not in picked]
            if missing:
                raise InvalidBlock(f"{node} is in the block {outer}, which is selected only in part ({missing[0]} is "
                                   f"not); select all of {outer} or none of it")
            moved.add(outer)
            meta[outer]["parent"] = block
    meta[block] = new_meta(kind, collapsed, parent)
    command = SetBlocks(meta, membership, f"Create block {block}")
    _refuse_broken(doc, command, block)
    return block, command


def _refuse_broken(doc, command: SetBlocks, block: str):
    """Refuse a block that is not one piece (a wire leaves it and comes back), before anything changes."""
    whole = {n: b for n, b in doc.graph.nodes(data="block") if b is not None}
    whole.update(command.membership)
    error = block_errors(trial_graph(doc.graph, command.meta, whole)).get(block)
    if error:
        raise InvalidBlock(error)


def ungroup(doc: GraphDocument, block: str) -> SetBlocks:
    """Remove the block, keeping its nodes (and nested blocks) where it stood."""
    _check_block(doc, block)
    meta = _meta(doc)
    parent = meta[block].get("parent")
    for child in children(doc.graph, block):
        meta[child]["parent"] = parent
    del meta[block]
    return SetBlocks(meta, {n: parent for n in direct_members(doc.graph, block)}, f"Ungroup {block}")


def rename_block(doc: GraphDocument, block: str, new: str) -> SetBlocks:
    _check_block(doc, block)
    check_node_id(new)
    if new != block and new in blocks_of(doc.graph):
        raise InvalidBlock(f"cannot rename {block} to {quote(new)}: there is already such a block")
    meta = {}
    for b, m in _meta(doc).items():
        if m.get("parent") == block:
            m["parent"] = new
        meta[new if b == block else b] = m
    return SetBlocks(meta, {n: new for n in direct_members(doc.graph, block)}, f"Rename block {block} to {new}")


def set_collapsed(doc: GraphDocument, blocks, collapsed: bool) -> SetBlocks:
    blocks = list(dict.fromkeys(blocks))
    meta = _meta(doc)
    for block in blocks:
        _check_block(doc, block)
        meta[block]["collapsed"] = bool(collapsed)
    word = "Collapse" if collapsed else "Expand"
    return SetBlocks(meta, {}, f"{word} {blocks[0]}" if len(blocks) == 1 else f"{word} {len(blocks)} blocks")


def toggle_collapsed(doc: GraphDocument, block: str) -> SetBlocks:
    _check_block(doc, block)
    return set_collapsed(doc, [block], not blocks_of(doc.graph)[block].get("collapsed"))


def detach(doc: GraphDocument, block: str) -> SetBlocks:
    """Make a use of a definition a block of its own (its own weights, no longer changed with the others)."""
    _check_block(doc, block)
    meta = _meta(doc)
    definition = meta[block].get("definition")
    if definition is None:
        raise InvalidBlock(f"{block} is not a use of a definition; there is nothing to detach it from")
    meta[block]["definition"] = None
    meta[block]["shared"] = False
    left = [b for b in uses(doc.graph, definition) if b != block]
    if len(left) == 1:  # a definition with one use is a block of its own too
        meta[left[0]]["definition"], meta[left[0]]["shared"] = None, False
    return SetBlocks(meta, {}, f"Detach {block} from {definition}")


class UseAgain(Command):
    """Add another use of a block's definition: its nodes copied with fresh ids (the inner wires and nested blocks
    too), placed at an offset, as a copy (its own weights) or a shared use (the same layers called on another
    input). The new use's inputs and outputs are left for the person to wire, so it opens expanded.
    `block_id` is the new block."""

    def __init__(self, block: str, shared: bool = False, offset=(0.0, 360.0)):
        self.block, self.shared, self.offset = block, bool(shared), offset
        self.paste: Paste | None = None
        self.set_blocks: SetBlocks | None = None
        self.block_id: str | None = None
        self.text = f"Use {block} again" + (" (shared)" if shared else " (copy)")

    def do(self, doc: GraphDocument):
        graph = doc.graph
        _check_block(doc, self.block)
        source = blocks_of(graph)[self.block]
        definition = source.get("definition")
        if definition is not None and bool(source.get("shared")) != self.shared:
            way = "shared" if source.get("shared") else "copies"
            raise InvalidBlock(f"the uses of {definition} are {way}; use it again the same way, or detach {self.block} "
                               "first")
        inside = members(graph, self.block)
        where = {n: doc.positions[n] for n in inside if n in doc.positions}
        left = min((x for x, _y in where.values()), default=0.0)
        top = min((y for _x, y in where.values()), default=0.0)
        copied = extract(doc, inside)
        copied.graph.pop("blocks", None)  # the new use's blocks are made below, under the definition
        for _node, data in copied.nodes(data=True):
            data.pop("block", None)
        self.paste = Paste(copied, at=(left + self.offset[0], top + self.offset[1]))
        self.paste.do(doc)
        try:
            meta = _meta(doc)
            definition = definition or self.block
            meta[self.block]["definition"], meta[self.block]["shared"] = definition, self.shared
            renamed = {}  # old block -> the block of the new use
            for old in [self.block, *_descendants_in_order(graph, self.block)]:
                fresh = free_block_id(graph, old) if old == self.block else None
                while fresh is None or fresh in meta or fresh in renamed.values():
                    fresh = _next_name(old, set(meta) | set(renamed.values()))
                renamed[old] = fresh
            for old, fresh in renamed.items():
                m = copy.deepcopy(meta[old])
                m["parent"] = renamed.get(m.get("parent"), source.get("parent")) if old != self.block \
                    else source.get("parent")
                if old == self.block:
                    m["collapsed"] = False  # open, so the person can wire its inputs and outputs at once
                meta[fresh] = m
            membership = {self.paste.renamed[n]: renamed[block_of(graph, n)] for n in inside}
            self.block_id = renamed[self.block]
            self.set_blocks = SetBlocks(meta, membership, self.text)
            self.set_blocks.do(doc)
        except Exception:
            self.paste.undo(doc)
            raise

    def undo(self, doc: GraphDocument):
        self.set_blocks.undo(doc)
        self.paste.undo(doc)


def _descendants_in_order(graph, block) -> list[str]:
    out, todo = [], [block]
    while todo:
        current = todo.pop(0)
        for child in children(graph, current):
            out.append(child)
            todo.append(child)
    return out


def _next_name(name: str, taken) -> str:
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def edit_definition(doc: GraphDocument, node: str, name: str, value=UNSET) -> Command:
    """Set a param of a node inside a use of a definition, on the corresponding node of every use (one undo
    step). A node outside any definition is set alone."""
    graph = doc.graph
    doc.layer(node)
    targets = [node]
    for block in chain_of(graph, node):
        definition = blocks_of(graph)[block].get("definition")
        if definition is None:
            continue
        targets = []
        for use in uses(graph, definition):
            try:
                targets.append(corresponding(graph, node, block, use))
            except (ValueError, IndexError):
                raise InvalidBlock(f"{use} no longer matches {block} (another use of {definition}); detach it "
                                   "first") from None
        break
    if len(targets) == 1:
        return SetParam(node, name, value)
    shown = "default" if value is UNSET else repr(value)
    return Macro(f"Set {name} = {shown} in every use ({len(targets)})", [SetParam(t, name, value) for t in targets])
