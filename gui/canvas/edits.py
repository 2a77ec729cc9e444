"""Clipboard and compound edits of the canvas: copy, cut, paste (at the cursor), duplicate, and delete keeping
the wire through a node. Each edit is one builder command pushed through the controller.

The clipboard holds the selection as project JSON text (builder/editing/clipboard.py), so it pastes into another
window, or from a text editor; text that is not a selection is refused with a message on the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor, QGuiApplication

from builder.editing.clipboard import NotASelection, Paste, copy_text
from builder.editing.commands import Delete, Macro, Move
from builder.editing.compound import DeleteKeepingWires, can_keep_wires
from builder.editing.frame_edits import add_frame, remove_frames, rename_frame
from builder.editing.insert_with_room import DuplicateKeepingInputs
from builder.layout.align import align, distribute
from builder.model.document import GraphError
from gui.canvas.frame_item import TITLE_HEIGHT
from gui.canvas.scene import snapped

FRAME_PADDING = 24.0  # room between a frame's edge and the nodes it holds
DUPLICATE_OFFSET = 40.0  # a duplicate lands down and to the right, so both copies stay visible


class CanvasEdits:
    def __init__(self, view):
        self.view = view
        self.controller = view.controller

    def _selection(self) -> list[str]:
        return self.view.canvas_scene.selected_node_ids()

    def _shown_positions(self, node_ids) -> dict:
        """Where the nodes are drawn: a node without a saved position is still copied where it is seen."""
        scene = self.view.canvas_scene
        return {n: (item.pos().x(), item.pos().y()) for n in node_ids if (item := scene.node_item(n))}

    def _cursor_scene_pos(self) -> QPointF:
        view = self.view
        cursor = view.viewport().mapFromGlobal(QCursor.pos())
        inside = view.viewport().rect().contains(cursor)
        return view.mapToScene(cursor if inside else view.viewport().rect().center())

    def selection_text(self) -> str | None:
        nodes = self._selection()
        return copy_text(self.controller.doc, nodes, self._shown_positions(nodes)) if nodes else None

    # ---- actions --------------------------------------------------------------------------------------------

    def copy(self) -> bool:
        text = self.selection_text()
        if text is None:
            self.view.status_message.emit("Nothing to copy: select nodes first")
            return False
        QGuiApplication.clipboard().setText(text)
        count = len(self._selection())
        self.view.status_message.emit(f"Copied {count} node{'s' if count != 1 else ''}")
        return True

    def cut(self) -> bool:
        if not self.copy():
            return False
        nodes = self._selection()
        command = Delete(nodes)
        command.text = f"Cut {nodes[0]}" if len(nodes) == 1 else f"Cut {len(nodes)} nodes"
        return self.controller.push(command)

    def paste(self, scene_pos=None, text: str | None = None) -> list[str]:
        """Paste the clipboard (or `text`) with its top-left at scene_pos (default: the cursor). Returns the
        new ids, selected; [] when refused."""
        text = QGuiApplication.clipboard().text() if text is None else text
        return self._paste(text, scene_pos if scene_pos is not None else self._cursor_scene_pos())

    def duplicate(self) -> list[str]:
        nodes = self._selection()
        if not nodes:
            self.view.status_message.emit("Nothing to duplicate: select nodes first")
            return []
        shown = self._shown_positions(nodes)
        left = min(x for x, _y in shown.values())
        top = min(y for _x, y in shown.values())
        at = QPointF(left + DUPLICATE_OFFSET, top + DUPLICATE_OFFSET)
        return self._paste(copy_text(self.controller.doc, nodes, shown), at, verb="Duplicate")

    def duplicate_keeping_inputs(self) -> list[str]:
        """Duplicate the selection with each copy wired from its original's inputs (a parallel branch in one key)."""
        nodes = self._selection()
        if not nodes:
            self.view.status_message.emit("Nothing to duplicate: select nodes first")
            return []
        shown = self._shown_positions(nodes)
        bottom = max(item.sceneBoundingRect().bottom() for n in nodes if (item := self.view.canvas_scene.node_item(n)))
        left = min(x for x, _y in shown.values())
        top = min(y for _x, y in shown.values())
        # Below the originals, so a branch copied from the same input reads as a parallel branch.
        at = QPointF(left, bottom + DUPLICATE_OFFSET) if len(nodes) == 1 else QPointF(left + DUPLICATE_OFFSET,
                                                                                     top + DUPLICATE_OFFSET)
        if self.view.snap_to_grid:
            at = QPointF(snapped(at.x()), snapped(at.y()))
        try:
            command = DuplicateKeepingInputs(self.controller.doc, nodes, (at.x(), at.y()), shown)
        except GraphError as exc:
            self.view.status_message.emit(str(exc))
            return []
        if not self.controller.push(command):
            return []
        self.controller.select(command.added)
        return list(command.added)

    def _paste(self, text: str, at, verb: str = "Paste") -> list[str]:
        at = QPointF(at) if not isinstance(at, (tuple, list)) else QPointF(*at)
        if self.view.snap_to_grid:
            at = QPointF(snapped(at.x()), snapped(at.y()))
        try:
            command = Paste(text, (at.x(), at.y()))
        except NotASelection as exc:
            self.view.status_message.emit(str(exc))
            return []
        command.text = command.text.replace("Paste", verb, 1)
        if not self.controller.push(command):
            return []
        self.controller.select(command.added)
        return list(command.added)

    def delete_keeping_wires(self) -> bool:
        nodes = self._selection()
        if not nodes:
            self.view.status_message.emit("Nothing to delete: select nodes first")
            return False
        if not any(can_keep_wires(self.controller.doc, n) for n in nodes):
            self.view.status_message.emit("Deleted without reconnecting: only a node with exactly one input "
                                          "can keep the wire through it")
        return self.controller.push(DeleteKeepingWires(nodes))

    # ---- arranging --------------------------------------------------------------------------------------------

    def _selected_rects(self) -> dict:
        scene = self.view.canvas_scene
        rects = {}
        for node in self._selection():
            item = scene.node_item(node)
            if item is not None:
                rect = item.card_rect()
                rects[node] = (item.pos().x(), item.pos().y(), rect.width(), rect.height())
        return rects

    def align(self, mode: str) -> bool:
        """Line up the selected nodes (left, right, top, bottom, centre_x, centre_y): one Move step."""
        rects = self._selected_rects()
        if len(rects) < 2:
            self.view.status_message.emit("Select two or more nodes to align them")
            return False
        return self._move_to(align(rects, mode), f"Align {len(rects)} nodes {mode.replace('_', ' ')}")

    def distribute(self, axis: str) -> bool:
        """Equal gaps between the selected nodes along 'x' or 'y': one Move step."""
        rects = self._selected_rects()
        if len(rects) < 3:
            self.view.status_message.emit("Select three or more nodes to distribute them")
            return False
        way = "horizontally" if axis == "x" else "vertically"
        return self._move_to(distribute(rects, axis), f"Distribute {len(rects)} nodes {way}")

    def _move_to(self, placed: dict, text: str) -> bool:
        doc = self.controller.doc
        changed = {n: xy for n, xy in placed.items() if doc.positions.get(n) != xy}
        if not changed:
            self.view.status_message.emit("Already in place")
            return False
        return self.controller.push(Move(changed, text=text))

    # ---- frames and deleting ----------------------------------------------------------------------------------

    def frame_selection(self, title: str = "Group") -> str | None:
        """Put a frame behind the selected nodes; returns its id."""
        rects = self._selected_rects()
        if not rects:
            self.view.status_message.emit("Select the nodes to frame first")
            return None
        left = min(x for x, _y, _w, _h in rects.values()) - FRAME_PADDING
        top = min(y for _x, y, _w, _h in rects.values()) - FRAME_PADDING - TITLE_HEIGHT
        right = max(x + w for x, _y, w, _h in rects.values()) + FRAME_PADDING
        bottom = max(y + h for _x, y, _w, h in rects.values()) + FRAME_PADDING
        frame_id, command = add_frame(self.controller.doc, [left, top, right - left, bottom - top], title)
        return frame_id if self.controller.push(command) else None

    def rename_frame(self, frame_id: str, title: str) -> bool:
        try:
            command = rename_frame(self.controller.doc, frame_id, title)
        except ValueError as exc:
            self.view.status_message.emit(str(exc))
            return False
        return self.controller.push(command)

    def delete_selection(self) -> bool:
        """Delete the selected nodes, wires and frames as one step (a frame goes, its nodes stay)."""
        scene = self.view.canvas_scene
        nodes, wires, frames = scene.selected_node_ids(), scene.selected_wires(), scene.selected_frame_ids()
        steps = [Delete(nodes, wires)] if nodes or wires else []
        if frames:
            steps.append(remove_frames(self.controller.doc, frames))
        if not steps:
            return False
        return self.controller.push(steps[0] if len(steps) == 1 else Macro(steps[0].text + " and frames", steps))
