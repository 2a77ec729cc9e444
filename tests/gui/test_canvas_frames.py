"""Frames on the canvas: framing the selection, moving a frame with its nodes by its title bar, resizing,
renaming and deleting, each one undo step; frames are rebuilt from the document on undo and on open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

import builder
from builder.model.frames import frames_of
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, make_canvas, move_to, node_item, press_at, release_at, snapshot


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def _convs(controller):
    doc = controller.doc
    return [n for n in doc.node_ids() if doc.layer(n) == "Conv2D"]


def _framed(cnn):
    controller, view = cnn
    controller.select(_convs(controller))
    return view.edits.frame_selection("Inception block")


def test_frame_selection_draws_a_frame_around_the_nodes(cnn):
    controller, view = cnn
    before = snapshot(controller)
    frame_id = _framed(cnn)
    item = view.canvas_scene.frame_item(frame_id)
    assert item is not None and item.title == "Inception block"
    for node in _convs(controller):
        assert item.sceneBoundingRect().contains(node_item(view, node).sceneBoundingRect())
    assert controller.undo_stack.undoText() == "Add frame 'Inception block'"
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert view.canvas_scene.frame_item(frame_id) is None
    controller.undo_stack.redo()
    assert view.canvas_scene.frame_item(frame_id) is not None


def test_dragging_the_title_moves_the_frame_and_its_nodes_in_one_step(cnn):
    controller, view = cnn
    frame_id = _framed(cnn)
    before = snapshot(controller)
    item = view.canvas_scene.frame_item(frame_id)
    inside = {n: node_item(view, n).pos() for n in _convs(controller)}
    outside = next(n for n in controller.doc.node_ids() if n not in inside)
    outside_at = node_item(view, outside).pos()
    grab = item.mapToScene(QPointF(30, 12))
    press_at(view, grab)
    move_to(view, grab + QPointF(60, 10))
    move_to(view, grab + QPointF(120, 40))
    release_at(view, grab + QPointF(120, 40))
    for node, start in inside.items():
        assert node_item(view, node).pos() == start + QPointF(120, 40)
    assert node_item(view, outside).pos() == outside_at
    assert controller.undo_stack.count() == 2 and controller.undo_stack.undoText() == "Move frame"
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    for node, start in inside.items():
        assert node_item(view, node).pos() == start


def test_resize_rename_and_delete_a_frame(cnn):
    controller, view = cnn
    frame_id = _framed(cnn)
    item = view.canvas_scene.frame_item(frame_id)
    width = item.boundingRect().width()
    before = snapshot(controller)
    corner = item.mapToScene(item.grip_rect().center())
    press_at(view, corner)
    move_to(view, corner + QPointF(80, 30))
    release_at(view, corner + QPointF(80, 30))
    assert frames_of(controller.doc)[0]["rect"][2] == pytest.approx(width - 4 + 80)  # bounds add 2 a side
    assert view.canvas_scene.frame_item(frame_id).boundingRect().width() == pytest.approx(width + 80)
    check_undo_redo(controller, before)
    before = snapshot(controller)
    assert view.edits.rename_frame(frame_id, "Branches")
    assert view.canvas_scene.frame_item(frame_id).title == "Branches"
    check_undo_redo(controller, before)
    before = snapshot(controller)
    nodes = len(controller.doc)
    controller.select([])
    view.canvas_scene.frame_item(frame_id).setSelected(True)
    view.delete_selection()
    assert view.canvas_scene.frame_item(frame_id) is None and len(controller.doc) == nodes
    check_undo_redo(controller, before)


def test_frames_come_back_when_a_saved_file_is_opened(cnn, qtbot, tmp_path):
    controller, _view = cnn
    _framed(cnn)
    path = tmp_path / "framed.json"
    builder.save(controller.doc.graph, path)
    _other_controller, other = make_canvas(qtbot, builder.load(path))
    (item,) = other.canvas_scene.frame_items()
    assert item.title == "Inception block"
