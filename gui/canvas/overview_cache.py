"""A picture of the zoomed-out canvas, so that panning and zooming a whole large model stays smooth.

Far out (zoom under geometry.PLAIN_BELOW, where an imported 800-layer model fits the window), every frame would
otherwise walk thousands of nodes, ports and wires. Instead the view renders the scene once into a pixmap and
paints frames from it: a pan moves the picture, a zoom scales it, and shortly after zooming stops
(REBUILD_AFTER_MS) the picture is drawn again at the new zoom, sharp.

The picture is dropped, and frames are painted live, whenever anything in the scene changes (an edit, a new
result, a selection, a hover), while a rubber band or a drag is under way, when the view is resized, and
when it no longer covers the visible area; it is then rebuilt after the same short pause. So what it shows
is never out of date by more than one repaint.

What the picture shows is read from the items once per change of the scene (FarOut: the wires as one path per
colour, the cards as rectangles per colour): zooming in or out without an edit draws the same content at
another scale, which at 10,000 nodes is a third of reading it again (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        self.content: FarOut | None = None  # what it shows, as read from the scene since its last change
        self._timer = QTimer(view)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REBUILD_AFTER_MS)
        self._timer.timeout.connect(self.rebuild)
        view.canvas_scene.changed.connect(self.invalidate)

    def wanted(self) -> bool:
        # Dragging a node or a wire changes the scene, which drops the picture anyway; a rubber band does not.
        view = self.view
        return view.zoom() < geometry.PLAIN_BELOW and view.rubberBandRect().isNull()

    def invalidate(self, _regions=None):
        self.pixmap = None
        self.content = None
        if self.view.zoom() < geometry.PLAIN_BELOW:
            self._timer.start()

    def paint(self, event) -> bool:
        """Paint the view's viewport from the picture; False (nothing painted) when it cannot be used."""
        view = self.view
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
        if not self.wanted():
            return
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        rect = visible.adjusted(-visible.width(), -visible.height(), visible.width(), visible.height())
        if self.content is None:
            self.content = read_far_out(view.canvas_scene)
        items = self.content.bounds
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
        draw_far_out(painter, view.canvas_scene, rect, self.content)
        painter.end()
        self.pixmap, self.scene_rect, self.zoom = pixmap, rect, zoom
        self.builds += 1
        view.viewport().update()


@dataclass
class FarOut:
    """What the far-out picture shows, read from the scene's items: the frames and cards' rectangle, every plain
    wire in one path per colour (by whether it carries a shape), the flat cards' rectangles per colour (bodies by
    whether the node waits on an error, headers by category or "blocked"), their outlines by status, and the
    few items that draw themselves (a selected, hovered or hinted wire or card)."""

    bounds: QRectF
    wires: dict = field(default_factory=lambda: {True: QPainterPath(), False: QPainterPath()})
    special_wires: list = field(default_factory=list)
    bodies: dict = field(default_factory=lambda: {False: [], True: []})
    headers: dict = field(default_factory=dict)
    outlines: dict = field(default_factory=dict)
    special_nodes: list = field(default_factory=list)


def read_far_out(scene) -> FarOut:
    """The content of the picture, from plain numbers where it can: asking 10,000 items for their position as a
    QPointF, or each wire whether it is selected, cost a tenth of a second each (issue 18)."""
    content = FarOut(QRectF())
    selected = set(scene.selectedItems())
    for edge in scene.edge_items():
        if edge.drop_hint or edge in selected:
            content.special_wires.append(edge)
        else:
            content.wires[edge.carried_shape() is not None].addPath(edge.path())
    results, node_data = scene.controller.results, scene.controller.doc.graph._node
    width, header_height = geometry.NODE_WIDTH, geometry.HEADER_HEIGHT
    bodies, headers, outlines = content.bodies, content.headers, content.outlines
    categories: dict = {}
    left = top = float("inf")
    right = bottom = float("-inf")
    for item in scene.node_items():
        x, y, height = item.x(), item.y(), item.height
        left, top, right, bottom = min(left, x), min(top, y), max(right, x + width), max(bottom, y + height)
        result = results.get(item.node_id)
        status = result.status if result is not None else "pending"
        if item in selected or item.drop_hint or item._hovered:
            content.special_nodes.append(item)  # its outline says so: drawn by the item (NodeItem.outline_pen)
            continue
        blocked = status == "blocked"
        if blocked:
            key = "blocked"
        else:
            data = node_data.get(item.node_id)
            layer = data.get("layer") if data else None
            if layer not in categories:
                categories[layer] = _category(layer)
            key = categories[layer]
        bodies[blocked].append(QRectF(x, y, width, height))
        headers.setdefault(key, []).append(QRectF(x, y, width, header_height))
        if status in ("error", "warning", "stale"):
            outlines.setdefault(status, []).append(QRectF(x, y, width, height))
    content.special_nodes.sort(key=lambda item: item.zValue())
    # The cards and frames (as nodes_rect gives them), read in the same pass.
    if left <= right:
        content.bounds = QRectF(left, top, right - left, bottom - top).adjusted(-4, -4, 4, 4)
    for frame in scene.frame_items():
        content.bounds = content.bounds.united(frame.sceneBoundingRect())
    return content


def _outline_pen(colours, status: str) -> QPen:
    """As NodeItem.outline_pen gives a card of that status (neither selected nor hovered), widened as
    NodeItem._paint_plain widens it: a visible ring a few pixels wide far out."""
    if status == "error":
        return QPen(colours.error, 12.0)
    if status == "stale":
        return QPen(colours.stale, 12.0, Qt.PenStyle.DashLine)
    return QPen(colours.node_border, 12.0)


def draw_far_out(painter, scene, rect: QRectF, content: FarOut | None = None):
    """The scene as its items paint themselves under geometry.PLAIN_BELOW, drawn in a few calls: the background,
    the frames, every plain wire in one path per colour, then the flat cards (as NodeItem._paint_plain draws
    them) as rectangles per colour and their outlines per status; the few items with an outline of their own
    (selected, hovered) last, as their higher z puts them on top live. Letting the scene render it asked tens
    of thousands of items (ports included) to paint, one Python call each: half a second at 10,000 nodes."""
    colours = canvas_palette()
    content = content if content is not None else read_far_out(scene)
    scene.drawBackground(painter, rect)
    for frame in scene.frame_items():
        painter.save()
        painter.translate(frame.pos())
        frame.paint(painter, None)
        painter.restore()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for carried, path in content.wires.items():
        pen = QPen(colours.wire if carried else colours.wire_broken, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawPath(path)
    for edge in content.special_wires:
        edge.paint(painter, None)
    painter.setPen(Qt.PenStyle.NoPen)
    for blocked, rects in content.bodies.items():
        painter.setBrush(colours.node_blocked_body if blocked else colours.node_body)
        painter.drawRects(rects)
    for key, rects in content.headers.items():
        painter.setBrush(colours.blocked_header if key == "blocked" else colours.category_colour(key))
        painter.drawRects(rects)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for status, rects in content.outlines.items():
        painter.setPen(_outline_pen(colours, status))
        painter.drawRects(rects)
    for item in content.special_nodes:
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
    cards = scene.card_rects(shown_only=False, planned=False).values()
    if cards:
        left = min(x for x, _y, _w, _h in cards)
        top = min(y for _x, y, _w, _h in cards)
        right = max(x + w for x, _y, w, _h in cards)
        bottom = max(y + h for _x, y, _w, h in cards)
        rect = QRectF(left, top, right - left, bottom - top).adjusted(-4, -4, 4, 4)
    for frame in scene.frame_items():
        rect = rect.united(frame.sceneBoundingRect())
    return rect
