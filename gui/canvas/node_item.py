"""A node on the canvas: a rounded card with a coloured header (id, layer type), the param summary, the
output shape and the parameter count; input ports on the left, the output port on the right, drawn by the card
itself and found under the pointer by it (gui/canvas/port_item.NodePort).

It holds its node id and reads everything else from the controller when it paints or syncs, so it can never
disagree with the document. Painting is cached per item (DeviceCoordinateCache) and drops detail when
zoomed out, which keeps graphs of hundreds of nodes smooth.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem

from gui.canvas import geometry
from gui.canvas.cost_overlay import heat
from gui.canvas.face import NodeFace, input_port_count, node_face
from gui.canvas.hover import HoverHighlight
from gui.canvas.port_item import INPUT, OUTPUT, PORTS_HIDDEN_BELOW, NodePort
from gui.canvas.text import draw_zoomed_out_name, font, label_font, tooltip_html
from gui.theme import canvas_palette

_ELIDE = Qt.TextElideMode.ElideRight
_MIDDLE = Qt.TextElideMode.ElideMiddle
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


_POSITION_CHANGE = QGraphicsItem.GraphicsItemChange.ItemPositionChange
_POSITION_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged
_SELECTED_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged


_TEXT_BLOCK = geometry.BODY_LINES * geometry.BODY_LINE_HEIGHT + 2 * geometry.BODY_PADDING
# Every node's output, and a single input, sit at the same height, so wires between nodes in a row run
# straight whatever their size; a merge layer's extra inputs extend its card downwards.
PORT_Y = geometry.HEADER_HEIGHT + _TEXT_BLOCK / 2
_FIRST_PORT_MIN_Y = geometry.HEADER_HEIGHT + 12


def input_port_ys(count: int) -> list[float]:
    first = max(PORT_Y - (count - 1) / 2 * geometry.PORT_SPACING, _FIRST_PORT_MIN_Y)
    return [first + i * geometry.PORT_SPACING for i in range(count)]


def node_height(input_ports: int) -> float:
    last_port = input_port_ys(input_ports)[-1] if input_ports else PORT_Y
    return max(geometry.HEADER_HEIGHT + _TEXT_BLOCK, last_port + 14)


class NodeItem(HoverHighlight, QGraphicsRectItem):
    def __init__(self, controller, node_id: str):
        super().__init__()
        self.controller = controller
        self.node_id = node_id
        self._height = node_height(1)
        # The item's rectangle is its bounding rectangle (no pen): Qt reads it in C++, where a Python
        # boundingRect was a call into Python each time the scene's index or a paint asked (issue 18).
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setRect(self._bounds_for(self._height))
        self._face_cache: tuple | None = None  # (result, (id, layer, params, keras_shape), face): see face()
        self.input_ports: list[NodePort] = []
        self.output_port = NodePort(self, OUTPUT, 0)
        self._port_under_pointer: NodePort | None = None
        # ItemSendsGeometryChanges is turned on by follow_moves once the scene has placed the item: every
        # notification is a call into Python, and a large model places thousands at once.
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.drop_hint: str | None = None  # "ok" / "refused" while dragged over a wire
        self.follows_moves = False
        self.sync()

    def follow_moves(self):
        """From now on a move tells the scene (wires follow, snapping while dragged)."""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.follows_moves = True

    # ---- reading the document -----------------------------------------------------------------------------

    def face(self) -> NodeFace:
        """What the card shows, kept while the node's result, layer and params stay the same: painting asks
        for it on every repaint of the item, and a zoomed-out frame repaints thousands of them."""
        doc, result = self.controller.doc, self.controller.results.get(self.node_id)
        data = doc.graph.nodes[self.node_id] if self.node_id in doc else {}
        # The id too: inference hands equal nodes one shared result, so a rename keeps the same result.
        key = (self.node_id, data.get("layer"), data.get("params"), data.get("keras_shape"))
        cached = self._face_cache
        if cached is not None and cached[0] is result and cached[1] == key:
            return cached[2]
        face = node_face(doc, self.controller.results, self.node_id)
        self._face_cache = (result, _snapshot(key), face)
        return face

    def sync(self):
        """Match ports, size and tooltip to the document and results; called by the scene on every change
        that concerns this node."""
        doc = self.controller.doc
        if self.node_id not in doc:
            return
        count = input_port_count(doc, self.node_id)
        height = node_height(count)
        if height != self._height:
            self._height = height
            self.setRect(self._bounds_for(height))  # tells the scene the geometry changes
        while len(self.input_ports) < count:
            self.input_ports.append(NodePort(self, INPUT, len(self.input_ports)))
        del self.input_ports[count:]
        for port, y in zip(self.input_ports, input_port_ys(count)):
            port.place(0.0, y)
        self.output_port.place(geometry.NODE_WIDTH, PORT_Y)
        if self._hovered:  # otherwise it is set when the pointer arrives (about_to_hover)
            self.setToolTip(self.toolTip())
        self.update()

    def toolTip(self) -> str:
        """The tooltip, read from the document now. Qt shows what setToolTip gave it, which about_to_hover
        refreshes as the pointer arrives: making thousands of rich-text tooltips nobody hovers cost a fifth of
        opening a large model."""
        return tooltip_html(self.face().tooltip)

    def about_to_hover(self):
        self.setToolTip(self.toolTip())

    @property
    def height(self) -> float:
        return self._height

    def input_port(self, index: int) -> NodePort | None:
        return self.input_ports[index] if 0 <= index < len(self.input_ports) else None

    def ports(self) -> list[NodePort]:
        return [*self.input_ports, self.output_port]

    def port_at(self, pos: QPointF) -> NodePort | None:
        """The port under the card-local point `pos` (within its hit radius), or None."""
        x, y = pos.x(), pos.y()
        if geometry.PORT_HIT_RADIUS < x < geometry.NODE_WIDTH - geometry.PORT_HIT_RADIUS:
            return None  # between the two edges: no port reaches there
        return next((port for port in self.ports() if port.hit(x, y)), None)

    # ---- lightbulb, derivations and cost (issue 14) ---------------------------------------------------------

    def has_bulb(self) -> bool:
        """A node in error, or with a warning, shows a lightbulb: a click lists its verified fixes."""
        return self.face().status in ("error", "warning")

    def bulb_rect(self) -> QRectF:
        margin = geometry.TEXT_MARGIN
        right = geometry.NODE_WIDTH - margin - 8 - 22 - (22 if self.face().keras else 0)
        centre_y = geometry.HEADER_HEIGHT / 2
        return QRectF(right - 9, centre_y - 9, 18, 18)

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and self.has_bulb() and \
                self.bulb_rect().adjusted(-3, -3, 3, 3).contains(event.pos()):
            scene = self.scene()
            if scene is not None and scene.views():
                scene.views()[0].open_fix_menu(self.node_id, event.screenPos())
            event.accept()
            return
        super().mousePressEvent(event)

    def shape_line_rect(self) -> QRectF:
        top = geometry.HEADER_HEIGHT + geometry.BODY_PADDING + geometry.BODY_LINE_HEIGHT
        return QRectF(geometry.TEXT_MARGIN, top, geometry.NODE_WIDTH - 2 * geometry.TEXT_MARGIN,
                      geometry.BODY_LINE_HEIGHT)

    def hoverMoveEvent(self, event):
        """Over a dimension of the shape line: that dimension's derivation; over the params line: how the
        count is made; elsewhere the card's own tooltip. Computed on hover (builder.explain), never per edit."""
        from gui.derivations import dimension_at, shape_derivation

        if self._hover_port(self.port_at(event.pos())):
            super().hoverMoveEvent(event)
            return
        face, pos = self.face(), event.pos()
        tip = face.tooltip
        shape_rect = self.shape_line_rect()
        if face.status in ("ok", "warning") and shape_rect.contains(pos):
            column = int((pos.x() - shape_rect.left()) / max(QFontMetricsF(font("mono")).horizontalAdvance("0"), 1))
            axis = dimension_at(face.shape, column)
            tip = shape_derivation(self.controller, self.node_id, axis) if axis is not None else tip
        elif face.status in ("ok", "warning") and shape_rect.translated(0, geometry.BODY_LINE_HEIGHT).contains(pos):
            tip = shape_derivation(self.controller, self.node_id).split("Parameters:\n", 1)[-1]
        elif self.has_bulb() and self.bulb_rect().contains(pos):
            tip = "Click for fixes (each checked on a copy before it is offered)"
        scene = self.scene()
        cost = getattr(scene, "cost_overlay", None)
        if cost is not None and cost.mode and self.node_id in cost.values and tip == face.tooltip:
            value = cost.values[self.node_id]
            tip = f"{tip}\n\n{cost.mode}: {'unknown' if value is None else f'{value:,}'}"
        self.setToolTip(tooltip_html(tip))
        super().hoverMoveEvent(event)

    def _hover_port(self, port: NodePort | None) -> bool:
        """Over a port: the cross cursor (a wire can be dragged from here) and the port's tooltip, read now. Set
        as the pointer arrives on the port, not per card: a model of 10,000 nodes has 23,000 ports (issue 18)."""
        if port is self._port_under_pointer:
            return port is not None
        self._port_under_pointer = port
        if port is None:
            self.unsetCursor()
            return False
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(tooltip_html(port.tooltip_text()))
        return True

    def hoverEnterEvent(self, event):
        super().hoverEnterEvent(event)  # the card's tooltip first (about_to_hover); a port's replaces it
        self._hover_port(self.port_at(event.pos()))

    def hoverLeaveEvent(self, event):
        self._hover_port(None)
        super().hoverLeaveEvent(event)

    def cost_fraction(self) -> float | None:
        scene = self.scene()
        cost = getattr(scene, "cost_overlay", None)
        return None if cost is None or not cost.mode else cost.fractions.get(self.node_id)

    def mark(self) -> str | None:
        """The badge in the header: 'error', 'warning' or None."""
        status = self.face().status
        return status if status in ("error", "warning") else None

    def outline_pen(self) -> QPen:
        colours = canvas_palette()
        if self.drop_hint:  # dragged over a wire: would it go in? (the wire itself is hidden under the card)
            return QPen(colours.port_valid if self.drop_hint == "ok" else colours.error, 3.0)
        status = self.face().status
        if status == "error":
            return QPen(colours.error, 2.5)
        if status == "stale" and not self.isSelected():
            return QPen(colours.stale, 1.5, Qt.PenStyle.DashLine)
        if self.isSelected():
            return QPen(colours.node_selected, 2.0)
        if self._hovered:
            return QPen(colours.text_dim, 1.5)
        return QPen(colours.node_border, 1.0)

    # ---- geometry -----------------------------------------------------------------------------------------

    def card_rect(self) -> QRectF:
        return QRectF(0.0, 0.0, geometry.NODE_WIDTH, self._height)

    @staticmethod
    def _bounds_for(height: float) -> QRectF:
        """Room for the selection ring and thick outline, and the ports on both edges with their hover rings."""
        side = geometry.PORT_HIT_RADIUS + 1
        return QRectF(-side, -4, geometry.NODE_WIDTH + 2 * side, height + 8)

    def shape(self) -> QPainterPath:
        """The card and its ports' hit circles: a press on a port's outer half still reaches the card."""
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        for port in self.ports():
            path.addEllipse(port.pos(), geometry.PORT_HIT_RADIUS, geometry.PORT_HIT_RADIUS)
        path.setFillRule(Qt.FillRule.WindingFill)  # overlapping circles and card stay filled
        return path

    # ---- events -------------------------------------------------------------------------------------------

    def itemChange(self, change, value):
        # Called about twenty times per node while a model opens (ports added, flags, scene, position): the
        # changes it does not handle go straight back (Qt's own itemChange returns the value unchanged), and the
        # enum members are compared by identity, read once (issue 18).
        if change is _POSITION_CHANGE or change is _POSITION_CHANGED:
            scene = self.scene()
            if scene is not None:
                if change is _POSITION_CHANGE:
                    return scene.adjust_dragged_position(value)
                scene.node_moved_visually(self.node_id)
        elif change is _SELECTED_CHANGED:
            self.setZValue(2 if value else 0)
        return value

    # ---- painting -----------------------------------------------------------------------------------------

    def paint(self, painter, option, widget=None):
        colours = canvas_palette()
        if self.node_id not in self.controller.doc:
            return
        face = self.face()
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < geometry.PLAIN_BELOW:
            self._paint_plain(painter, face)
            self._paint_ports(painter, lod)
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        rect = self.card_rect()
        blocked = face.status == "blocked"
        header = colours.blocked_header if blocked else colours.category_colour(face.category)
        body = colours.node_blocked_body if blocked else colours.node_body
        outline = self.outline_pen()

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(body))
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        fraction = self.cost_fraction()
        if fraction is not None and fraction >= 0:  # the cost overlay: a tint of the body, a bar at its foot
            tint = heat(fraction)
            tint.setAlpha(70)
            painter.setBrush(QBrush(tint))
            painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
            painter.setBrush(QBrush(heat(fraction)))
            painter.drawRect(QRectF(0, rect.height() - 6, rect.width() * max(fraction, 0.05), 6))
        header_rect = QRectF(0, 0, rect.width(), geometry.HEADER_HEIGHT)
        painter.save()
        painter.setClipRect(header_rect)
        painter.setBrush(QBrush(header))
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        painter.restore()

        if lod < geometry.LOW_DETAIL_BELOW:
            self._paint_overview(painter, face, lod)
        elif lod < geometry.LABEL_BELOW:
            self._paint_label(painter, face, lod, blocked)
        else:
            self._paint_header(painter, face, blocked)
            self._paint_body(painter, face, blocked)

        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(outline)
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        if self.isSelected() and face.status == "error":
            painter.setPen(QPen(colours.node_selected, 1.5))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), geometry.NODE_RADIUS + 3, geometry.NODE_RADIUS + 3)
        self._paint_ports(painter, lod)

    def _paint_ports(self, painter, lod: float):
        """The ports over the card's edges; far out only those a dragged wire rings (a dot under 2 pixels)."""
        hidden = lod < PORTS_HIDDEN_BELOW
        for port in self.ports():
            if not hidden or port.highlight:
                port.paint_on_card(painter)

    def _paint_header(self, painter, face: NodeFace, blocked: bool):
        colours = canvas_palette()
        margin = geometry.TEXT_MARGIN
        mark = face.status if face.status in ("error", "warning") else None
        text_width = geometry.NODE_WIDTH - 2 * margin - (44 if mark else 0) - (22 if face.keras else 0)
        title_font, layer_font = font("title"), font("layer")
        painter.setFont(title_font)
        painter.setPen(colours.text_dim if blocked else colours.text_on_header)
        painter.drawText(QRectF(margin, 4, text_width, 19), _LEFT,
                         QFontMetricsF(title_font).elidedText(face.title, _ELIDE, text_width))
        painter.setFont(layer_font)
        painter.setPen(colours.text_muted if blocked else colours.text_on_header_dim)
        painter.drawText(QRectF(margin, 21, text_width, 15), _LEFT,
                         QFontMetricsF(layer_font).elidedText(face.layer, _ELIDE, text_width))
        if mark:
            self._paint_mark(painter, mark, QPointF(geometry.NODE_WIDTH - margin - 8, geometry.HEADER_HEIGHT / 2))
            self._paint_bulb(painter, self.bulb_rect())
        if face.keras:
            right = geometry.NODE_WIDTH - margin - 8 - (44 if mark else 0)
            self._paint_keras_badge(painter, face.keras, QPointF(right, geometry.HEADER_HEIGHT / 2))

    def _paint_bulb(self, painter, rect: QRectF):
        """The lightbulb: a yellow bulb with a base, the fixes menu's button."""
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.2))
        painter.setBrush(QBrush(QColor("#facc15")))
        painter.drawEllipse(QRectF(rect.left() + 3, rect.top() + 1, 12, 11))
        painter.setBrush(QBrush(QColor("#475569")))
        painter.drawRoundedRect(QRectF(rect.left() + 6, rect.top() + 12, 6, 5), 1.5, 1.5)

    def _paint_keras_badge(self, painter, state: str, centre: QPointF):
        """A "K" badge: the shape is Keras's. Slate when it fits the inputs arriving now, sky blue with a dashed
        rim while Keras recomputes it."""
        colours = canvas_palette()
        rect = QRectF(centre.x() - 9, centre.y() - 8, 18, 16)
        stale = state == "stale"
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.0, Qt.PenStyle.DashLine if stale else Qt.PenStyle.SolidLine))
        painter.setBrush(QBrush(colours.stale if stale else colours.keras_badge))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(font("mark"))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, _CENTER, "K")

    def _paint_mark(self, painter, mark: str, centre: QPointF):
        colours = canvas_palette()
        colour = colours.error if mark == "error" else colours.warning
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(centre, 9, 9)
        painter.setFont(font("mark"))
        painter.setPen(QColor("#ffffff") if mark == "error" else QColor("#1f2937"))
        painter.drawText(QRectF(centre.x() - 9, centre.y() - 9, 18, 18), _CENTER, "!")

    def _paint_body(self, painter, face: NodeFace, blocked: bool):
        colours = canvas_palette()
        margin, line = geometry.TEXT_MARGIN, geometry.BODY_LINE_HEIGHT
        width = geometry.NODE_WIDTH - 2 * margin
        top = geometry.HEADER_HEIGHT + geometry.BODY_PADDING
        body_font, mono_font = font("body"), font("mono")
        body_metrics, mono_metrics = QFontMetricsF(body_font), QFontMetricsF(mono_font)

        painter.setFont(body_font)
        painter.setPen(colours.text_muted if blocked or not face.summary else colours.text)
        painter.drawText(QRectF(margin, top, width, line), _LEFT,
                         body_metrics.elidedText(face.summary or "—", _ELIDE, width))

        if face.status == "error":
            room = self._height - geometry.BODY_PADDING - (top + line)  # a tall merge node has room for more
            lines = max(int(room // line), 1)
            painter.setPen(colours.error_text)
            painter.drawText(QRectF(margin, top + line, width, lines * line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             _wrapped(body_metrics, face.shape, width, lines))
            return
        if blocked or face.status == "stale":
            italic = QFont(body_font)
            italic.setItalic(True)
            painter.setFont(italic)
            painter.setPen(colours.text_muted if blocked else colours.stale)
            painter.drawText(QRectF(margin, top + line, width, line), _LEFT,
                             QFontMetricsF(italic).elidedText(face.shape, _ELIDE, width))
            return
        painter.setFont(mono_font)
        painter.setPen(colours.shape_text)
        painter.drawText(QRectF(margin, top + line, width, line), _LEFT,
                         mono_metrics.elidedText(face.shape, _ELIDE, width))
        painter.setFont(body_font)
        painter.setPen(colours.text_dim)
        painter.drawText(QRectF(margin, top + 2 * line, width, line), _LEFT,
                         body_metrics.elidedText(face.params, _ELIDE, width))

    def _paint_plain(self, painter, face: NodeFace):
        """Far out (a whole imported model in view): two flat rectangles, the category colour on top, and an
        outline only where it means something (selected, error, warning). A node is a few pixels there, and
        rounded, antialiased cards for 2,000 nodes cost more than a frame."""
        colours = canvas_palette()
        rect = self.card_rect()
        blocked = face.status == "blocked"
        painter.fillRect(rect, colours.node_blocked_body if blocked else colours.node_body)
        painter.fillRect(QRectF(0, 0, rect.width(), geometry.HEADER_HEIGHT),
                         colours.blocked_header if blocked else colours.category_colour(face.category))
        if self.isSelected() or face.status in ("error", "warning", "stale"):
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = self.outline_pen()
            pen.setWidthF(max(pen.widthF(), 12.0))  # still a visible ring a few pixels wide
            painter.setPen(pen)
            painter.drawRect(rect)

    def _paint_label(self, painter, face: NodeFace, lod: float, blocked: bool):
        """Zoomed out, where the card's own text would be under 10 pixels (issue 13): its id on the header and
        its output shape ("28×28×32", or why it has none) below, each set LABEL_PIXELS high on screen and cut in
        the middle when long, and the status mark."""
        colours = canvas_palette()
        margin = geometry.TEXT_MARGIN
        pixels = max(round(geometry.LABEL_PIXELS / max(lod, 0.01)), 1)
        mark = face.status if face.status in ("error", "warning") else None
        title_font, shape_font = label_font("title", pixels), label_font("mono", pixels)
        width = geometry.NODE_WIDTH - 2 * margin - (44 if mark else 0)  # the mark and the lightbulb
        painter.setFont(title_font)
        painter.setPen(colours.text_dim if blocked else colours.text_on_header)
        painter.drawText(QRectF(margin, 0, width, geometry.HEADER_HEIGHT), _LEFT,
                         QFontMetricsF(title_font).elidedText(face.title, _MIDDLE, width))
        if mark:  # the lightbulb too: the fitted view of a small graph is drawn this way, and it is the fixes' door
            self._paint_mark(painter, mark, QPointF(geometry.NODE_WIDTH - margin - 8, geometry.HEADER_HEIGHT / 2))
            self._paint_bulb(painter, self.bulb_rect())
        ok = face.status in ("ok", "warning")
        painter.setFont(shape_font if ok else title_font)
        painter.setPen(colours.shape_text if ok else colours.error_text if face.status == "error"
                       else colours.text_muted)
        body = QRectF(margin, geometry.HEADER_HEIGHT, geometry.NODE_WIDTH - 2 * margin,
                      min(self._height, node_height(1)) - geometry.HEADER_HEIGHT)
        # A shape keeps both ends ("28×…×32"); a sentence (an error, "waits on merged") reads from its start.
        text, cut = (face.short_shape, _MIDDLE) if ok else (face.shape, _ELIDE)
        painter.drawText(body, _LEFT, QFontMetricsF(painter.font()).elidedText(text, cut, body.width()))

    def _paint_overview(self, painter, face: NodeFace, lod: float):
        """Zoomed out: the id, large enough to read, and the status mark."""
        if face.status in ("error", "warning"):
            self._paint_mark(painter, face.status, QPointF(geometry.NODE_WIDTH - 20, geometry.HEADER_HEIGHT / 2))
        if lod < 0.12:
            return
        body = QRectF(6, geometry.HEADER_HEIGHT, geometry.NODE_WIDTH - 12, self._height - geometry.HEADER_HEIGHT)
        draw_zoomed_out_name(painter, body, face.title, lod, canvas_palette().text)




def _snapshot(value):
    """A copy of JSON-like data (dicts, lists, scalars) to compare with later; much cheaper than deepcopy."""
    if value.__class__ is dict:
        return {k: _snapshot(v) for k, v in value.items()}
    if value.__class__ is list:
        return [_snapshot(v) for v in value]
    return value


def _wrapped(metrics: QFontMetricsF, text: str, width: float, max_lines: int) -> str:
    """Word-wrapped text cut to max_lines, ending with an ellipsis when more was left."""
    words, lines, current = text.split(), [], ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if current and metrics.horizontalAdvance(candidate) > width:
            lines.append(current)
            current = word
            if len(lines) == max_lines:
                lines[-1] = " ".join([lines[-1], *words[i:]])  # elided below, which marks the cut
                current = ""
                break
        else:
            current = candidate
    if current:
        lines.append(current)
    return "\n".join(metrics.elidedText(line, _ELIDE, width) for line in lines)
