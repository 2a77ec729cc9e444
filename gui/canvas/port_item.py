"""A port: a dot on a node's edge where wires start (output, right) or end (inputs, left).

Ports are children of their node item and know only their kind and index; whether a wire uses them is read
from the document when they paint.
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


class PortItem(QGraphicsItem):
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
            r = geometry.PORT_HIT_RADIUS
            label = 48 if self.kind == INPUT and self.name else 0  # room for the port's name, painted to its right
            self._bounds = QRectF(-r, -r, 2 * r + label, 2 * r)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), geometry.PORT_HIT_RADIUS, geometry.PORT_HIT_RADIUS)
        return path

    def paint(self, painter, option, widget=None):
        if not self.highlight and QStyleOptionGraphicsItem.levelOfDetailFromTransform(
                painter.worldTransform()) < PORTS_HIDDEN_BELOW:
            return  # a dot under 2 pixels across: invisible, and 2,000 nodes' ports cost a third of a frame
        colours = canvas_palette()
        radius = geometry.PORT_RADIUS
        if self.highlight in ("valid", "hover"):
            ring = colours.port_hover_valid if self.highlight == "hover" else colours.port_valid
            painter.setPen(QPen(ring, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grow = 4.0 if self.highlight == "hover" else 2.5
            painter.drawEllipse(QPointF(0, 0), radius + grow, radius + grow)
        elif self.highlight == "refused":
            painter.setPen(QPen(colours.error, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), radius + 3, radius + 3)
        fill = colours.port_fill if self.is_taken() else colours.port_free_fill
        if self.highlight == "hover":
            fill = colours.port_valid
        painter.setPen(QPen(colours.port_border, 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), radius, radius)
        name = self.name
        if name:  # a named port says its part inside the card, next to the dot
            font = QFont(painter.font())
            font.setPointSizeF(max(font.pointSizeF() * 0.75, 6.0))
            painter.setFont(font)
            painter.setPen(colours.text_dim)
            painter.drawText(QPointF(radius + 4, radius), name)
