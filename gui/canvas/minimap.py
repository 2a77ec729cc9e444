"""The minimap: a small overview in the canvas's bottom-right corner showing every node (in its category
colour), the frames, and the part of the graph the view shows. Click or drag in it to pan there."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from builder.catalog import UnknownLayerError, spec_for
from builder.graph import GraphError
from gui.canvas import style

SIZE = (210, 140)
MARGIN = 12
PAD = 8.0


class Minimap(QWidget):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._frozen: QRectF | None = None  # the world while dragging, so the map holds still under the mouse
        self.setFixedSize(*SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to pan")
        scene = view.canvas_scene
        scene.changed.connect(self.update)
        view.horizontalScrollBar().valueChanged.connect(self.update)
        view.verticalScrollBar().valueChanged.connect(self.update)

    def place(self):
        viewport = self.view.viewport()
        self.move(viewport.width() - self.width() - MARGIN, viewport.height() - self.height() - MARGIN)

    # ---- mapping ------------------------------------------------------------------------------------------

    def world(self) -> QRectF:
        """The scene area the minimap shows: every node and frame, and the visible area."""
        rect = QRectF()
        scene = self.view.canvas_scene
        for item in [*scene.node_items(), *scene.frame_items()]:
            rect = rect.united(item.sceneBoundingRect())
        return rect.united(self.visible_area())

    def visible_area(self) -> QRectF:
        return self.view.mapToScene(self.view.viewport().rect()).boundingRect()

    def _scale(self, world: QRectF) -> tuple[float, QPointF]:
        inner = QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD)
        scale = min(inner.width() / max(world.width(), 1.0), inner.height() / max(world.height(), 1.0))
        # Centred in the widget: the world's centre maps to the widget's centre.
        offset = inner.center() - world.center() * scale
        return scale, offset

    def to_map(self, scene_point: QPointF) -> QPointF:
        scale, offset = self._scale(self.world())
        return scene_point * scale + offset

    def to_scene(self, map_point: QPointF) -> QPointF:
        scale, offset = self._scale(self._frozen if self._frozen is not None else self.world())
        return (QPointF(map_point) - offset) / scale

    # ---- painting -----------------------------------------------------------------------------------------

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        back = QColor(style.PREVIEW_BACKGROUND)
        painter.setPen(QPen(style.PREVIEW_BORDER, 1))
        painter.setBrush(back)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        world = self.world()
        scale, offset = self._scale(world)

        def mapped(rect: QRectF) -> QRectF:
            return QRectF(rect.topLeft() * scale + offset, rect.size() * scale)

        scene, doc = self.view.canvas_scene, self.view.controller.doc
        results = self.view.controller.results
        for frame in scene.frame_items():
            colour = QColor(frame.frame()["colour"])
            colour.setAlpha(70)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(mapped(frame.sceneBoundingRect()))
        painter.setPen(Qt.PenStyle.NoPen)
        for item in scene.node_items():
            try:
                colour = style.category_colour(spec_for(doc.layer(item.node_id)).category)
            except (UnknownLayerError, GraphError):  # a layer the catalog lacks, or a node being removed
                colour = style.UNKNOWN_CATEGORY
            result = results.get(item.node_id)
            if result is not None and result.error:
                colour = style.STALE if result.stale else style.ERROR
            painter.setBrush(colour)
            painter.drawRect(mapped(item.sceneBoundingRect()))
        visible = mapped(self.visible_area()).intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(QPen(style.NODE_SELECTED, 1.5))
        painter.setBrush(QColor(255, 255, 255, 25))
        painter.drawRect(visible)
        painter.end()

    # ---- panning ------------------------------------------------------------------------------------------

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._frozen = self.world()
            self._pan_to(event.position())
            event.accept()

    def mouseReleaseEvent(self, event):
        self._frozen = None
        event.accept()

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(event.position())
            event.accept()

    def _pan_to(self, map_point: QPointF):
        self.view.centerOn(self.to_scene(map_point))
        self.update()
