"""Find node (Ctrl+F) cycling through matches and centring each; align and distribute as one Move step."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt

import builder
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, make_canvas, node_item, snapshot


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def _centre_of_view(view):
    return view.mapToScene(view.viewport().rect().center())


def test_find_cycles_through_matches_selecting_and_centring_each(cnn, qtbot):
    controller, view = cnn
    doc = controller.doc
    convs = [n for n in doc.node_ids() if doc.layer(n) == "Conv2D"]
    view.find_node()
    bar = view.find_bar
    assert bar.isVisible()
    found = bar.find("conv2d")
    assert sorted(found) == sorted(convs)
    seen = []
    for _ in range(len(found) + 1):
        node = controller.selected[0]
        seen.append(node)
        centre = node_item(view, node).sceneBoundingRect().center()
        assert (centre - _centre_of_view(view)).manhattanLength() < 3
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert seen[:len(found)] == found and seen[-1] == found[0]  # cycles back to the first
    assert bar.count.text() == f"2 of {len(found)}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert controller.selected == [found[0]]
    assert bar.find("no such thing") == [] and bar.count.text() == "no match"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_align_left_and_distribute_are_one_move_each(cnn):
    controller, view = cnn
    doc = controller.doc
    convs = [n for n in doc.node_ids() if doc.layer(n) == "Conv2D"]
    for i, node in enumerate(convs):  # a ragged column
        doc.move(node, (i * 37.0, i * 150.0))
    controller.select(convs)
    before = snapshot(controller)
    assert view.edits.align("left")
    assert len({node_item(view, n).pos().x() for n in convs}) == 1
    assert controller.undo_stack.count() == 1 and controller.undo_stack.undoText().startswith("Align")
    check_undo_redo(controller, before)
    stack = sorted(convs, key=lambda n: node_item(view, n).pos().x())
    for i, node in enumerate(stack):  # spread out unevenly, then even them
        controller.doc.move(node, (i * i * 300.0, 0.0))
    controller.undo_stack.clear()
    before = snapshot(controller)
    assert view.edits.distribute("x")
    xs = [node_item(view, n).pos().x() for n in stack]
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1 and controller.undo_stack.count() == 1
    check_undo_redo(controller, before)


def test_align_needs_two_nodes(cnn):
    controller, view = cnn
    messages = []
    view.status_message.connect(messages.append)
    controller.select(controller.doc.node_ids()[:1])
    assert not view.edits.align("left") and "two" in messages[-1]


def test_menu_shortcuts_for_find_and_align(window):
    names = window.actions_by_name
    assert "Ctrl+F" in [s.toString() for s in names["find"].shortcuts()]
    for name in ("align_left", "align_top", "align_centre_x", "distribute_x", "distribute_y"):
        assert names[name].shortcuts(), name


def test_keys_typed_in_the_find_field_edit_the_text_not_the_graph(window, qtbot):
    from tests.gui.conftest import open_example

    open_example(window, "dense_branches")
    controller = window.controller
    controller.select(controller.doc.node_ids()[:1])
    count = len(controller.doc)
    window.actions_by_name["find"].trigger()
    field = window.canvas.find_bar.field
    qtbot.keyClicks(field, "dense")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # not Duplicate here
    qtbot.keyClick(field, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert len(controller.doc) == count and controller.undo_stack.count() == 0
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # on the canvas it is
    assert len(controller.doc) == count + 1
