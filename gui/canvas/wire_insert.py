"""Drop a node on a wire: while one unwired node is dragged, the wire under the cursor turns green when the
node could go between its two ends (builder.editing.compound.insertion_problem runs the edit on a copy) and red when
the shapes would not allow it. On release a green wire gets the node inserted, with the move, as one undo
step; a red one stays red a moment and the node is only moved, with the reason on the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from builder.catalog.specs import UnknownLayerError, spec_for
from builder.editing.commands import Macro, Move
from builder.editing.compound import InsertOnWire, insertion_problem
from gui.canvas.edge_item import EdgeItem

REFUSED_SHOWN_MS = 1200


def could_be_inserted(doc, node_id: str) -> bool:
    """A node with no wires that takes one input (not an Input, not a merge)."""
    try:
        spec = spec_for(doc.layer(node_id))
    except UnknownLayerError:
        return False
    return spec.inputs == 1 and not doc.inputs_of(node_id) and not doc.outputs_of(node_id)


class WireInsertHover:
    """One drag of `node_id` that may end on a wire."""

    def __init__(self, scene, node_id: str):
        self.scene, self.controller, self.node_id = scene, scene.controller, node_id
        self.edge: EdgeItem | None = None
        self._problems: dict[tuple, str | None] = {}

    def problem(self, wire) -> str | None:
        if wire not in self._problems:
            self._problems[wire] = insertion_problem(self.controller.doc, self.node_id, wire,
                                                      self.controller.results)
        return self._problems[wire]

    def move(self, scene_pos):
        edge = next((item for item in self.scene.items(scene_pos) if isinstance(item, EdgeItem)), None)
        if edge is self.edge:
            return
        if self.edge is not None:
            self.edge.set_drop_hint(None)
        self.edge = edge
        hint = None if edge is None else "refused" if self.problem(edge.key) else "ok"
        if edge is not None:
            edge.set_drop_hint(hint)
        self._hint_node(hint)

    def _hint_node(self, hint):
        item = self.scene.node_item(self.node_id)
        if item is not None and item.drop_hint != hint:
            item.drop_hint = hint
            item.update()

    def command(self, moved: dict) -> Macro | Move | None:
        """What the release does: insert (with the move) on a green wire, else the move alone."""
        move = Move(moved) if moved else None
        edge, self.edge = self.edge, None
        self._hint_node(None)
        if edge is None:
            return move
        problem = self.problem(edge.key)
        if problem:
            self.scene.status_message.emit(problem)
            # The scene as context: the timer dies with it, so it never touches an item of a closed canvas.
            QTimer.singleShot(REFUSED_SHOWN_MS, self.scene, lambda: edge.set_drop_hint(None))
            return move
        edge.set_drop_hint(None)
        insert = InsertOnWire(self.node_id, edge.key)
        return Macro(insert.text, [move, insert] if move else [insert])

    def cancel(self):
        self._hint_node(None)
        if self.edge is not None:
            self.edge.set_drop_hint(None)
            self.edge = None

