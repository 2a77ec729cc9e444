"""Ports: dots on a node's edge where wires start (output, right) or end (inputs, left).

A node card draws its own ports (NodePort: no Qt item of its own) and finds them under the pointer: a model of
10,000 nodes has 23,000 ports, and as items each was indexed, asked for its rectangle and painted through a
Python call on every move and frame (issue 18). A collapsed block's card keeps item ports (PortItem, few).
Both know only their kind and index; whether a wire uses them is read from the document when they paint.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for
from gui.canvas import geometry
from gui.canvas.text import tooltip_html
from gui.theme import canvas_palette

INPUT, OUTPUT = "in", "out"
_PORT_NAMES: dict[tuple, str | None] = {}  # (layer, input index) -> its name (specs never change)
PORTS_HIDDEN_BELOW = 0.3  # zoom under which plain ports are not drawn (highlighted ones still are)
NAME_ROOM = 48  # width a named input port's label takes, painted to the right of its dot


class PortInfo:
    """What a port says about itself, read from the document: mixed into both kinds of port, which provide
    `node_item`, `node_id`, `kind` and `index`."""

    kind: str
    index: int

    def is_taken(self) -> bool:
        doc = self.node_item.controller.doc
        if self.node_id not in doc:
            return False
        if self.kind == OUTPUT:
            return bool(doc.outputs_of(self.node_id))
        return any(port == self.index for _source, port in doc.inputs_of(self.node_id))

    @property
    def name(self) -> str | None:
        """The input port's name where the layer names its ports (attention's query, value, key), else None."""
        return self._name

    def _read_name(self) -> str | None:
        doc = self.node_item.controller.doc
        if self.kind == OUTPUT or self.node_id not in doc:  # a removed node's items may still be asked
            return None
        layer = doc.layer(self.node_id)
        if not isinstance(layer, str):  # a damaged file's node: no name (the node shows its error)
            return None
        key = (layer, self.index)
        if key not in _PORT_NAMES:  # one lookup per layer and port: a large model has thousands of each
            try:
                _PORT_NAMES[key] = spec_for(layer).port_name(self.index)
            except UnknownLayerError:
                return None
        return _PORT_NAMES[key]

    def tooltip_text(self) -> str:
        controller = self.node_item.controller
        doc, results = controller.doc, controller.results
        if self.node_id not in doc:
            return ""
        if self.kind == OUTPUT:
            result = results.get(self.node_id)
            shape = fmt(result.shape) if result is not None and result.shape is not None else "no shape yet"
            return f"{self.node_id} output: {shape}\nDrag to an input port to connect"
        source = next((u for u, port in doc.inputs_of(self.node_id) if port == self.index), None)
        label = f"input {self.index}" if self.name is None else f"{self.name} (input {self.index})"
        if source is None:
            return f"{self.node_id} {label}: free\nDrag a wire here from an output port"
        result = results.get(source)
        shape = fmt(result.shape) if result is not None and result.shape is not None else "no shape"
        return f"{self.node_id} {label} ← {source}: {shape}"

    def local_bounds(self) -> QRectF:
        """The port's rectangle around its centre: the hit circle, and the name's room to the right."""
        r = geometry.PORT_HIT_RADIUS
        label = NAME_ROOM if self.kind == INPUT and self.name else 0
        return QRectF(-r, -r, 2 * r + label, 2 * r)


def paint_port(painter, centre: QPointF, highlight: str | None, taken: bool, name: str | None):
    """A port's dot at `centre`: filled when a wire uses it, ringed while a dragged wire could (or could not)
    end there, its name beside it when the layer names its ports."""
    colours = canvas_palette()
    radius = geometry.PORT_RADIUS
    if highlight in ("valid", "hover"):
        ring = colours.port_hover_valid if highlight == "hover" else colours.port_valid
        painter.setPen(QPen(ring, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        grow = 4.0 if highlight == "hover" else 2.5
        painter.drawEllipse(centre, radius + grow, radius + grow)
    elif highlight == "refused":
        painter.setPen(QPen(colours.error, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, radius + 3, radius + 3)
    fill = colours.port_fill if taken else colours.port_free_fill
    if highlight == "hover":
        fill = colours.port_valid
    painter.setPen(QPen(colours.port_border, 1.5))
    painter.setBrush(QBrush(fill))
    painter.drawEllipse(centre, radius, radius)
    if name:  # a named port says its part inside the card, next to the dot
        font = QFont(painter.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.75, 6.0))
        painter.setFont(font)
        painter.setPen(colours.text_dim)
        painter.drawText(centre + QPointF(radius + 4, radius), name)


class NodePort(PortInfo):
    """A port drawn by its node card (NodeItem), at a place the card sets (`place`). It answers what the wiring,
    the scene and tests ask of a port (pos, scenePos, highlight, tooltip) without being a Qt item."""

    __slots__ = ("_card", "_name", "_x", "_y", "highlight", "index", "kind")

    def __init__(self, card, kind: str, index: int):
        self._card, self.kind, self.index = card, kind, index
        self._x = self._y = 0.0
        self.highlight: str | None = None  # None, "valid" (a drop here would work), "hover", "refused"
        self._name = self._read_name()

    @property
    def node_item(self):
        return self._card

    @property
    def node_id(self) -> str:
        return self._card.node_id

    def place(self, x: float, y: float):
        self._x, self._y = x, y

    def pos(self) -> QPointF:
        return QPointF(self._x, self._y)

    def scene_xy(self) -> tuple[float, float]:
        """Where the port is in the scene, as numbers (cards are top-level items, never scaled or rotated)."""
        card = self._card
        return card.x() + self._x, card.y() + self._y

    def scenePos(self) -> QPointF:  # named as Qt names it: the wiring handles both kinds of port alike
        return QPointF(*self.scene_xy())

    def scene(self):
        return self._card.scene()

    def boundingRect(self) -> QRectF:
        return self.local_bounds()

    def hit(self, x: float, y: float) -> bool:
        """Whether the card-local point (x, y) is on the port (within its hit radius)."""
        dx, dy = x - self._x, y - self._y
        return dx * dx + dy * dy <= geometry.PORT_HIT_RADIUS * geometry.PORT_HIT_RADIUS

    def set_highlight(self, highlight: str | None):
        if highlight != self.highlight:
            self.highlight = highlight
            self._card.update()

    def update(self):
        self._card.update()

    def paint_on_card(self, painter):
        paint_port(painter, QPointF(self._x, self._y), self.highlight, self.is_taken(), self._name)


class PortItem(PortInfo, QGraphicsItem):
    """A port as an item of its own: on a collapsed block's card (gui/canvas/block_items.CardPortItem)."""

    def __init__(self, node_item, kind: str, index: int):
        super().__init__(node_item)
        self.kind, self.index = kind, index
        # The port's name never changes (a node keeps its layer); read once, since boundingRect asks for it
        # whenever the scene's index does.
        self._name = self._read_name()
        self._bounds: QRectF | None = None
        self.highlight: str | None = None  # None, "valid" (a drop here would work), "hover", "refused"
        self.setAcceptHoverEvents(True)
        self.setZValue(1)  # the cross cursor is set as the pointer first arrives (hoverEnterEvent)

    @property
    def node_item(self):
        return self.parentItem()

    @property
    def node_id(self) -> str:
        return self.parentItem().node_id

    def hoverEnterEvent(self, event):
        if not self.hasCursor():  # set here, not when made: a model of 10,000 nodes has 23,000 ports (issue 18)
            self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(tooltip_html(self.tooltip_text()))  # read now: the source's shape may have changed since
        super().hoverEnterEvent(event)

    def set_highlight(self, highlight: str | None):
        if highlight != self.highlight:
            self.highlight = highlight
            self.update()

    def boundingRect(self) -> QRectF:
        # Asked for very often (the scene's index, every paint): made once, as the name never changes.
        if self._bounds is None:
            self._bounds = self.local_bounds()
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), geometry.PORT_HIT_RADIUS, geometry.PORT_HIT_RADIUS)
        return path

    def paint(self, painter, option, widget=None):
        if not self.highlight and QStyleOptionGraphicsItem.levelOfDetailFromTransform(
                painter.worldTransform()) < PORTS_HIDDEN_BELOW:
            return  # a dot under 2 pixels across: invisible
        paint_port(painter, QPointF(0, 0), self.highlight, self.is_taken(), self.name)
