"""A frame on the canvas: a titled, coloured rectangle behind a group of nodes. It holds only its frame id and
reads its title, colour and rectangle from the document's `ui["frames"]` (builder/model/frames.py).

Dragging the title bar moves the frame and the nodes inside it, as one "Move frame" step on release;
dragging the bottom-right corner resizes it; double-clicking the title renames it; right-clicking the title
opens the frame's menu (rename, colour, delete: gui/canvas/frame_menu.py).

The title bar is opaque in the frame's colour and its text white or black, whichever reads better on that
colour, so a title stays readable on the dark and the light canvas whatever colour was picked.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from builder.editing.frame_edits import move_frame, resize_frame
from builder.model.frames import MIN_SIZE, frame_by_id, nodes_inside
from gui.canvas.frame_menu import ask_rename, frame_menu
from gui.canvas.text import font, tooltip_html
from gui.theme import canvas_palette, readable_text_on

TITLE_HEIGHT = 30.0
GRIP = 16.0  # the resize corner
FRAME_Z = -10  # behind wires (-1) and nodes (0)


class FrameItem(QGraphicsItem):
    def __init__(self, controller, frame_id: str):
        super().__init__()
        self.controller, self.frame_id = controller, frame_id
        self.setZValue(FRAME_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self._rect = QRectF()
        self._title, self._colour = "", QColor("#7c3aed")
        self._gesture: str | None = None  # "move" or "resize" while the mouse is down
        self._press = QPointF()
        self._carried: dict[str, QPointF] = {}
        self.sync()

    def frame(self) -> dict:
        return frame_by_id(self.controller.doc, self.frame_id)

    def sync(self):
        frame = self.frame()
        x, y, w, h = frame["rect"]
        self.prepareGeometryChange()
        self.setPos(x, y)
        self._rect = QRectF(0, 0, w, h)
        self._title, self._colour = frame["title"], QColor(frame["colour"])
        self.setToolTip(tooltip_html(f"{self._title}\nDrag the title to move the frame with its nodes; "
                                           "double-click it to rename, right-click it to recolour; drag the corner to resize"))
        self.update()

    @property
    def title(self) -> str:
        return self._title

    @property
    def colour(self) -> QColor:
        return QColor(self._colour)

    def title_colour(self) -> QColor:
        return readable_text_on(self._colour)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def title_rect(self) -> QRectF:
        return QRectF(0, 0, self._rect.width(), TITLE_HEIGHT)

    def grip_rect(self) -> QRectF:
        return QRectF(self._rect.right() - GRIP, self._rect.bottom() - GRIP, GRIP, GRIP)

    def shape(self):
        # Only the title bar and the grip catch the mouse: the inside stays free for rubber bands and nodes.
        path = QPainterPath()
        path.addRect(self.title_rect())
        path.addRect(self.grip_rect())
        return path

    def paint(self, painter, option, widget=None):
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        fill = QColor(self._colour)
        fill.setAlpha(38)
        border = QColor(self._colour)
        border.setAlpha(230 if self.isSelected() else 150)
        painter.setPen(QPen(canvas_palette().node_selected if self.isSelected() else border, 2.0 if self.isSelected() else 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self._rect, 10, 10)
        bar = QColor(self._colour)
        painter.save()
        painter.setClipRect(self.title_rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(bar))
        painter.drawRoundedRect(self._rect, 10, 10)
        painter.restore()
        title_font = QFont(font("title"))
        title_font.setPointSizeF(11.5)
        painter.setFont(title_font)
        painter.setPen(self.title_colour())
        text_rect = self.title_rect().adjusted(12, 0, -12, 0)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(title_font).elidedText(self._title, Qt.TextElideMode.ElideRight,
                                                              text_rect.width()))
        painter.setPen(QPen(border, 1.5))
        grip = self.grip_rect()
        for offset in (4, 8, 12):
            painter.drawLine(QPointF(grip.right() - offset, grip.bottom() - 2),
                             QPointF(grip.right() - 2, grip.bottom() - offset))

    # ---- gestures -------------------------------------------------------------------------------------------

    def mousePressEvent(self, event):
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._gesture = "resize" if self.grip_rect().contains(event.pos()) else "move"
        self._press = event.scenePos()
        scene = self.scene()
        if self._gesture == "move":
            rects = {item.node_id: _rect_tuple(item) for item in scene.node_items()}
            x, y, w, h = self.frame()["rect"]
            self._carried = {n: scene.node_item(n).pos() for n in nodes_inside([x, y, w, h], rects)}
        scene.clearSelection()
        self.setSelected(True)
        event.accept()

    def mouseMoveEvent(self, event):
        delta = event.scenePos() - self._press
        x, y, w, h = self.frame()["rect"]
        if self._gesture == "move":
            self.setPos(x + delta.x(), y + delta.y())
            for node, start in self._carried.items():
                item = self.scene().node_item(node)
                if item is not None:
                    item.setPos(start + delta)
        elif self._gesture == "resize":
            self.prepareGeometryChange()
            self._rect = QRectF(0, 0, max(w + delta.x(), MIN_SIZE), max(h + delta.y(), MIN_SIZE))
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event):
        gesture, self._gesture = self._gesture, None
        delta = event.scenePos() - self._press
        doc, command = self.controller.doc, None
        if gesture == "move" and (delta.x() or delta.y()):
            start = {n: (p.x(), p.y()) for n, p in self._carried.items()}
            command = move_frame(doc, self.frame_id, delta.x(), delta.y(), start)
        elif gesture == "resize" and (delta.x() or delta.y()):
            x, y, _w, _h = self.frame()["rect"]
            command = resize_frame(doc, self.frame_id, [x, y, self._rect.width(), self._rect.height()])
        self._carried = {}
        if command is None or not self.controller.push(command):
            self.scene().sync_frames()  # put back what the drag showed
        event.accept()

    def mouseDoubleClickEvent(self, event):
        if self.title_rect().contains(event.pos()):
            ask_rename(self._view(), self.frame_id)
        event.accept()

    def contextMenuEvent(self, event):
        self.scene().clearSelection()
        self.setSelected(True)
        menu = frame_menu(self._view(), self.frame_id)
        menu.exec(event.screenPos())
        menu.deleteLater()  # a child of the view: one per right-click would pile up
        event.accept()

    def _view(self):
        return self.scene().views()[0]


def _rect_tuple(item) -> tuple:
    rect = item.mapRectToScene(item.card_rect())
    return rect.x(), rect.y(), rect.width(), rect.height()
