"""A wire: a smooth curve from a source's output port to one input port of its target.

It is identified by (source, target, port), exactly as the document stores it. Hovering shows the shape the
wire carries; a wire whose source has no shape is drawn dashed.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from builder.catalog.rules import fmt
from builder.layout.wire_routes import detour_points
from gui.canvas import geometry
from gui.canvas.hover import HoverHighlight
from gui.canvas.text import tooltip_html
from gui.theme import canvas_palette

_SELECTED_CHANGE = QGraphicsItem.GraphicsItemChange.ItemSelectedChange
CORNER_RADIUS = 16.0
HIT_WIDTH = 12.0  # easy to hover and click, though drawn thin


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A horizontal S-curve; the handles grow with distance so backward wires loop around instead of
    cutting through the nodes."""
    dx = max(abs(end.x() - start.x()) * 0.5, 40.0)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


def detour_path(start: QPointF, end: QPointF, lane: float) -> QPainterPath:
    """A wire that runs backwards (to the next band of a wrapped layout): out of its port to the right, along
    the free lane between the bands, and into its target from the left (builder/layout/wire_routes.py), with the
    corners rounded so it still reads as a wire."""
    points = [QPointF(x, y) for x, y in detour_points((start.x(), start.y()), (end.x(), end.y()), lane)]
    path = QPainterPath(points[0])
    for before, corner, after in zip(points, points[1:], points[2:]):
        path.lineTo(_towards(corner, before, CORNER_RADIUS))
        path.quadTo(corner, _towards(corner, after, CORNER_RADIUS))
    path.lineTo(points[-1])
    return path


def _towards(corner: QPointF, other: QPointF, distance: float) -> QPointF:
    """The point `distance` from `corner` on the way to `other` (at most halfway, for short legs)."""
    length = QLineF(corner, other).length()
    if length == 0:
        return QPointF(corner)
    step = min(distance, length / 2) / length
    return corner + (other - corner) * step


class EdgeItem(HoverHighlight, QGraphicsRectItem):
    def __init__(self, controller, source: str, target: str, port: int):
        super().__init__()
        self.controller = controller
        self.source, self.target, self.port = source, target, port
        self.drop_hint: str | None = None  # "ok" / "refused" while a node is dragged over the wire
        self._path = QPainterPath()
        self._hit_path: QPainterPath | None = QPainterPath()  # None: to be made from the path when asked
        # The item's rectangle is its bounding rectangle (no pen), read by Qt in C++: a Python boundingRect was
        # a call into Python each time the scene's index or a paint asked, for each of 12,000 wires (issue 18).
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self.sync()

    @property
    def key(self) -> tuple[str, str, int]:
        return self.source, self.target, self.port

    def carried_shape(self):
        result = self.controller.results.get(self.source)
        return None if result is None else result.shape

    def tooltip_text(self) -> str:
        result = self.controller.results.get(self.source)
        head = f"{self.source} → {self.target} (port {self.port})"
        if result is None:
            return f"{head}\nshape not computed yet"
        if result.shape is None:
            reason = f"waits on {result.blocked_by}" if result.blocked_by else f"{self.source} has an error"
            return f"{head}\nno shape: {reason}"
        return f"{head}\ncarries {fmt(result.shape)}"

    def sync(self):
        """Refresh the look (and the tooltip, if hovered) after the source's results changed."""
        if self._hovered:
            self.setToolTip(self.toolTip())
        self.update()

    def toolTip(self) -> str:
        """The tooltip, read now; Qt shows what about_to_hover set as the pointer arrived (see NodeItem)."""
        return tooltip_html(self.tooltip_text())

    def set_ends(self, start: QPointF, end: QPointF, lane: float | None = None):
        """The wire's path between its ports: an S-curve, or with `lane` a detour along it (a backward wire)."""
        path = wire_path(start, end) if lane is None else detour_path(start, end, lane)
        # The bounds are the curve's control points and half the hit width around them (a Bézier curve stays
        # inside its control points); the outline that is hovered and clicked is made when first asked for,
        # as most wires of a large model never are.
        half = HIT_WIDTH / 2
        self._path, self._hit_path = path, None
        bounds = path.controlPointRect().adjusted(-half, -half, half, half)
        if bounds == self.rect():
            self.update()  # the same extent, another curve: setRect would change nothing
        else:
            self.setRect(bounds)  # tells the scene's index, and repaints

    def path(self) -> QPainterPath:
        """The wire's curve, in scene coordinates (the item stays at the origin)."""
        return self._path

    def shape(self) -> QPainterPath:
        if self._hit_path is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            self._hit_path = stroker.createStroke(self.path())
        return self._hit_path

    def set_drop_hint(self, hint: str | None):
        if hint != self.drop_hint:
            self.drop_hint = hint
            self.update()

    def pen(self) -> QPen:
        colours = canvas_palette()
        if self.drop_hint:
            pen = QPen(colours.port_valid if self.drop_hint == "ok" else colours.error, 4.0)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            return pen
        if self.isSelected():
            colour, width = colours.wire_selected, 3.0
        elif self._hovered:
            colour, width = colours.wire_hover, 2.5
        elif self.carried_shape() is None:
            colour, width = colours.wire_broken, 1.8
        else:
            colour, width = colours.wire, 2.0
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if self.carried_shape() is None and not self.isSelected():
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def paint(self, painter, option, widget=None):
        colours = canvas_palette()
        if painter.worldTransform().m11() < geometry.PLAIN_BELOW and not (self.isSelected() or self.drop_hint):
            pen = QPen(colours.wire if self.carried_shape() is not None else colours.wire_broken, 1.0)
            pen.setCosmetic(True)  # one pixel at any zoom, the cheapest line to draw
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.path())
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())

    def itemChange(self, change, value):
        # The other changes go straight back (Qt's own itemChange returns the value unchanged): a large model's
        # wires call this eight times each as they are made (issue 18).
        if change is _SELECTED_CHANGE and value:
            scene = self.scene()
            if scene is not None and getattr(scene, "rubber_band_active", False):
                return False  # a rubber band picks nodes; wires crossing it are not meant for deletion
        return value

    def about_to_hover(self):
        self.setToolTip(self.toolTip())  # read now: the shape may have changed since
