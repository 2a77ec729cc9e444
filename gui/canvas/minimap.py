"""The minimap: a small overview in the canvas's bottom-right corner showing every node (in its category
colour), the frames, and the part of the graph the view shows. Click or drag in it to pan there."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from builder.catalog.specs import UnknownLayerError, spec_for
from builder.model.document import GraphError
from gui.canvas.node_item import NodeItem
from gui.theme import canvas_palette

SIZE = (210, 140)
MARGIN = 12
PAD = 8.0
REDRAW_AFTER_MS = 100
# Past this many nodes, the picture after a build or a sliced move (scene.built) is drawn in a turn of its own,
# AFTER_BUILD_MS later, not in the view's first paint after it: together they held the window for twice as long
# (a 10,000-node auto-layout, issue 18). Meanwhile the minimap shows its frame only, as while the scene builds.
LARGE_GRAPH_NODES = 1000
AFTER_BUILD_MS = 40
FADED_OPACITY = 0.25


class Minimap(QWidget):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._frozen: QRectF | None = None  # the world while dragging, so the map holds still under the mouse
        self.faded = False
        self.setFixedSize(*SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to pan")
        # The nodes and frames, drawn once into a pixmap and kept while the scene and the mapping stay the same:
        # panning and zooming then only move the visible-area rectangle (2,000 nodes cost ~25 ms a frame
        # when drawn every time).
        self._layer: QPixmap | None = None
        self._layer_key = None
        self._items_rect: QRectF | None = None
        self._cards: dict | None = None  # the scene's card rectangles, read once per picture (see items_rect)
        # The picture shows where nodes are, their category and whether they have an error: it is drawn again
        # only after an edit that can change that (nodes moved, added or removed, frames, an error appearing or
        # going; not a param that leaves every status as it was, nor a hover or a selection), once per burst,
        # REDRAW_AFTER_MS after it starts rather than inside the edit's frame (at 10,000 nodes a redraw takes a
        # tenth of a second). A node dragged by hand shows in its new place once the drag ends.
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_AFTER_MS)
        self._redraw.timeout.connect(self._drop_picture)
        self._drawn_status: dict[str, str | None] = {}  # the colour-deciding status each node was drawn with
        scene = view.canvas_scene
        view.controller.edited.connect(self._on_edit)
        self._after_build = QTimer(self)
        self._after_build.setSingleShot(True)
        self._after_build.setInterval(AFTER_BUILD_MS)
        self._after_build.timeout.connect(self._drop_picture)
        scene.built.connect(self._on_built)
        view.horizontalScrollBar().valueChanged.connect(self.update)
        view.verticalScrollBar().valueChanged.connect(self.update)

    def place(self):
        viewport = self.view.viewport()
        self.move(viewport.width() - self.width() - MARGIN, viewport.height() - self.height() - MARGIN)

    # ---- mapping ------------------------------------------------------------------------------------------

    def _on_edit(self, edit):
        if self.view.canvas_scene.building:
            return  # the picture waits for the last slice (scene.built)
        results = self.view.controller.results
        shown = edit.reset or edit.wiring_changed or any(c.kind in ("node_moved", "ui_changed") for c in edit.changes) \
            or any(_colour_status(results.get(n)) != self._drawn_status.get(n) for n in edit.changed)
        if shown and not self._redraw.isActive():
            self._redraw.start()

    def _on_built(self):
        if len(self.view.controller.doc) > LARGE_GRAPH_NODES:
            self._layer = None  # the old picture is out of date; the new one comes in its own turn
            self._after_build.start()
        else:
            self._drop_picture()

    def _drop_picture(self):
        self._layer = None
        self._items_rect = self._cards = None
        self.update()

    def refresh_now(self):
        """Draw the picture again at once (tests, and image export, want it up to date)."""
        self._redraw.stop()
        self._after_build.stop()
        self._drop_picture()

    def items_rect(self) -> QRectF:
        """Every node and frame (cached until the picture is drawn again)."""
        if self._items_rect is None:
            scene = self.view.canvas_scene
            cards = self._cards = scene.card_rects()
            rect = QRectF()
            if cards:
                left = min(x for x, _y, _w, _h in cards.values())
                top = min(y for _x, y, _w, _h in cards.values())
                right = max(x + w for x, _y, w, _h in cards.values())
                bottom = max(y + h for _x, y, _w, h in cards.values())
                rect = QRectF(left, top, right - left, bottom - top)
            for item in [*scene.frame_items(), *scene.blocks.cards.values()]:
                if not item.isVisible():
                    continue
                rect = rect.united(item.sceneBoundingRect())
            self._items_rect = rect
        return QRectF(self._items_rect)

    def world(self) -> QRectF:
        """The scene area the minimap shows: every node and frame, and the visible area."""
        return self.items_rect().united(self.visible_area())

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

    def covers_nodes(self) -> bool:
        """Whether a node of the graph lies under the minimap in the view (then it fades, so it never hides one)."""
        if self.underMouse():
            return False
        scene_rect = self.view.mapToScene(self.geometry()).boundingRect()
        # The scene's index answers for the area alone: a large graph costs no more than a small one here.
        return any(isinstance(item, NodeItem) for item in self.view.canvas_scene.items(scene_rect))

    def paintEvent(self, event):
        colours = canvas_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The items wait for the last slice (see _scene_changed), and after it for a turn of their own.
        building = self.view.canvas_scene.building or self._after_build.isActive()
        # Faded while nodes lie under it (the pointer over it brings it back), so it never hides a node.
        self.faded = not building and self.covers_nodes()
        painter.setOpacity(FADED_OPACITY if self.faded else 1.0)
        back = QColor(colours.preview_background)
        painter.setPen(QPen(colours.preview_border, 1))
        painter.setBrush(back)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if building:
            painter.end()
            return
        world = self.world()
        scale, offset = self._scale(world)
        items = self.items_rect()
        if not items.isEmpty():
            # Drawn once at the scale that shows only the items (the largest they get here), then scaled
            # down when the visible area widens the world.
            key = (self.size().toTuple(), self.devicePixelRatioF(), colours.background.name())
            if self._layer is None or self._layer_key != key:
                self._layer, self._layer_key = self._draw_items(items), key
            target = QRectF(items.topLeft() * scale + offset, items.size() * scale)
            painter.drawPixmap(target, self._layer, QRectF(self._layer.rect()))
        visible = QRectF(self.visible_area().topLeft() * scale + offset, self.visible_area().size() * scale)
        visible = visible.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(QPen(colours.node_selected, 1.5))
        painter.setBrush(QColor(255, 255, 255, 25))
        painter.drawRect(visible)
        painter.end()

    def _draw_items(self, items: QRectF) -> QPixmap:
        """Frames and nodes (in their category colour, red with an error, blue while stale) on a transparent
        pixmap covering exactly `items`, at the scale the minimap shows them when nothing else widens it."""
        colours = canvas_palette()
        scale, _offset = self._scale(items)
        ratio = self.devicePixelRatioF()
        width, height = max(1, round(items.width() * scale * ratio)), max(1, round(items.height() * scale * ratio))
        layer = QPixmap(width, height)
        layer.fill(Qt.GlobalColor.transparent)
        painter = QPainter(layer)
        scale *= ratio
        offset = -items.topLeft() * scale

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
        for card in scene.blocks.cards.values():  # a collapsed block: one box, in its kind's colour
            painter.setBrush(card.summary_colour())
            painter.drawRect(mapped(card.sceneBoundingRect()))
        # One drawRects call per colour, each layer's colour looked up once, the rectangles made from plain
        # numbers: asking every item for its scene rectangle cost a tenth of a second at 10,000 nodes.
        by_colour: dict[tuple, list] = {}
        colour_of: dict = {}
        node_data = doc.graph._node
        drawn = self._drawn_status = {}
        ox, oy = offset.x(), offset.y()
        cards = self._cards if self._cards is not None else scene.card_rects()
        self._cards = None  # drawn: the next picture reads the scene again
        for node_id, (x, y, w, h) in cards.items():
            data = node_data.get(node_id)
            kind = data.get("layer") if data is not None else None
            status = drawn[node_id] = _colour_status(results.get(node_id))
            key = (kind, status)
            if key not in colour_of:
                colour_of[key] = _node_colour(colours, kind, status)
            by_colour.setdefault(key, []).append(QRectF(x * scale + ox, y * scale + oy, w * scale, h * scale))
        for key, rects in by_colour.items():
            painter.setBrush(colour_of[key])
            painter.drawRects(rects)
        painter.end()
        return layer

    # ---- panning ------------------------------------------------------------------------------------------

    def enterEvent(self, event):
        self.update()  # full strength under the pointer
        super().enterEvent(event)

    def leaveEvent(self, event):
        self.update()
        super().leaveEvent(event)

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
        self.view.look_at(self.to_scene(map_point))
        self.update()


def _colour_status(result) -> str | None:
    """What of a node's result decides its colour in the minimap: an error, a stale shape, or neither."""
    if result is None:
        return None
    status = result.status
    return status if status in ("error", "stale") else None


def _node_colour(colours, layer, status) -> QColor:
    if status in ("error", "stale"):
        return colours.stale if status == "stale" else colours.error
    try:
        return colours.category_colour(spec_for(layer).category)
    except (UnknownLayerError, GraphError, TypeError):  # a layer the catalog lacks, or a node being removed
        return colours.unknown_category

