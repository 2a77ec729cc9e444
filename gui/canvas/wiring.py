"""Drag-to-connect: press on a port, drag, release on a port of another node.

While the wire is dragged, every port that would accept it (the document's own check passes) is ringed in
green, and a label by the cursor shows what the target's output shape would become, or in red the error or
refusal it would meet. Nothing changes until the drop, which becomes one Connect command. A collapsed block's card
takes part as its nodes would: its ports stand for the members behind them (gui/canvas/block_items.CardPortItem).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from builder.catalog.rules import fmt
from builder.editing.commands import Connect
from builder.inference.wire_preview import preview_connect
from builder.model.document import GraphError
from gui.canvas.block_items import BlockCardItem
from gui.canvas.edge_item import wire_path
from gui.canvas.node_item import NodeItem
from gui.canvas.port_item import INPUT, OUTPUT, PortInfo
from gui.canvas.text import font
from gui.theme import canvas_palette

LABEL_MAX_WIDTH = 340.0
MIN_DROP_DISTANCE = 30.0  # scene units a wire must travel before a drop on empty canvas offers new nodes
LABEL_OFFSET = QPointF(16, 14)  # device pixels from the cursor, so the label never hides the target port


class PreviewLabel(QGraphicsItem):
    """A small rounded note that stays the same size at any zoom."""

    def __init__(self):
        super().__init__()
        self.text, self.is_error, self.is_hint = "", False, False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(100)
        self._rect = QRectF()

    def set_text(self, text: str, is_error: bool = False, is_hint: bool = False):
        self.text, self.is_error, self.is_hint = text, is_error, is_hint
        self.prepareGeometryChange()
        metrics = QFontMetricsF(font("preview"))
        bounds = metrics.boundingRect(QRectF(0, 0, LABEL_MAX_WIDTH, 10_000), Qt.TextFlag.TextWordWrap, text)
        self._rect = QRectF(LABEL_OFFSET, bounds.size()).adjusted(0, 0, 16, 10) if text else QRectF()
        self.setVisible(bool(text))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter, option, widget=None):
        if not self.text:
            return
        colours = canvas_palette()
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colours.error if self.is_error else colours.preview_border, 1.2))
        painter.setBrush(QBrush(colours.preview_background))
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.setFont(font("preview"))
        colour = colours.error_text if self.is_error else colours.text_dim if self.is_hint else colours.shape_text
        painter.setPen(colour)
        painter.drawText(self._rect.adjusted(8, 5, -8, -5), Qt.TextFlag.TextWordWrap, self.text)


class WireDrag:
    """One wire being dragged from `start_port` (an output, or an input to wire backwards)."""

    def __init__(self, scene, start_port: PortInfo):
        self.scene, self.controller = scene, scene.controller
        self.from_output = start_port.kind == OUTPUT
        self.anchor_node, self.anchor_index = start_port.node_id, start_port.index
        self.start_port = start_port
        self.draft = QGraphicsPathItem()
        pen = QPen(canvas_palette().wire_draft, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.draft.setPen(pen)
        self.draft.setZValue(50)
        self.label = PreviewLabel()
        scene.addItem(self.draft)
        scene.addItem(self.label)
        self.hovered: PortInfo | None = None
        self._previews: dict[tuple, tuple] = {}
        self.valid_ports: set[PortInfo] = set()
        self._checked: set[str] = set()  # nodes whose ports were checked during this drag
        self._highlight_valid_ports()

    # ---- which wire a drop would make ---------------------------------------------------------------------

    def wire_to(self, node_id: str, port: PortInfo | None) -> tuple[str, str, int | None]:
        """(source, target, port) of the wire that ending on `port` of `node_id` would make."""
        if self.from_output:
            return self.anchor_node, node_id, None if port is None else port.index
        return node_id, self.anchor_node, self.anchor_index

    def _would_accept(self, port: PortInfo) -> bool:
        try:
            self.controller.doc.check_connect(*self.wire_to(port.node_id, port))
        except GraphError:
            return False
        return True

    def _highlight_valid_ports(self):
        """Ring the ports that would accept the wire, on the nodes in view: checking every node of a large
        graph would cost a path search each. Nodes that scroll into view are checked as the cursor moves."""
        for item in self._nodes_in_view():
            key = item.block if isinstance(item, BlockCardItem) else item.node_id
            if key == self.anchor_node or key in self._checked:
                continue
            self._checked.add(key)
            if isinstance(item, BlockCardItem):
                ports = [p for p in (item.inputs if self.from_output else item.outputs) if p.node_id != self.anchor_node]
            else:
                ports = item.input_ports if self.from_output else [item.output_port]
            for port in ports:
                if self._would_accept(port):
                    self.valid_ports.add(port)
                    port.set_highlight("hover" if port is self.hovered else "valid")

    def _nodes_in_view(self):
        views = self.scene.views()
        if not views:
            return self.scene.node_items()
        seen = QRectF()
        for view in views:
            seen = seen.united(view.mapToScene(view.viewport().rect()).boundingRect())
        return [item for item in self.scene.items(seen) if isinstance(item, NodeItem | BlockCardItem) and item.isVisible()]

    def target_at(self, scene_pos: QPointF) -> tuple[str, PortInfo | None] | None:
        """(node id, port) a drop here would wire to: a port under the cursor, or else the natural port of the
        node under it (a merge layer's free port, a layer's first free input, a node's output). The port is
        None on a node that has none to offer (an Input), so the drop can still say why it is refused."""
        wanted = INPUT if self.from_output else OUTPUT
        node = None
        for item in self.scene.items(scene_pos):
            if not item.isVisible():  # the nodes a collapsed block hides under its card
                continue
            # A port under the cursor: an item on a block's card, or one a node card draws.
            port = item.port_at(item.mapFromScene(scene_pos)) if isinstance(item, NodeItem) else item
            if isinstance(port, PortInfo) and port.kind == wanted and port.node_id != self.anchor_node:
                return port.node_id, port
            if node is None and isinstance(item, NodeItem | BlockCardItem):
                node = item
        if isinstance(node, BlockCardItem):  # a collapsed block: the member behind its natural port
            port = node.natural_port(wanted)
            return None if port is None else (port.node_id, port)
        if node is None:
            return None
        if not self.from_output:
            return node.node_id, node.output_port
        free = [p for p in node.input_ports if not p.is_taken()]
        if free:
            return node.node_id, free[-1] if self.scene.is_merge(node.node_id) else free[0]
        return node.node_id, node.input_ports[0] if node.input_ports else None

    def preview(self, wire: tuple) -> tuple:
        """(shape, message) for making `wire`, computed once per wire for this drag."""
        if wire not in self._previews:
            self._previews[wire] = preview_connect(self.controller.doc, self.controller.results, *wire)
        return self._previews[wire]

    # ---- mouse --------------------------------------------------------------------------------------------

    def move(self, scene_pos: QPointF):
        start = self.start_port.scenePos()
        self.draft.setPath(wire_path(start, scene_pos) if self.from_output else wire_path(scene_pos, start))
        self._highlight_valid_ports()
        target = self.target_at(scene_pos)
        port = target[1] if target else None
        if port is not self.hovered:
            if self.hovered is not None:
                self.hovered.set_highlight("valid" if self.hovered in self.valid_ports else None)
            self.hovered = port
            if port is not None:
                port.set_highlight("hover" if port in self.valid_ports else "refused")
        self.label.setPos(scene_pos)
        self._update_label(target)

    def _update_label(self, target):
        if target is None or target[0] == self.anchor_node:
            result = self.controller.results.get(self.anchor_node)
            if self.from_output and result is not None and result.shape is not None:
                self.label.set_text(f"{self.anchor_node}: {fmt(result.shape)}", is_hint=True)
            else:
                self.label.set_text("drop on a port", is_hint=True)
            return
        wire = self.wire_to(*target)
        shape, message = self.preview(wire)
        if shape is not None:
            self.label.set_text(f"{wire[1]} → {fmt(shape)}")
        else:
            self.label.set_text(message or "refused", is_error=True)

    def finish(self, scene_pos: QPointF) -> bool:
        """Drop: connect if the document accepts the wire, else say why. Returns whether it connected."""
        target = self.target_at(scene_pos)
        self.cancel()
        if target is None and self._far_enough(scene_pos):
            # Dropped on empty canvas: offer the layers that could take this wire, and wire the one chosen.
            self.scene.wire_dropped_on_empty.emit(self.anchor_node, self.anchor_index, self.from_output, scene_pos)
            return False
        if target is None or target[0] == self.anchor_node:  # a press and release on one node: no wire
            return False
        wire = self.wire_to(*target)
        try:
            self.controller.doc.check_connect(*wire)
        except GraphError as exc:
            self.scene.status_message.emit(str(exc))
            return False
        return self.controller.push(Connect(*wire))

    def _far_enough(self, scene_pos: QPointF) -> bool:
        """A click on a port, or a wire let go next to it, is not a request for a new node."""
        distance = scene_pos - self.start_port.scenePos()
        return abs(distance.x()) + abs(distance.y()) > MIN_DROP_DISTANCE

    def cancel(self):
        for port in self.valid_ports | ({self.hovered} if self.hovered else set()):
            if port.scene() is not None:
                port.set_highlight(None)
        self.valid_ports.clear()
        self.hovered = None
        for item in (self.draft, self.label):
            if item.scene() is not None:
                item.scene().removeItem(item)
