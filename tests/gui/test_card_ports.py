"""A node card draws its own ports and finds them under the pointer (gui/canvas/port_item.NodePort): no Qt item
per port, yet pressing, dropping, hovering and painting a port work as they did when ports were items."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent

import builder
from gui.canvas import geometry
from gui.canvas.node_item import NodeItem
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import make_canvas, move_to, node_item, port_pos, press_at, release_at


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def test_a_card_is_one_item_with_its_ports_on_it(cnn):
    _controller, view = cnn
    item = node_item(view, "merged")
    assert item.childItems() == []  # the ports are drawn by the card
    scene_items = view.canvas_scene.items()
    assert len(scene_items) == len(view.canvas_scene.node_items()) + len(view.canvas_scene.edge_items())
    for port in item.ports():  # the card's outline reaches every port's hit circle
        centre = port.pos()
        assert item.boundingRect().contains(centre + QPointF(geometry.PORT_HIT_RADIUS, 0))
        assert item.boundingRect().contains(centre - QPointF(geometry.PORT_HIT_RADIUS, 0))


def test_a_press_on_the_outer_half_of_a_port_starts_a_wire(cnn):
    controller, view = cnn
    before = len(controller.doc.edges())
    outside = port_pos(view, "conv_3x3", "out") + QPointF(geometry.PORT_HIT_RADIUS - 2, 0)  # beyond the card
    assert view.canvas_scene.port_at(outside) is node_item(view, "conv_3x3").output_port
    press_at(view, outside)
    drag = view.canvas_scene.wire_drag
    assert drag is not None and drag.anchor_node == "conv_3x3"
    target = port_pos(view, "merged", "in", 3) - QPointF(geometry.PORT_HIT_RADIUS - 2, 0)
    move_to(view, target)
    assert node_item(view, "merged").input_port(3).highlight == "hover"
    release_at(view, target)
    assert len(controller.doc.edges()) == before + 1 and ("conv_3x3", 3) in controller.doc.inputs_of("merged")


def test_the_card_body_is_not_a_port(cnn):
    _controller, view = cnn
    item = node_item(view, "merged")
    assert item.port_at(item.card_rect().center()) is None
    assert view.canvas_scene.port_at(item.mapToScene(item.card_rect().center())) is None


def _hover(item: NodeItem, pos: QPointF, kind=QEvent.Type.GraphicsSceneHoverMove) -> str:
    event = QGraphicsSceneHoverEvent(kind)
    event.setPos(pos)
    {QEvent.Type.GraphicsSceneHoverEnter: item.hoverEnterEvent, QEvent.Type.GraphicsSceneHoverMove:
     item.hoverMoveEvent, QEvent.Type.GraphicsSceneHoverLeave: item.hoverLeaveEvent}[kind](event)
    return QGraphicsItem.toolTip(item)


def test_hovering_a_port_shows_the_cross_and_the_port_s_tooltip(cnn):
    _controller, view = cnn
    item = node_item(view, "merged")
    port = item.input_port(1)
    shown = _hover(item, port.pos(), QEvent.Type.GraphicsSceneHoverEnter)  # what Qt shows: the text set
    assert item.hasCursor() and item.cursor().shape() == Qt.CursorShape.CrossCursor
    assert "merged input 1 ← conv_5x5" in shown
    shown = _hover(item, item.card_rect().center())  # onto the body: the card's own tooltip, the usual pointer
    assert not item.hasCursor() and "merged input 1" not in shown and "Concatenate" in shown
    assert "merged output" in _hover(item, item.output_port.pos()) and item.hasCursor()
    _hover(item, item.output_port.pos(), QEvent.Type.GraphicsSceneHoverLeave)
    assert not item.hasCursor()


def test_ports_are_painted_by_the_card_and_rings_follow_a_wire_drag(cnn):
    _controller, view = cnn
    item = node_item(view, "merged")
    port = item.input_port(3)  # the free one: drawn with the free fill

    def colour_at_port() -> QColor:
        image = QImage(120, 120, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        painter.translate(60 - port.pos().x(), 60 - port.pos().y())
        item.paint(painter, None)
        painter.end()
        return image.pixelColor(60, 60), image.pixelColor(60 + round(geometry.PORT_RADIUS) + 3, 60)

    dot, beside = colour_at_port()
    assert dot.alpha() == 255 and dot != QColor(0, 0, 0, 0)
    port.set_highlight("hover")  # the hover ring lies just outside the dot
    _dot, ringed = colour_at_port()
    assert ringed != beside
    port.set_highlight(None)


def test_after_a_sliced_auto_layout_every_wire_runs_between_its_ports(qtbot):
    """A large graph's auto-layout moves its nodes in slices and then routes each wire once: every wire ends
    on the ports its card draws, wherever the layout put them."""
    from tests.gui.test_canvas_large_graph import _long_graph

    controller, view = make_canvas(qtbot, _long_graph(100))  # 301 nodes: above the scene's sliced limit
    scene = view.canvas_scene
    steps = controller.undo_stack.count()
    view.auto_layout()
    qtbot.waitUntil(lambda: controller.undo_stack.count() > steps and not scene.building, timeout=60_000)
    assert controller.doc.positions  # the layout gave every node a place
    for edge in scene.edge_items():
        start = node_item(view, edge.source).output_port.scenePos()
        end = node_item(view, edge.target).input_port(edge.port).scenePos()
        assert edge.path().pointAtPercent(0.0) == start and edge.path().pointAtPercent(1.0) == end, edge.key
