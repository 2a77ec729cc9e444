"""Structural edits inside a use of a definition, made in every use (builder/model/blocks.py says what a use is).

    command = in_every_use(doc, Delete(["conv_b"]))     # any edit: add, delete, wire, insert on a wire, paste
    history.push(command)                               # one undo step; every use of conv_b's definition follows

`in_every_use` wraps an edit. After the edit is done, each use of a definition whose layers or inner wires it
changed is the model for the uses that matched it before the edit: a layer deleted there is deleted in each of
them, a layer added there is added to each (the same layer, params and config, at the same place relative to the
use, its id named as the uses' ids are: block_1_extra -> block_2_extra, conv -> conv_2), and the wires into each
changed layer are rewired the same way (a wire from the block's k-th input becomes a wire from the other use's
k-th input). Undo takes back everything the edit did, in every use, exactly.

What stays one use's own: the wires that enter a use from outside it (unplugging one use's input leaves the other
uses wired), and the wires that leave it. An edit that cannot be made in another use is refused before anything
stays changed, saying why and what to do: a wire from a layer outside the block would be a new input that the
other uses do not have (wire it from a layer inside, or detach the use first to change it alone).

A new node joins a block, the innermost one, when the edit wires it between two members of that block (a layer
inserted on a wire inside it, or added and wired from one member to another: leaving it out would make the
block's tensor leave and come back), or places it inside the block's open frame (a layer dropped there). `joins`
names the block outright (builder/editing/block_joining.py; how copies are named: use_naming.py).
No Qt here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from builder.editing.block_edits import SetBlocks, UseAgain, detach
from builder.editing.block_joining import between, open_frames, placed_inside
from builder.editing.clipboard import fresh_id
from builder.editing.commands import Command, Connect, Delete, Disconnect, Macro
from builder.editing.use_naming import naming_rule
from builder.model.block_checks import structure
from builder.model.blocks import (
    InvalidBlock,
    ancestors,
    blocks_of,
    border_inputs,
    children,
    members_by_block,
)
from builder.model.document import GraphDocument
from builder.quoting import quote


class NeedsDetach(InvalidBlock):
    """An edit the other uses of a definition cannot follow; `block` is the use it was made in. Detaching that
    use first (detach_then) makes the edit its own."""

    def __init__(self, message: str, block: str):
        super().__init__(message)
        self.block = block


def detach_then(doc: GraphDocument, command: Command, block: str) -> Command:
    """Detach `block` from its definition, then do `command` (one undo step): what a person who agreed to change
    only this use gets."""
    inner = command.command if isinstance(command, InEveryUse) else command
    return Macro(f"Detach {block} and {inner.text[:1].lower()}{inner.text[1:]}", [detach(doc, block), inner])


@dataclass
class _Use:
    """One use of a definition as it was before the edit."""

    definition: str
    members: list[str]
    inputs: list[str]  # its border inputs, in order
    structure: tuple
    wires: dict[str, list] = field(default_factory=dict)  # member -> [(source, port)] in port order
    nested: list[str] = field(default_factory=list)  # its nested blocks, breadth first (they correspond by order)
    corner: tuple[float, float] | None = None
    readers: dict[str, list] = field(default_factory=dict)  # member -> [(reader outside the use, port)]


def in_every_use(doc: GraphDocument, command: Command, joins: dict | None = None) -> Command:
    """`command`, made in every use of the definitions it changes (see above); the command itself when the
    document has no blocks or the command is a block edit (those handle uses themselves)."""
    if not blocks_of(doc.graph) and not joins or _is_block_edit(command):
        return command
    return InEveryUse(command, joins)


def _is_block_edit(command) -> bool:
    if isinstance(command, (SetBlocks, UseAgain, InEveryUse)):  # an InEveryUse: wrapped already
        return True
    return isinstance(command, Macro) and any(_is_block_edit(c) for c in command.commands)


class AddLike(Command):
    """Add a node as a copy of another's layer, params and Keras config, at a document index (uses correspond
    by document order)."""

    def __init__(self, node_id: str, like: dict, position, index: int):
        self.node_id, self.like, self.position, self.index = node_id, like, position, index
        self.text = f"Add {like.get('layer')} {node_id}"

    def do(self, doc):
        like = self.like
        doc.add_node(self.node_id, like["layer"], dict(like.get("params") or {}), self.position, self.index,
                     config=copy.deepcopy(like.get("config")), keras_shape=copy.deepcopy(like.get("keras_shape")))

    def undo(self, doc):
        doc.remove_node(self.node_id)


class InEveryUse(Command):
    """`command`, then what makes every use of a definition follow it (see the module's docstring). `done` keeps
    each step taken after the command, so undo takes them back in reverse, then the command."""

    def __init__(self, command: Command, joins: dict | None = None):
        self.command = command
        self.joins = dict(joins or {})
        self.text = command.text
        self.done: list[Command] = []
        self.followed: list[str] = []  # the uses changed to follow the edit

    def do(self, doc: GraphDocument):
        graph = doc.graph
        before_ids = set(graph)
        uses = _snapshot(doc)
        renamed: dict[str, str] = {}
        wired: list[str] = []  # nodes a wire was added to or from

        def follow_renames(change):
            if change.kind == "edge_added":
                wired.extend((change.source, change.node))
            elif change.kind == "node_renamed":
                for old, new in list(renamed.items()):
                    if new == change.old_id:
                        renamed[old] = change.node
                renamed.setdefault(change.old_id, change.node)

        doc.subscribe(follow_renames)
        try:
            self.command.do(doc)
        finally:
            doc.unsubscribe(follow_renames)
        self.done, self.followed = [], []
        try:
            added = [n for n in graph if n not in before_ids and n not in renamed.values()]
            # a node already there, outside any block, wired in between two members (dragged onto a wire inside)
            rewired = [n for n in dict.fromkeys(wired) if n in graph and n in before_ids and graph.nodes[n].get("block")
                       is None and between(graph, n) is not None]
            self._join(doc, added + rewired, set(added))
            for definition in _outermost_first(graph, uses):
                self._follow(doc, definition, uses, renamed)
        except Exception:
            for step in reversed(self.done):
                step.undo(doc)
            self.done = []
            self.command.undo(doc)
            raise
        if self.followed:
            self.text = f"{self.command.text} (in every use: {', '.join(self.followed[:3])}" + \
                        (", ...)" if len(self.followed) > 3 else ")")

    def undo(self, doc: GraphDocument):
        for step in reversed(self.done):
            step.undo(doc)
        self.command.undo(doc)

    def _run(self, doc, step: Command):
        step.do(doc)
        self.done.append(step)

    def _join(self, doc, candidates: list[str], new: set):
        """Nodes wired between members of a block join it, and new nodes placed inside an open block's frame (or
        the block `joins` names)."""
        graph = doc.graph
        meta = blocks_of(graph)
        membership = {}
        frames = None  # the open blocks' frames, measured once for all the new nodes
        added = [n for n in candidates if n in new]
        for node in candidates:
            if graph.nodes[node].get("block") in meta:
                continue  # pasted with its block
            block = self.joins.get(node)
            if block is None:
                block = between(graph, node)
            if block is None and node in new and node in doc.positions:
                frames = open_frames(doc, set(added)) if frames is None else frames
                block = placed_inside(doc.positions[node], frames)
            if block in meta:
                membership[node] = block
        if membership:
            self._run(doc, SetBlocks(dict(blocks_of(graph)), membership, "Join blocks"))

    def _follow(self, doc, definition: str, uses: dict, renamed: dict):
        graph = doc.graph
        meta = blocks_of(graph)
        before = [b for b, use in uses.items() if use.definition == definition and b in meta
                  and meta[b].get("definition") == definition]
        if len(before) < 2:
            return
        holding = members_by_block(graph, meta)
        before = [b for b in before if holding[b]]  # a use deleted whole: the others stay as they are
        now = {b: _signature(graph, b, holding[b]) for b in before}
        # A use whose only change is an input unplugged (what fed it deleted or unwired) is that use's own wiring.
        changed = [b for b in before if now[b] != uses[b].structure and not _only_unplugged_inputs(uses[b].structure,
                                                                                                  now[b])]
        if not changed:
            return
        model = changed[0]
        differing = next((b for b in changed[1:] if now[b] != now[model]), None)
        if differing is not None:
            raise InvalidBlock(f"this edit changes {model} and {differing}, two uses of {quote(definition)}, "
                               "differently; change one use, and the others follow")
        for other in before:
            if other not in changed and uses[other].structure == uses[model].structure:
                self._copy_change(doc, definition, model, other, uses, renamed, holding[model])
                self.followed.append(other)

    def _copy_change(self, doc, definition, model, other, uses, renamed, model_now: list[str]):
        """Make in `other` what the edit did in `model` (both matched before it)."""
        graph = doc.graph
        was, theirs = uses[model], uses[other]

        def current(node):
            return renamed.get(node, node)

        model_before = [current(n) for n in was.members]
        corr = dict(zip(model_before, (current(n) for n in theirs.members)))
        outside = dict(zip((current(n) for n in was.inputs), (current(n) for n in theirs.inputs)))
        still = set(model_now)
        gone = [n for n in model_before if n not in still]
        for node in gone:
            if node in graph:
                raise NeedsDetach(f"{node} left {model}, a use of {quote(definition)}; the other uses cannot "
                                  f"follow that; detach {model} first to change it alone", model)
        if gone:
            self._run(doc, Delete([corr[n] for n in gone]))
        rename = naming_rule([(e, corr[e]) for e in model_before if e in still])
        nested = dict(zip(was.nested, theirs.nested))
        nested[model] = other
        new_members = {}
        for i, node in enumerate(model_now):
            if node in corr:
                continue
            block = graph.nodes[node].get("block")
            if block not in nested:
                raise NeedsDetach(f"{node} is in {quote(block)}, which {other} (another use of "
                                  f"{quote(definition)}) has no counterpart of; detach {model} first", model)
            copy_id = fresh_id(rename(node), set(graph) | set(new_members))
            # Uses correspond in document order: the copy goes right after the counterpart of the member before it.
            previous = next((corr[n] for n in reversed(model_now[:i]) if n in corr), None)
            following = next((corr[n] for n in model_now[i:] if n in corr), None)
            order = list(graph)
            index = order.index(previous) + 1 if previous is not None else \
                order.index(following) if following is not None else None
            self._run(doc, AddLike(copy_id, dict(graph.nodes[node]), _placed(doc, node, was, theirs), index))
            corr[node] = copy_id
            new_members[copy_id] = nested[block]
        if new_members:
            self._run(doc, SetBlocks(dict(blocks_of(graph)), new_members, f"Add to {other}"))
        for node in model_now:
            wires = sorted(doc.inputs_of(node), key=lambda w: w[1])
            original = _original(node, renamed)
            old = [(current(s), p) for s, p in was.wires[original]] if original in was.wires else None
            if old is not None and (wires == old or _only_unplugged(wires, old, corr)):
                continue
            wanted = []
            for source, port in wires:
                if source in corr:
                    wanted.append((corr[source], port))
                elif source in outside:
                    wanted.append((outside[source], port))
                else:
                    raise NeedsDetach(
                        f"cannot make this change in every use of {quote(definition)}: {source} is outside {model} "
                        f"and a wire from it into {node} would give {model} an input that {other} (another use) "
                        f"does not have; wire {node} from a layer inside {model}, or detach {model} first "
                        "(right-click the block, Detach) to change it alone", model)
            target = corr[node]
            have = sorted(doc.inputs_of(target), key=lambda w: w[1])
            if have == wanted:
                continue
            for source, port in sorted(have, key=lambda w: -w[1]):
                self._run(doc, Disconnect(source, target, port))
            for source, port in wanted:
                self._run(doc, Connect(source, target, port))
        self._move_outputs(doc, was, theirs, corr, current, set(model_now))

    def _move_outputs(self, doc, was: _Use, theirs: _Use, corr: dict, current, model_now: set):
        """A use's output moved (a layer inserted at its exit, or its last layer deleted and bridged): every
        reader outside `model` that read member a now reads member b. Then the readers outside `other` of its a
        read its b."""
        graph = doc.graph
        for old_output, wires in was.readers.items():
            now = set()
            for reader, port in wires:
                reader = current(reader)
                if reader not in graph:
                    continue
                source = next((u for u, p in doc.inputs_of(reader) if p == port), None)
                now.add(source)
            if len(now) != 1:
                continue  # some moved, some not: nothing one rule could copy
            (new_output,) = now
            old_output = current(old_output)
            if new_output == old_output or new_output not in model_now or old_output not in corr:
                continue
            mine, target = corr[old_output], corr[new_output]
            their_readers = {current(k): wires for k, wires in theirs.readers.items()}
            readers = {current(r) for r, _p in their_readers.get(mine, [])}
            for reader in readers:
                if reader not in graph or mine not in graph:
                    continue
                for source, port in sorted(doc.inputs_of(reader), key=lambda w: -w[1]):
                    if source == mine:
                        self._run(doc, Disconnect(mine, reader, port))
                        self._run(doc, Connect(target, reader, port, insert=True))


def _original(node, renamed):
    for old, new in renamed.items():
        if new == node:
            return old
    return node


def _only_unplugged(wires, old, corr) -> bool:
    """The node lost only wires from outside the use (its input unplugged): that is the use's own wiring."""
    if not set(wires) < set(old):
        return False
    return all(source not in corr for source, _port in set(old) - set(wires))


def _only_unplugged_inputs(before: tuple, now: tuple) -> bool:
    """Two signatures (_signature) that differ only in wires from outside the use that are gone."""
    (layers, wires, _count), reads = before
    (layers_now, wires_now, _count_now), reads_now = now
    if layers != layers_now or wires != wires_now:
        return False
    return {(member, port) for member, port, _k in reads_now} < {(member, port) for member, port, _k in reads}


def _snapshot(doc) -> dict[str, _Use]:
    graph = doc.graph
    meta = blocks_of(graph)
    if not any(m.get("definition") is not None for m in meta.values()):
        return {}
    holding = members_by_block(graph, meta)
    out = {}
    for block, m in meta.items():
        inside = holding[block]
        if m.get("definition") is None or not inside:
            continue
        placed = [doc.positions[n] for n in inside if n in doc.positions]
        corner = (min(x for x, _ in placed), min(y for _, y in placed)) if placed else None
        chosen = set(inside)
        readers = {}
        for node in inside:
            outside = [(v, p) for _u, v, p in graph.out_edges(node, data="port") if v not in chosen]
            if outside:
                readers[node] = outside
        out[block] = _Use(m["definition"], list(inside), border_inputs(graph, block, inside),
                          _signature(graph, block, inside),
                          {n: sorted(doc.inputs_of(n), key=lambda w: w[1]) for n in inside},
                          _nested(graph, block), corner, readers)
    return out


def _signature(graph, block, inside: list) -> tuple:
    """What one edit can change in a use: its layers and inner wires (block_checks.structure), and which member
    port reads which of its inputs."""
    inputs = {n: i for i, n in enumerate(border_inputs(graph, block, inside))}
    index = {n: i for i, n in enumerate(inside)}
    reads = tuple(sorted((index[v], e.get("port"), inputs[u]) for v in inside for u, keyed in graph._pred[v].items()
                         if u in inputs for e in keyed.values()))
    return structure(graph, block, inside), reads


def _nested(graph, block) -> list[str]:
    out, todo = [], [block]
    while todo:
        for child in children(graph, todo.pop(0)):
            out.append(child)
            todo.append(child)
    return out


def _outermost_first(graph, uses: dict) -> list[str]:
    depth: dict[str, int] = {}
    for block, use in uses.items():
        d = len(ancestors(graph, block)) if block in blocks_of(graph) else 0
        depth[use.definition] = min(depth.get(use.definition, d), d)
    return sorted(depth, key=lambda name: depth[name])


def _placed(doc, node, was: _Use, theirs: _Use):
    """Where the copy of `node` goes: at the place `node` has relative to its use, relative to the other use."""
    at = doc.positions.get(node)
    if at is None or was.corner is None or theirs.corner is None:
        return None
    return at[0] - was.corner[0] + theirs.corner[0], at[1] - was.corner[1] + theirs.corner[1]
