"""Opening and closing a block in place, as a double-click does: opening a collapsed block moves what stands
beside and under it out of the way of its frame (builder/layout/expand_room.py), and closing it again pulls back
what opening pushed, each one undo step with the expand or collapse.

What opening moved is kept in the document's presentation (`ui.block_room`: block -> {node: [x, y, x', y']}, from
where to where), so
closing knows it after a save and a reopen too. Closing pulls back only the nodes still where opening put them:
one the person has moved since stays where they put it. No Qt here.
"""

from __future__ import annotations

import copy
import math

from builder.editing.block_edits import _check_block, set_collapsed
from builder.editing.commands import Command, Macro, Move
from builder.layout.expand_room import room_to_open
from builder.model.blocks import blocks_of
from builder.model.document import GraphDocument

ROOM_KEY = "block_room"


class RecordRoom(Command):
    """Set (None: forget) what opening `block` moved; undo puts the entry back as it was."""

    def __init__(self, block: str, moves: dict | None):
        self.block = block
        self.moves = None if moves is None else {n: [float(v) for v in (*old, *new)] for n, (old, new) in moves.items()}
        self.old = None
        self.text = f"Remember the room made for {block}"

    def do(self, doc: GraphDocument):
        self.old = copy.deepcopy(doc.ui.get(ROOM_KEY))
        entries = dict(self.old) if isinstance(self.old, dict) else {}
        if self.moves is None:
            entries.pop(self.block, None)
        else:
            entries[self.block] = copy.deepcopy(self.moves)
        doc.set_ui(ROOM_KEY, entries or None)

    def undo(self, doc: GraphDocument):
        doc.set_ui(ROOM_KEY, copy.deepcopy(self.old))


def room_made(doc: GraphDocument, block: str) -> dict[str, tuple[tuple, tuple]]:
    """node -> (where it was, where opening `block` put it), read with care (the ui section is the file's)."""
    entries = doc.ui.get(ROOM_KEY)
    moves = entries.get(block) if isinstance(entries, dict) else None
    if not isinstance(moves, dict):
        return {}
    out = {}
    for node, shift in moves.items():
        if node in doc and isinstance(shift, list | tuple) and len(shift) == 4 and \
                all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in shift):
            out[node] = ((float(shift[0]), float(shift[1])), (float(shift[2]), float(shift[3])))
    return out


def open_with_room(doc: GraphDocument, block: str, positions: dict | None = None) -> Command:
    """Expand a collapsed block and move what stands right of it and below it out of the way, as one step.
    `positions`: where the canvas shows nodes the document has not placed."""
    _check_block(doc, block)
    expand = set_collapsed(doc, [block], False)
    where = {**(positions or {}), **doc.positions}
    moved = room_to_open(doc.graph, where, block)
    if not moved:
        return expand if not room_made(doc, block) else Macro(expand.text, [expand, RecordRoom(block, None)])
    made = {n: (where[n], to) for n, to in moved.items()}
    return Macro(f"Expand {block}", [expand, Move(moved, f"Make room for {block}"), RecordRoom(block, made)])


def close_pulling_back(doc: GraphDocument, block: str) -> Command:
    """Collapse an open block and move back what opening it pushed away, as one step."""
    _check_block(doc, block)
    collapse = set_collapsed(doc, [block], True)
    made = room_made(doc, block)
    if not made:
        return collapse
    back = {}
    for node, (was, put) in made.items():
        at = doc.positions.get(node)
        if at is not None and (float(at[0]), float(at[1])) == put:  # a node moved since stays where it is now
            back[node] = was
    steps = [collapse, RecordRoom(block, None)]
    if back:
        steps.insert(1, Move(back, f"Pull back what {block} pushed"))
    return Macro(f"Collapse {block}", steps)


def open_or_close(doc: GraphDocument, block: str, positions: dict | None = None) -> Command:
    """What a double-click on a block does: open a collapsed one (making room), close an open one (pulling back)."""
    _check_block(doc, block)
    if blocks_of(doc.graph)[block].get("collapsed"):
        return open_with_room(doc, block, positions)
    return close_pulling_back(doc, block)
