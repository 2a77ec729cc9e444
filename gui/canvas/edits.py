"""Clipboard and compound edits of the canvas: copy, cut, paste (at the cursor), duplicate, and delete keeping
the wire through a node. Each edit is one builder command pushed through the controller.

The clipboard holds the selection as project JSON text (builder/clipboard.py), so it pastes into another
window, or from a text editor; text that is not a selection is refused with a message on the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor, QGuiApplication

from builder.clipboard import NotASelection, Paste, copy_text
from builder.commands import Delete
from builder.editing import DeleteKeepingWires, can_keep_wires
from gui.canvas.scene import snapped

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
