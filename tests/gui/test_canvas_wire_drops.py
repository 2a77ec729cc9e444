"""Drop a node on a wire (insert when the shapes allow, red wire and no insert otherwise) and drop a wire on
empty canvas (a popup of the layers that accept it; the chosen one is added and wired in one step)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from builder.model.document import GraphDocument
from tests.gui.canvas_driver import (
    check_undo_redo,
    edge_item,
    make_canvas,
    move_to,
    node_centre,
    node_item,
    port_pos,
    press_at,
    release_at,
    snapshot,
    start_wire,
)


def _chain():
    doc = GraphDocument()
    doc.add_node("image", "Input", {"shape": [28, 28, 3]}, position=(0, 0))
    doc.add_node("flat", "Flatten", {}, position=(600, 0))
    doc.add_node("out", "Dense", {"units": 10}, position=(900, 0))
    doc.connect("image", "flat")
    doc.connect("flat", "out")
    doc.add_node("drop", "Dropout", {"rate": 0.5}, position=(300, 300))
    doc.add_node("pool", "MaxPooling2D", {}, position=(300, 500))
    return doc.graph


@pytest.fixture
def chain(qtbot):
    return make_canvas(qtbot, _chain())


def _drag_onto_wire(view, node_id, wire, steps=3):
    """Press on the node and move it so the cursor ends on the middle of the wire; returns the edge item."""
    edge = edge_item(view, *wire)
    target = edge.path().pointAtPercent(0.5)
    start = node_centre(view, node_id)
    press_at(view, start)
    for i in range(1, steps + 1):
        move_to(view, start + (target - start) * (i / steps))
    return edge, target


def test_node_dropped_on_a_wire_is_inserted_in_one_step(chain):
    controller, view = chain
    doc = controller.doc
    before = snapshot(controller)
    edge, target = _drag_onto_wire(view, "drop", ("flat", "out", 0))
    assert edge.drop_hint == "ok"
    release_at(view, target)
    assert doc.inputs_of("drop") == [("flat", 0)] and doc.inputs_of("out") == [("drop", 0)]
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Insert drop between flat and out"
    check_undo_redo(controller, before)


def test_node_that_breaks_shapes_turns_the_wire_red_and_is_not_inserted(chain, qtbot):
    controller, view = chain
    doc = controller.doc
    messages = []
    view.status_message.connect(messages.append)
    edge, target = _drag_onto_wire(view, "pool", ("flat", "out", 0))  # a pooling layer cannot read a vector
    assert edge.drop_hint == "refused" and node_item(view, "pool").drop_hint == "refused"
    release_at(view, target)
    assert node_item(view, "pool").drop_hint is None
    assert doc.inputs_of("out") == [("flat", 0)] and not doc.inputs_of("pool")
    assert edge.drop_hint == "refused" and messages and "pool" in messages[-1]
    assert controller.undo_stack.undoText().startswith("Move")  # only moved
    qtbot.waitUntil(lambda: edge.drop_hint is None, timeout=3000)


def test_moving_off_the_wire_clears_the_hint(chain):
    _controller, view = chain
    edge, _target = _drag_onto_wire(view, "drop", ("flat", "out", 0))
    move_to(view, QPointF(300, 900))
    assert edge.drop_hint is None
    release_at(view, QPointF(300, 900))


def test_wire_dropped_on_empty_canvas_offers_accepting_layers_and_wires_the_choice(chain):
    controller, view = chain
    doc = controller.doc
    before = snapshot(controller)
    start_wire(view, "out")
    empty = port_pos(view, "out", "out") + QPointF(250, 40)
    move_to(view, empty)
    release_at(view, empty)
    popup = view.add_popup
    assert popup is not None and popup.isVisible()
    offered = popup.visible_layers()
    assert "Dense" in offered and "Conv2D" not in offered and "Input" not in offered
    popup.search.setText("Dense")
    popup.choose_current()
    new = controller.selected[0]
    assert doc.layer(new) == "Dense" and doc.inputs_of(new) == [("out", 0)]
    assert controller.undo_stack.count() == 1
    check_undo_redo(controller, before)


def test_wire_dragged_back_from_an_input_adds_a_feeding_node(chain):
    controller, view = chain
    doc = controller.doc
    doc.disconnect("flat", "out", 0)
    controller.undo_stack.clear()
    before = snapshot(controller)
    start_wire(view, "out", "in", 0)
    empty = port_pos(view, "out", "in", 0) + QPointF(-300, 200)
    move_to(view, empty)
    release_at(view, empty)
    view.add_popup.search.setText("Flatten")
    view.add_popup.choose_current()
    new = controller.selected[0]
    assert doc.inputs_of("out") == [(new, 0)]
    check_undo_redo(controller, before)


def test_a_click_on_a_port_opens_no_popup(chain):
    _controller, view = chain
    start_wire(view, "out")
    release_at(view, port_pos(view, "out", "out"))
    assert view.add_popup is None
