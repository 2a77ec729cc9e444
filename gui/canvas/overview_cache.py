"""A picture of the zoomed-out canvas, so that panning and zooming a whole large model stays smooth.

Far out (zoom under geometry.PLAIN_BELOW, where an imported 800-layer model fits the window), every frame would
otherwise walk thousands of nodes, ports and wires. Instead the view renders the scene once into a pixmap and
paints frames from it: a pan moves the picture, a zoom scales it, and shortly after zooming stops
(REBUILD_AFTER_MS) the picture is drawn again at the new zoom, sharp.

The picture is dropped, and frames are painted live, whenever anything in the scene changes (an edit, a new
result, a selection, a hover), while a rubber band or a drag is under way, when the view is resized, and
when it no longer covers the visible area; it is then rebuilt after the same short pause. So what it shows
is never out of date by more than one repaint.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPixmap

from builder.catalog.specs import UnknownLayerError, spec_for
from gui.canvas import geometry
from gui.theme import canvas_palette

REBUILD_AFTER_MS = 150
MAX_PIXELS = 4096 * 4096  # a larger picture would cost more memory than live painting costs time


class OverviewCache:
    def __init__(self, view):
        self.view = view
        self.pixmap: QPixmap | None = None
        self.scene_rect = QRectF()  # the part of the scene the picture shows
        self.zoom = 0.0  # the zoom it was drawn at
        self.builds = 0  # how many pictures were drawn (for tests and benchmarks)
        self._timer = QTimer(view)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REBUILD_AFTER_MS)
        self._timer.timeout.connect(self.rebuild)
        self._following = False  # whether scene.changed drops the picture (see follow_scene)

    def follow_scene(self, on: bool):
        """Listen to the scene's `changed` only while zoomed far out, where the picture is used. While anything
        listens, Qt sends every item's update through that signal as a list of rectangles (a Python list of
        thousands while an auto-layout moves 10,000 nodes) instead of straight to the view (issue 18)."""
        if on == self._following:
            return
        self._following = on
        changed = self.view.canvas_scene.changed
        if on:
            self.pixmap = None  # changes made while not listening are not in it
            changed.connect(self.invalidate)
        else:
            changed.disconnect(self.invalidate)

    def wanted(self) -> bool:
        # Dragging a node or a wire changes the scene, which drops the picture anyway; a rubber band does not.
        view = self.view
        return view.zoom() < geometry.PLAIN_BELOW and view.rubberBandRect().isNull()

    def invalidate(self, _regions=None):
        self.pixmap = None
        if self.view.zoom() < geometry.PLAIN_BELOW:
            self._timer.start()

    def paint(self, event) -> bool:
        """Paint the view's viewport from the picture; False (nothing painted) when it cannot be used."""
        view = self.view
        self.follow_scene(view.zoom() < geometry.PLAIN_BELOW)
        if not self.wanted():
            self.pixmap = None
            return False
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        if self.pixmap is None or not self.scene_rect.contains(visible):
            self._timer.start()
            return False
        if abs(view.zoom() - self.zoom) > 1e-9 * self.zoom:
            self._timer.start()  # sharp again once the zooming stops
        painter = QPainter(view.viewport())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = view.mapFromScene(self.scene_rect).boundingRect()
        painter.drawPixmap(QRectF(target), self.pixmap, QRectF(self.pixmap.rect()))
        painter.end()
        return True

    def rebuild(self):
        """Draw the picture at the current zoom: the visible area and a viewport's width and height around it,
        within reason, so that panning stays on the picture for a while."""
        view = self.view
        self.follow_scene(view.zoom() < geometry.PLAIN_BELOW)
        if not self.wanted():
            return
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        rect = visible.adjusted(-visible.width(), -visible.height(), visible.width(), visible.height())
        items = nodes_rect(view.canvas_scene)
        rect = rect.intersected(items.adjusted(-visible.width(), -visible.height(), visible.width(),
                                               visible.height())).united(visible)
        ratio = view.viewport().devicePixelRatioF()
        zoom = view.zoom()
        width, height = round(rect.width() * zoom * ratio), round(rect.height() * zoom * ratio)
        if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
            return
        pixmap = QPixmap(width, height)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(canvas_palette().background)
        painter = QPainter(pixmap)
        painter.setRenderHints(view.renderHints())
        painter.scale(width / ratio / rect.width(), height / ratio / rect.height())
        painter.translate(-rect.left(), -rect.top())
        draw_far_out(painter, view.canvas_scene, rect)
        painter.end()
        self.pixmap, self.scene_rect, self.zoom = pixmap, rect, zoom
        self.builds += 1
        view.viewport().update()


def draw_far_out(painter, scene, rect: QRectF):
    """The scene as its items paint themselves under geometry.PLAIN_BELOW, drawn in a few calls: the background,
    the frames, every plain wire in one path per colour, then each node's flat card (NodeItem._paint_plain).
    Letting the scene render it asked tens of thousands of items (ports included) to paint, one Python call
    each: half a second at 10,000 nodes."""
    colours = canvas_palette()
    scene.drawBackground(painter, rect)
    for frame in scene.frame_items():
        painter.save()
        painter.translate(frame.pos())
        frame.paint(painter, None)
        painter.restore()
    plain = {True: QPainterPath(), False: QPainterPath()}  # by whether the wire carries a shape
    special = []
    for edge in scene.edge_items():
        if edge.isSelected() or edge.drop_hint:
            special.append(edge)
        else:
            plain[edge.carried_shape() is not None].addPath(edge.path())
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for carried, path in plain.items():
        pen = QPen(colours.wire if carried else colours.wire_broken, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawPath(path)
    for edge in special:
        edge.paint(painter, None)
    # Cards: two flat rectangles each, as NodeItem._paint_plain draws them; the few with an outline (selected,
    # an error or warning, stale) are drawn by the item itself, last, as their higher z puts them on top live.
    results, node_data = scene.controller.results, scene.controller.doc.graph._node
    outlined = []
    width, header_height = geometry.NODE_WIDTH, geometry.HEADER_HEIGHT
    bodies: dict[bool, list] = {False: [], True: []}  # by whether the node waits on an error (blocked)
    headers: dict[object, list] = {}  # by category, or "blocked"
    categories: dict = {}
    for item in scene.node_items():
        result = results.get(item.node_id)
        status = result.status if result is not None else "pending"
        if status in ("error", "warning", "stale") or item.isSelected():
            outlined.append(item)
            continue
        position = item.pos()
        x, y = position.x(), position.y()
        blocked = status == "blocked"
        if blocked:
            key = "blocked"
        else:
            data = node_data.get(item.node_id)
            layer = data.get("layer") if data else None
            if layer not in categories:
                categories[layer] = _category(layer)
            key = categories[layer]
        bodies[blocked].append(QRectF(x, y, width, item.height))
        headers.setdefault(key, []).append(QRectF(x, y, width, header_height))
    painter.setPen(Qt.PenStyle.NoPen)
    for blocked, rects in bodies.items():
        painter.setBrush(colours.node_blocked_body if blocked else colours.node_body)
        painter.drawRects(rects)
    for key, rects in headers.items():
        painter.setBrush(colours.blocked_header if key == "blocked" else colours.category_colour(key))
        painter.drawRects(rects)
    for item in sorted(outlined, key=lambda item: item.zValue()):
        painter.save()
        painter.translate(item.pos())
        item._paint_plain(painter, item.face())
        painter.restore()


def _category(layer) -> str | None:
    try:
        return spec_for(layer).category
    except (UnknownLayerError, TypeError):
        return None


def nodes_rect(scene) -> QRectF:
    """The cards and frames of the scene, from their positions (the scene's own itemsBoundingRect asks every
    item, ports and wires too, for its rectangle: most of a second at 10,000 nodes)."""
    rect = QRectF()
    cards = [(item.pos(), item.height) for item in scene.node_items()]
    if cards:
        left = min(p.x() for p, _h in cards)
        top = min(p.y() for p, _h in cards)
        right = max(p.x() for p, _h in cards) + geometry.NODE_WIDTH
        bottom = max(p.y() + h for p, h in cards)
        rect = QRectF(left, top, right - left, bottom - top).adjusted(-4, -4, 4, 4)
    for frame in scene.frame_items():
        rect = rect.united(frame.sceneBoundingRect())
    return rect
