"""Blocks on the canvas (builder/model/blocks.py): a collapsed block is one card (BlockCardItem: its name and kind,
input ports on the left and output ports on the right, output shapes, total parameters and an error badge); an
expanded block is a framed region around its nodes (BlockFrameItem), edited like the rest. Double-clicking a
card, or a frame's title, opens or closes the block; dragging either moves the block's nodes (one undo step);
right-clicking opens the block's menu (gui/canvas/block_menu.py). Wires into and out of a collapsed block are
drawn to its card (ProxyWire). Every item holds only its block id and reads the rest from the document and the
controller's results (builder/inference/block_summary.py), through gui/canvas/block_overlay.py.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem

from builder.catalog.rules import fmt
from builder.editing.block_room import open_or_close
from builder.editing.commands import Move
from builder.model.blocks import MODEL_KINDS, blocks_of, members
from gui.canvas import geometry
from gui.canvas.edge_item import detour_path, wire_path
from gui.canvas.port_item import INPUT, OUTPUT, PortItem
from gui.canvas.text import draw_zoomed_out_name, font, tooltip_html
from gui.theme import canvas_palette, readable_text_on

CARD_WIDTH = 240.0
TITLE_HEIGHT = 28.0
PORT_STEP = 20.0
BLOCK_FRAME_Z = -8  # behind wires and nodes, above frames (-10)
BLOCK_COLOUR = QColor("#475569")  # slate: a group; models and shared uses get their own tint
MODEL_COLOUR = QColor("#0f766e")
SHARED_COLOUR = QColor("#7c3aed")
COPY_COLOUR = QColor("#2563eb")
FRAME_MARGIN = 18.0


def block_colour(meta: dict) -> QColor:
    if meta.get("definition") is not None:
        return QColor(SHARED_COLOUR if meta.get("shared") else COPY_COLOUR)
    return QColor(MODEL_COLOUR if meta.get("kind") in MODEL_KINDS else BLOCK_COLOUR)


def kind_text(meta: dict, size: int) -> str:
    kind = {"model": "nested model", "sequential": "nested Sequential"}.get(meta.get("kind"), "block")
    if meta.get("definition") is not None:
        kind += f" · {'shared use' if meta.get('shared') else 'copy'} of {meta['definition']}"
    return f"{kind} · {size} layer" + ("s" if size != 1 else "")


def _fill_title_bar(painter, rect: QRectF, bar: QRectF, colour: QColor, radius: float):
    """The coloured title bar of a card or a frame: the top of its rounded rectangle."""
    painter.save()
    painter.setClipRect(bar)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour))
    painter.drawRoundedRect(rect, radius, radius)
    painter.restore()


def _title_text(painter, rect: QRectF, text: str, colour: QColor):
    """A title on its bar, elided to fit, in a colour readable on the bar."""
    title_font = QFont(font("title"))
    painter.setFont(title_font)
    painter.setPen(readable_text_on(colour))
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     QFontMetricsF(title_font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))


class CardPortItem(PortItem):
    """A port on a collapsed block's card (builder/model/block_ports.py): a wire dropped on an input port goes
    into the member behind it, a wire dragged from an output port starts at its member. To the wiring it is the
    member's port: `node_id` is the member, `index` the member's port a new wire takes (None: the next free one
    of a merge layer)."""

    def __init__(self, card, kind: str, member: str, port: int | None, slot: int, source: str | None = None):
        self._member, self.slot, self.source = member, slot, source
        super().__init__(card, kind, port)
        y = TITLE_HEIGHT + 18 + slot * PORT_STEP
        self.setPos(QPointF(0 if kind == INPUT else CARD_WIDTH, y))

    @property
    def node_id(self) -> str:
        return self._member

    def _read_name(self):
        return None

    def is_taken(self) -> bool:
        return self.kind == OUTPUT or self.source is not None

    def tooltip_text(self) -> str:
        controller = self.parentItem().controller
        block = self.parentItem().block
        if self.kind == OUTPUT:
            result = controller.results.get(self._member)
            shape = fmt(result.shape) if result is not None and result.shape is not None else "no shape yet"
            return f"{block} output, from {self._member}: {shape}\nDrag to an input port to connect"
        if self.source is None:
            return f"{block} input {self.slot}, into {self._member}: free\nDrag a wire here from an output port"
        return f"{block} input {self.slot} ← {self.source}, into {self._member}"


class _BlockGestures:
    """Drag to move the block's nodes (one Move on release), double-click to open or close, right-click for
    the block's menu. Mixed into the card and the frame; `_grab_area(pos)` says where a press takes."""

    def _start(self, event):
        self._press = event.scenePos()
        self._origin = self.pos()
        self._dragging = False

    def _drag(self, event):
        delta = event.scenePos() - self._press
        if not self._dragging and delta.manhattanLength() < 3:
            return
        self._dragging = True
        self.setPos(self._origin + delta)

    def _finish(self, event):
        delta = event.scenePos() - self._press
        if not getattr(self, "_dragging", False) or not (delta.x() or delta.y()):
            return
        self._dragging = False
        doc = self.controller.doc
        scene = self.scene()
        moved = {}
        for node in members(doc.graph, self.block):
            item = scene.node_item(node)
            where = item.pos() if item is not None else QPointF(*doc.positions.get(node, (0.0, 0.0)))
            moved[node] = (where.x() + delta.x(), where.y() + delta.y())
        if not self.controller.push(Move(moved, f"Move block {self.block}")):
            self.setPos(self._origin)

    def _toggle(self):
        scene = self.scene()
        shown = {item.node_id: (item.pos().x(), item.pos().y()) for item in scene.node_items()}
        self.controller.push(open_or_close(self.controller.doc, self.block, shown))

    def _follow_drag(self):
        """While dragged: what else moves with the item (an open block's nodes)."""

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._start(event)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        self._drag(event)
        self._follow_drag()
        event.accept()

    def mouseReleaseEvent(self, event):
        super().mouseReleaseEvent(event)
        self._finish(event)

    def mouseDoubleClickEvent(self, event):
        self._toggle()
        event.accept()


class BlockCardItem(_BlockGestures, QGraphicsItem):
    """A collapsed block."""

    def __init__(self, controller, block: str):
        super().__init__()
        self.controller, self.block = controller, block
        self.summary = None
        self._height = 100.0
        self.inputs: list[CardPortItem] = []
        self.outputs: list[CardPortItem] = []
        self._ports_key = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)

    def set_summary(self, summary, inputs=()):
        """`inputs`: the card's input ports (builder/model/block_ports.card_inputs); its outputs are the summary's."""
        self.prepareGeometryChange()
        self.summary = summary
        self._set_ports(list(inputs), [n for n, _shape in summary.outputs])
        ports = max(len(self.inputs), len(self.outputs), 1)
        lines = 2 + min(len(summary.outputs), 3)
        self._height = max(TITLE_HEIGHT + 22 + lines * geometry.BODY_LINE_HEIGHT,
                           TITLE_HEIGHT + 18 + ports * PORT_STEP)
        meta = blocks_of(self.controller.doc.graph).get(self.block, {})
        tip = [f"{self.block}: {kind_text(meta, summary.size)}", f"{summary.params:,} params"]
        tip += [f"in from {s}: {fmt(shape) if shape else '?'}" for s, shape in summary.inputs]
        tip += [f"out of {n}: {fmt(shape) if shape else '?'}" for n, shape in summary.outputs]
        if summary.error:
            tip.append(f"Error: {summary.error}")
        tip.append("Double-click to open the block; right-click for its menu")
        self.setToolTip(tooltip_html("\n".join(tip)))
        self.update()

    def _set_ports(self, inputs, outputs):
        key = (tuple(inputs), tuple(outputs))
        if key == self._ports_key:
            return
        self._ports_key = key
        for port in [*self.inputs, *self.outputs]:
            port.setParentItem(None)
            if port.scene() is not None:
                port.scene().removeItem(port)
        self.inputs = [CardPortItem(self, INPUT, entry.member, entry.port, i, entry.source)
                       for i, entry in enumerate(inputs)]
        self.outputs = [CardPortItem(self, OUTPUT, member, 0, i) for i, member in enumerate(outputs)]

    def natural_port(self, wanted: str) -> CardPortItem | None:
        """Where a wire dropped on the card body goes: the first open input (else the first input), or the first
        output."""
        if wanted == OUTPUT:
            return self.outputs[0] if self.outputs else None
        return next((p for p in self.inputs if p.source is None), self.inputs[0] if self.inputs else None)

    def card_rect(self) -> QRectF:
        return QRectF(0, 0, CARD_WIDTH, self._height)

    def summary_colour(self) -> QColor:
        """The card's colour (the minimap draws it so); red when something inside is wrong."""
        if self.summary is not None and self.summary.status == "error":
            return canvas_palette().error
        return block_colour(blocks_of(self.controller.doc.graph).get(self.block, {}))

    def boundingRect(self) -> QRectF:
        return self.card_rect().adjusted(-8, -4, 8, 4)

    def input_point(self, index: int) -> QPointF:
        return self.mapToScene(QPointF(0, TITLE_HEIGHT + 18 + index * PORT_STEP))

    def output_point(self, index: int) -> QPointF:
        return self.mapToScene(QPointF(CARD_WIDTH, TITLE_HEIGHT + 18 + index * PORT_STEP))

    def paint(self, painter, option, widget=None):
        if self.summary is None:
            return
        colours = canvas_palette()
        meta = blocks_of(self.controller.doc.graph).get(self.block, {})
        colour = block_colour(meta)
        rect = self.card_rect()
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        # A stack of cards behind: this card stands for several layers.
        painter.setBrush(QBrush(colours.node_border))
        painter.drawRoundedRect(rect.translated(5, 5), geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        painter.setBrush(QBrush(colours.node_body))
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        _fill_title_bar(painter, rect, QRectF(0, 0, CARD_WIDTH, TITLE_HEIGHT), colour, geometry.NODE_RADIUS)
        margin = geometry.TEXT_MARGIN
        error = self.summary.status == "error"
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < geometry.LOW_DETAIL_BELOW:  # zoomed out: the name, large enough to read, as nodes do
            self._paint_overview(painter, colours, colour, error, lod)
            return
        _title_text(painter, QRectF(margin, 0, CARD_WIDTH - 2 * margin - (22 if error else 0), TITLE_HEIGHT),
                    f"▸ {self.block}", colour)
        if error:
            centre = QPointF(CARD_WIDTH - margin - 6, TITLE_HEIGHT / 2)
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(QBrush(colours.error))
            painter.drawEllipse(centre, 8, 8)
            painter.drawText(QRectF(centre.x() - 8, centre.y() - 8, 16, 16), Qt.AlignmentFlag.AlignCenter, "!")
        body_font = font("body")
        painter.setFont(body_font)
        metrics = QFontMetricsF(body_font)
        y = TITLE_HEIGHT + 6
        lines = [(kind_text(meta, self.summary.size), colours.text_dim),
                 (f"{self.summary.params:,} params", colours.text)]
        for node, shape in self.summary.outputs[:3]:
            lines.append((f"→ {fmt(shape) if shape is not None else '–'}", colours.shape_text))
        if error and self.summary.error:
            lines[-1] = (self.summary.error, colours.error_text)
        elif self.summary.status == "blocked" and self.summary.waits_on:  # as a waiting node says it
            lines[-1] = (f"waits on {self.summary.waits_on}", colours.text_muted)
        for text, colour_ in lines:
            painter.setPen(colour_)
            painter.drawText(QRectF(margin, y, CARD_WIDTH - 2 * margin, geometry.BODY_LINE_HEIGHT),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, CARD_WIDTH - 2 * margin))
            y += geometry.BODY_LINE_HEIGHT
        outline = QPen(colours.error, 2.5) if error else QPen(colours.node_selected if self.isSelected()
                                                              else colours.node_border, 2.0 if self.isSelected() else 1.2)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(outline)
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)

    def _paint_overview(self, painter, colours, colour, error, lod):
        rect = self.card_rect()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colours.error if error else colour, 3.0))
        painter.drawRoundedRect(rect, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        if lod < 0.12:
            return
        draw_zoomed_out_name(painter, QRectF(8, TITLE_HEIGHT, CARD_WIDTH - 16, self._height - TITLE_HEIGHT),
                             self.block, lod, colours.error_text if error else colours.text)


class BlockFrameItem(_BlockGestures, QGraphicsItem):
    """An expanded block: a titled region around its nodes (and nested blocks)."""

    def __init__(self, controller, block: str):
        super().__init__()
        self.controller, self.block = controller, block
        self._rect = QRectF()
        self.summary = None
        self.setZValue(BLOCK_FRAME_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setToolTip(tooltip_html(f"{block}\nDouble-click the title to close the block; drag it to move the "
                                     "block; right-click it for the block's menu"))

    def set_rect(self, scene_rect: QRectF, summary, depth: int):
        self.prepareGeometryChange()
        self.summary = summary
        self.setPos(scene_rect.topLeft())
        self._rect = QRectF(0, 0, scene_rect.width(), scene_rect.height())
        self.setZValue(BLOCK_FRAME_Z + depth * 0.1)
        self.update()

    def title_rect(self) -> QRectF:
        return QRectF(0, 0, self._rect.width(), TITLE_HEIGHT)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def shape(self):
        from PySide6.QtGui import QPainterPath

        path = QPainterPath()  # only the title bar catches the mouse: the inside is the nodes'
        path.addRect(self.title_rect())
        return path

    def paint(self, painter, option, widget=None):
        colours = canvas_palette()
        meta = blocks_of(self.controller.doc.graph).get(self.block, {})
        colour = block_colour(meta)
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        fill = QColor(colour)
        fill.setAlpha(26)
        error = self.summary is not None and self.summary.status == "error"
        border = colours.error if error else colour
        painter.setPen(QPen(colours.node_selected if self.isSelected() else border, 2.0))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self._rect, 10, 10)
        _fill_title_bar(painter, self._rect, self.title_rect(), colour, 10)
        size = self.summary.size if self.summary is not None else 0
        params = f" · {self.summary.params:,} params" if self.summary is not None else ""
        _title_text(painter, self.title_rect().adjusted(12, 0, -12, 0),
                    f"▾ {self.block} — {kind_text(meta, size)}{params}", colour)

    def _follow_drag(self):
        delta = self.pos() - self._origin
        for node in members(self.controller.doc.graph, self.block):  # the nodes follow while dragged
            item = self.scene().node_item(node)
            start = self.controller.doc.positions.get(node)
            if item is not None and start is not None:
                item.setPos(start[0] + delta.x(), start[1] + delta.y())


class ProxyWire(QGraphicsPathItem):
    """A wire drawn to or from a collapsed block's card (the wire it stands for runs to a node inside)."""

    def __init__(self):
        super().__init__()
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_ends(self, start: QPointF, end: QPointF, lane: float | None = None):
        pen = QPen(canvas_palette().wire, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        # A wire back to the left (into the next band) runs along the free lane between bands, as EdgeItem's do.
        self.setPath(detour_path(start, end, lane) if lane is not None else wire_path(start, end))
