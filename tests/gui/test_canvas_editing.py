"""Editing on the canvas: add, connect (with previews and refusals), move, delete; each one undo step."""

import pytest
from PySide6.QtCore import QPoint, QPointF

import builder
from builder.editing.commands import SetParam
from gui.canvas import geometry
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import (
    add_node,
    check_undo_redo,
    click_node,
    drag_node,
    drag_wire,
    drop_layer,
    make_canvas,
    move_to,
    node_item,
    port_item,
    port_pos,
    press_at,
    release_at,
    snapshot,
    start_wire,
)


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


@pytest.fixture
def empty(qtbot):
    return make_canvas(qtbot)


def _statuses(view, qtbot):
    messages = []
    view.status_message.connect(messages.append)
    return messages


# ---- adding ---------------------------------------------------------------------------------------------------

def test_add_node_at_uses_catalog_prefix_start_params_and_position(empty):
    controller, view = empty
    before = snapshot(controller)
    node_id = add_node(view, "Conv2D", (120, 40))
    assert node_id == "conv_1"
    assert controller.doc.params(node_id) == {"filters": 32, "kernel_size": 3}
    assert controller.doc.positions[node_id] == (120, 40)
    assert node_item(view, node_id).pos() == QPointF(120, 40)
    assert controller.selected == [node_id] and node_item(view, node_id).isSelected()
    assert controller.undo_stack.undoText() == "Add Conv2D conv_1"
    check_undo_redo(controller, before)


def test_add_node_snaps_to_grid_when_snapping(empty):
    controller, view = empty
    view.snap_to_grid = True
    node_id = add_node(view, "Dense", (123, 47))
    assert controller.doc.positions[node_id] == (120, 40)


def test_unknown_layer_is_refused_with_a_message(empty, qtbot):
    controller, view = empty
    messages = _statuses(view, qtbot)
    assert add_node(view, "Conv9D") is None
    assert len(controller.doc) == 0 and "unknown layer 'Conv9D'" in messages[-1]


def test_palette_drop_adds_the_layer_at_the_drop_point(empty):
    controller, view = empty
    before = snapshot(controller)
    node_id = drop_layer(view, "MaxPooling2D", QPoint(300, 200))
    assert node_id == "max_pool_1" and controller.doc.layer(node_id) == "MaxPooling2D"
    expected = view.mapToScene(QPoint(300, 200))
    assert controller.doc.positions[node_id] == (expected.x(), expected.y())
    check_undo_redo(controller, before)


# ---- connecting ----------------------------------------------------------------------------------------------

def test_drag_from_output_to_input_connects(empty):
    controller, view = empty
    image = add_node(view, "Input", (0, 0))
    conv = add_node(view, "Conv2D", (280, 0))
    before = snapshot(controller)
    assert drag_wire(view, image, conv)
    assert controller.doc.inputs_of(conv) == [(image, 0)]
    assert view.canvas_scene.edge_item(image, conv, 0) is not None
    assert node_item(view, conv).face().shape == "(None, 26, 26, 32)"
    assert controller.undo_stack.undoText() == f"Connect {image} → {conv}"
    check_undo_redo(controller, before)


def test_drag_can_start_on_an_input_port(empty):
    controller, view = empty
    image = add_node(view, "Input", (0, 0))
    dense = add_node(view, "Dense", (280, 0))
    assert drag_wire(view, image, dense, from_input=True)
    assert controller.doc.inputs_of(dense) == [(image, 0)]


def test_dropping_on_a_node_body_uses_its_free_port(cnn):
    controller, view = cnn
    add_node(view, "Conv2D", (280, 300))
    drag_wire(view, "image", "conv_1")
    start_wire(view, "conv_1")
    body = node_item(view, "merged").mapToScene(QPointF(100, 60))
    move_to(view, body)
    release_at(view, body)
    assert ("conv_1", 3) in controller.doc.inputs_of("merged")


def test_valid_ports_are_highlighted_while_dragging(cnn):
    _controller, view = cnn
    add_node(view, "Dense", (1400, 200))
    view.resetTransform()
    view.centerOn(300, 0)  # dense_1 is out of view: its ports are checked once it scrolls in
    drag = start_wire(view, "conv_5x5")
    assert ("dense_1", 0) not in {(p.node_id, p.index) for p in drag.valid_ports}
    view.fit_all()
    move_to(view, QPointF(700, 400))
    valid = {(p.node_id, p.index) for p in drag.valid_ports}
    assert ("merged", 3) in valid and ("dense_1", 0) in valid
    assert ("merged", 0) not in valid  # taken
    assert ("conv_3x3", 0) not in valid  # a fixed-arity port already in use
    assert not any(node == "image" for node, _i in valid)  # an Input takes no wire
    assert port_item(view, "merged", "in", 3).highlight == "valid"
    release_at(view, QPointF(-2000, -2000))
    assert port_item(view, "merged", "in", 3).highlight is None
    assert view.canvas_scene.wire_drag is None


def test_preview_shows_the_target_shape_before_the_drop(cnn):
    controller, view = cnn
    add_node(view, "Conv2D", (280, 300))
    controller.push(SetParam("conv_1", "padding", "same"))
    drag_wire(view, "image", "conv_1")
    before = snapshot(controller)
    drag = start_wire(view, "conv_1")
    move_to(view, port_pos(view, "merged", "in", 3))
    assert drag.label.text == "merged → (None, 28, 28, 128)"
    assert drag.label.is_error is False and drag.label.isVisible()
    assert port_item(view, "merged", "in", 3).highlight == "hover"
    assert snapshot(controller) == before  # nothing changes before the drop
    move_to(view, QPointF(-3000, -3000))
    assert drag.label.text == "conv_1: (None, 28, 28, 32)" and drag.label.is_hint
    release_at(view, QPointF(-3000, -3000))
    assert snapshot(controller) == before


def test_preview_shows_the_error_in_red(cnn):
    _controller, view = cnn
    conv = add_node(view, "Conv2D", (280, 300))
    drag_wire(view, "image", conv)  # valid padding: 26×26, which does not match the 28×28 branches
    drag = start_wire(view, conv)
    move_to(view, port_pos(view, "merged", "in", 3))
    assert drag.label.is_error
    assert drag.label.text.startswith("merged: Concatenate needs equal sizes except on axis -1")
    release_at(view, port_pos(view, "merged", "in", 3))
    # the drop is allowed (the document accepts the wire); the error then lands on merged
    assert node_item(view, "merged").mark() == "error"


def test_cycle_is_refused_with_a_status_message(cnn, qtbot):
    controller, view = cnn
    before = snapshot(controller)
    drag = start_wire(view, "dense")
    move_to(view, port_pos(view, "conv_3x3", "in", 0))
    assert drag.label.is_error and "would make a cycle" in drag.label.text
    assert port_item(view, "conv_3x3", "in", 0).highlight == "refused"
    with qtbot.waitSignal(view.status_message) as blocker:
        release_at(view, port_pos(view, "conv_3x3", "in", 0))
    assert "would make a cycle" in blocker.args[0]
    assert snapshot(controller) == before and controller.undo_stack.count() == 0


def test_cycle_through_a_free_merge_port_is_refused(cnn, qtbot):
    controller, view = cnn
    before = snapshot(controller)
    with qtbot.waitSignal(view.status_message) as blocker:
        assert not drag_wire(view, "flatten", "merged")  # the free port: merged already feeds flatten
    assert "cannot connect flatten -> merged: it would make a cycle" in blocker.args[0]
    assert snapshot(controller) == before


def test_feeding_an_input_is_refused(empty, qtbot):
    controller, view = empty
    first = add_node(view, "Input", (0, 0))
    dense = add_node(view, "Dense", (280, 0))
    other = add_node(view, "Input", (560, 0))
    drag_wire(view, first, dense)
    before = snapshot(controller)
    drag = start_wire(view, dense)
    assert not any(p.node_id == other for p in drag.valid_ports)
    body = node_item(view, other).mapToScene(QPointF(100, 60))
    move_to(view, body)
    assert drag.label.is_error and "is an Input and takes no incoming wire" in drag.label.text
    with qtbot.waitSignal(view.status_message) as blocker:
        release_at(view, body)
    assert "is an Input" in blocker.args[0]
    assert snapshot(controller) == before


def test_dropping_on_a_taken_fixed_port_is_refused(cnn, qtbot):
    controller, view = cnn
    before = snapshot(controller)
    with qtbot.waitSignal(view.status_message) as blocker:
        assert not drag_wire(view, "conv_3x3", "dense", port=0)
    assert "already reads from flatten" in blocker.args[0]
    assert snapshot(controller) == before


def test_merge_grows_a_port_through_dragging(cnn):
    controller, view = cnn
    conv = add_node(view, "Conv2D", (280, 300))
    controller.push(SetParam(conv, "padding", "same"))
    assert drag_wire(view, "image", conv)
    before = snapshot(controller)
    assert drag_wire(view, conv, "merged")  # aims at the free port
    assert controller.doc.inputs_of("merged")[-1] == (conv, 3)
    assert len(node_item(view, "merged").input_ports) == 5
    assert node_item(view, "merged").face().shape == "(None, 28, 28, 128)"
    check_undo_redo(controller, before)


# ---- moving ---------------------------------------------------------------------------------------------------

def test_drag_moves_visually_then_pushes_one_move_on_release(cnn):
    controller, view = cnn
    before = snapshot(controller)
    start = node_item(view, "flatten").pos()
    press_at(view, node_item(view, "flatten").mapToScene(QPointF(100, 60)))
    move_to(view, node_item(view, "flatten").mapToScene(QPointF(130, 100)))
    assert node_item(view, "flatten").pos() == start + QPointF(30, 40)
    assert controller.doc.positions["flatten"] == (840, 0)  # not yet
    wire = view.canvas_scene.edge_item("merged", "flatten", 0)
    assert wire.path().pointAtPercent(1.0) == node_item(view, "flatten").input_ports[0].scenePos()
    move_to(view, node_item(view, "flatten").mapToScene(QPointF(110, 70)))
    release_at(view, node_item(view, "flatten").mapToScene(QPointF(100, 60)))
    assert controller.doc.positions["flatten"] == (840 + 40, 0 + 50)
    assert controller.undo_stack.count() == 1 and controller.undo_stack.undoText() == "Move flatten"
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert node_item(view, "flatten").pos() == QPointF(840, 0)


def test_dragging_a_selection_moves_all_in_one_step(cnn):
    controller, view = cnn
    controller.select(["conv_3x3", "conv_5x5", "conv_7x7"])
    before = snapshot(controller)
    drag_node(view, "conv_5x5", (20, 40))
    assert controller.undo_stack.count() == 1 and controller.undo_stack.undoText() == "Move 3 nodes"
    assert controller.doc.positions["conv_3x3"] == (300, -110)
    assert controller.doc.positions["conv_7x7"] == (300, 190)
    check_undo_redo(controller, before)


def test_drag_end_snaps_to_the_grid(cnn):
    controller, view = cnn
    view.snap_to_grid = True
    drag_node(view, "flatten", (13, 27))
    x, y = controller.doc.positions["flatten"]
    assert x % geometry.GRID_SIZE == 0 and y % geometry.GRID_SIZE == 0 and (x, y) == (860, 20)


def test_click_without_moving_pushes_nothing(cnn):
    controller, view = cnn
    drag_node(view, "flatten", (0, 0))
    assert controller.undo_stack.count() == 0
    assert controller.selected == ["flatten"]


# ---- deleting -------------------------------------------------------------------------------------------------

def test_delete_nodes_and_wires_in_one_step_and_undo_restores(cnn, qtbot):
    from PySide6.QtCore import Qt

    controller, view = cnn
    before = snapshot(controller)
    controller.select(["conv_5x5"])
    view.canvas_scene.edge_item("dense", "classes", 0).setSelected(True)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "conv_5x5" not in controller.doc and ("dense", "classes", 0) not in controller.doc.edges()
    assert node_item(view, "conv_5x5") is None
    assert len(node_item(view, "merged").input_ports) == 3
    assert controller.undo_stack.count() == 1
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert node_item(view, "conv_5x5") is not None
    assert {e.key for e in view.canvas_scene.edge_items()} == set(controller.doc.edges())


def test_backspace_deletes_a_selected_wire(cnn, qtbot):
    from PySide6.QtCore import Qt

    controller, view = cnn
    before = snapshot(controller)
    controller.select([])
    view.canvas_scene.edge_item("conv_3x3", "merged", 0).setSelected(True)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert controller.doc.inputs_of("merged") == [("conv_5x5", 0), ("conv_7x7", 1)]
    assert len(node_item(view, "merged").input_ports) == 3
    check_undo_redo(controller, before)


def test_ctrl_click_adds_a_wire_to_a_node_selection_and_delete_takes_both(cnn, qtbot):
    from PySide6.QtCore import Qt

    controller, view = cnn
    before = snapshot(controller)
    click_node(view, "conv_7x7")
    wire = view.canvas_scene.edge_item("dense", "classes", 0)
    middle = wire.path().pointAtPercent(0.5)
    ctrl = Qt.KeyboardModifier.ControlModifier
    press_at(view, middle, ctrl)
    release_at(view, middle, ctrl)
    assert wire.isSelected() and node_item(view, "conv_7x7").isSelected()
    assert controller.selected == ["conv_7x7"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "conv_7x7" not in controller.doc and controller.doc.inputs_of("classes") == []
    assert controller.undo_stack.count() == 1
    check_undo_redo(controller, before)
