"""The overlay: the comparison drawn on the editor's own canvas instead of side by side. Each added, changed or
renamed node gets a halo in its diff colour with a short note above it ("was conv_3x3", "units", "added"); each
removed node is a dashed ghost card where it was (builder/diff/follow_layout.py places it among its neighbours).

It follows the document: after every edit (the controller's one `edited` signal) the comparison is made again
against the same other version, so fixing a change makes its halo go. A halo is a child of its node's item, so it
moves with the node while it is dragged; the overlay only adds items of its own and never changes the canvas's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem
from shiboken6 import isValid

from gui.canvas.text import font
from gui.compare.items import DiffNodeItem, diff_colour
from gui.compare.session import CompareSession

HALO_GAP = 6.0
NOTE_HEIGHT = 18.0


class HaloItem(QGraphicsItem):
    """An outline around its parent node item, and a note above it; colours read from the theme at paint time."""

    def __init__(self, parent_item, session_of, node_id: str):
        super().__init__(parent_item)
        self.session_of, self.node_id = session_of, node_id
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def _card(self) -> QRectF:
        return self.parentItem().boundingRect().adjusted(-HALO_GAP, -HALO_GAP, HALO_GAP, HALO_GAP)

    def boundingRect(self) -> QRectF:
        card = self._card()
        return card.adjusted(-4, -NOTE_HEIGHT - 4, 4, 4)

    def note(self) -> str:
        session = self.session_of()
        kind = session.kind("b", self.node_id)
        diff = session.diff
        if kind == "added":
            return "added"
        old = diff.to_a.get(self.node_id)
        parts = [f"was {old}"] if old not in (None, self.node_id) else []
        changed = diff.changed.get(self.node_id, {})
        parts += [f"{name} {old_value} → {new}" for name, (old_value, new) in list(changed.items())[:2]]
        if self.node_id in diff.rewired:
            parts.append("rewired")
        if not parts and (self.node_id in diff.shape_changes or self.node_id in diff.param_changes):
            parts.append("shape/params changed")
        return "; ".join(parts)

    def paint(self, painter, _option, _widget=None):
        kind = self.session_of().kind("b", self.node_id)
        colour = diff_colour(kind)
        if colour is None:
            return
        card = self._card()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 4.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card, 10, 10)
        painter.setFont(font("mark"))
        text = painter.fontMetrics().elidedText(self.note(), Qt.TextElideMode.ElideRight, int(card.width() + 80))
        painter.drawText(QRectF(card.left(), card.top() - NOTE_HEIGHT - 2, card.width() + 80, NOTE_HEIGHT),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


class CanvasOverlay(QObject):
    def __init__(self, controller, canvas_scene, session: CompareSession, parent=None):
        super().__init__(parent)
        self.controller, self.scene, self.session = controller, canvas_scene, session
        self.halos: list[HaloItem] = []
        self.ghosts: list[DiffNodeItem] = []
        controller.edited.connect(self._on_edit)
        self.refresh()

    def positions(self) -> dict:
        return {item.node_id: (item.pos().x(), item.pos().y()) for item in self.scene.node_items()}

    def _on_edit(self, _edit):
        self.session.update(self.controller.doc.graph, self.positions())
        self.refresh()

    def refresh(self):
        self._remove_items()
        session_of = self._session
        for node in self.session.this:
            item = self.scene.node_item(node)
            if item is not None and self.session.kind("b", node) != "same":
                self.halos.append(HaloItem(item, session_of, node))
        for node in self.session.diff.removed:
            ghost = DiffNodeItem(session_of, "a", node, ghost=True)
            ghost.setPos(QPointF(*self.session.positions_a[node]))
            ghost.setZValue(-0.5)
            ghost.refresh()
            self.scene.addItem(ghost)
            self.ghosts.append(ghost)

    def _session(self) -> CompareSession:
        return self.session

    def _remove_items(self):
        for halo in self.halos:
            if isValid(halo) and halo.scene() is not None:  # its node may have been deleted, and it with it
                self.scene.removeItem(halo)
        for ghost in self.ghosts:
            if isValid(ghost) and ghost.scene() is not None:
                self.scene.removeItem(ghost)
        self.halos, self.ghosts = [], []

    def close(self):
        self.controller.edited.disconnect(self._on_edit)
        self._remove_items()
