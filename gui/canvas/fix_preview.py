"""The ghost of a fix, drawn while its menu entry is hovered: a dashed outline on every node the fix changes,
with the shape it would have, and a dashed card where a fix inserts a node (between the ends of its wire).
Nothing in the document changes until the entry is clicked."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from builder.catalog.rules import fmt
from gui.canvas import geometry
from gui.canvas.text import font
from gui.theme import canvas_palette

GHOST_Z = 50  # above cards and wires


class FixPreview:
    def __init__(self, scene):
        self.scene = scene
        self.items = []
        self.fix = None

    def show(self, fix):
        self.clear()
        self.fix = fix
        added = {e["node"]: e for e in fix.edits if e["op"] == "insert"}
        for node, shape in fix.preview.items():
            item = self.scene.node_item(node)
            if item is not None:
                rect = item.mapRectToScene(item.card_rect()).adjusted(-6, -6, 6, 6)
                self._ghost(rect, f"→ {fmt(shape)}", filled=False)
            elif node in added:
                self._inserted(added[node], shape)

    def _inserted(self, edit, shape):
        source, target = self.scene.node_item(edit["wire"][0]), self.scene.node_item(edit["wire"][1])
        if source is None or target is None:
            return
        a, b = source.sceneBoundingRect().center(), target.sceneBoundingRect().center()
        width, height = geometry.NODE_WIDTH * 0.8, 56.0
        centre_x, centre_y = (a.x() + b.x()) / 2, (a.y() + b.y()) / 2 + 70
        rect = QRectF(centre_x - width / 2, centre_y - height / 2, width, height)
        self._ghost(rect, f"+ {edit['node']} ({edit['layer']})\n→ {fmt(shape)}", filled=True)

    def _ghost(self, rect: QRectF, text: str, filled: bool):
        colours = canvas_palette()
        pen = QPen(colours.port_valid, 2.5, Qt.PenStyle.DashLine)
        box = QGraphicsRectItem(rect)
        box.setPen(pen)
        fill = QColor(colours.node_body)
        fill.setAlpha(220 if filled else 0)
        box.setBrush(QBrush(fill))
        box.setZValue(GHOST_Z)
        label = QGraphicsSimpleTextItem(text)
        label.setFont(font("mono"))
        label.setBrush(QBrush(colours.port_valid if not filled else colours.text))
        label.setZValue(GHOST_Z + 1)
        if filled:
            label.setPos(rect.left() + 8, rect.top() + 8)
        else:
            label.setPos(rect.left() + 4, rect.bottom() + 2)
        for item in (box, label):
            self.scene.addItem(item)
            self.items.append(item)

    def clear(self):
        for item in self.items:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.items = []
        self.fix = None
