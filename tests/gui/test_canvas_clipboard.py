"""Copy, cut, paste, duplicate and delete keeping wires on the canvas: each one undo step to the identical
document; the clipboard carries plain project JSON, so a second window pastes it; bad text is refused."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication

import builder
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, click_node, make_canvas, node_item, snapshot


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def _messages(view):
    messages = []
    view.status_message.connect(messages.append)
    return messages


def _select(view, *node_ids):
    view.controller.select(list(node_ids))


def _a_branch(controller):
    """A Conv2D of the example and the node it feeds."""
    doc = controller.doc
    conv = next(n for n in doc.node_ids() if doc.layer(n) == "Conv2D")
    return conv, doc.outputs_of(conv)[0][0]


def test_copy_puts_project_json_of_the_selection_on_the_clipboard(cnn):
    controller, view = cnn
    conv, after = _a_branch(controller)
    _select(view, conv, after)
    assert view.edits.copy()
    data = json.loads(QGuiApplication.clipboard().text())
    assert data["format"] == "keras-canvas"
    assert [n["id"] for n in data["nodes"]] == [n for n in controller.doc.node_ids() if n in (conv, after)]
    assert {(e["source"], e["target"]) for e in data["edges"]} == {(conv, after)}
    assert min(xy[0] for xy in data["ui"]["positions"].values()) == 0


def test_paste_at_a_point_gives_fresh_ids_and_selects_them(cnn):
    controller, view = cnn
    conv, after = _a_branch(controller)
    _select(view, conv, after)
    view.edits.copy()
    before = snapshot(controller)
    added = view.edits.paste(QPointF(300, 900))
    old_ids = {n["id"] for n in json.loads(before)["nodes"]}
    assert len(added) == 2 and not old_ids & set(added)
    assert [controller.doc.layer(n) for n in added] == [controller.doc.layer(conv), controller.doc.layer(after)]
    assert controller.selected == added
    assert controller.doc.inputs_of(added[1])[0][0] == added[0]
    assert min(controller.doc.positions[n][0] for n in added) == 300
    assert node_item(view, added[0]).isSelected()
    assert controller.undo_stack.undoText().startswith("Paste")
    check_undo_redo(controller, before)


def test_cut_deletes_and_paste_brings_back(cnn):
    controller, view = cnn
    doc = controller.doc
    flat = next(n for n in doc.node_ids() if doc.layer(n) == "Flatten")
    _select(view, flat)
    before = snapshot(controller)
    assert view.edits.cut()
    assert flat not in doc and controller.undo_stack.undoText() == f"Cut {flat}"
    check_undo_redo(controller, before)
    assert view.edits.paste(QPointF(0, 0)) == [flat]  # its id is free again


def test_duplicate_is_one_step_offset_from_the_original(cnn):
    controller, view = cnn
    conv, _after = _a_branch(controller)
    click_node(view, conv)
    before = snapshot(controller)
    added = view.edits.duplicate()
    assert len(added) == 1 and added[0] != conv
    original, copy = node_item(view, conv).pos(), node_item(view, added[0]).pos()
    assert copy - original == QPointF(40, 40)
    assert controller.undo_stack.undoText() == f"Duplicate {conv}"
    check_undo_redo(controller, before)


@pytest.mark.parametrize("text", ["", "just words", '{"format": "keras-canvas"}', "[]"])
def test_pasting_text_that_is_not_a_selection_is_refused_with_a_message(cnn, text):
    controller, view = cnn
    messages = _messages(view)
    before = snapshot(controller)
    QGuiApplication.clipboard().setText(text)
    assert view.edits.paste(QPointF(0, 0)) == []
    assert snapshot(controller) == before and controller.undo_stack.count() == 0
    assert messages and "paste" in messages[-1]


def test_copy_in_one_window_pastes_in_another(qtbot, cnn):
    controller, view = cnn
    conv, after = _a_branch(controller)
    _select(view, conv, after)
    view.edits.copy()
    other_controller, other = make_canvas(qtbot)
    before = snapshot(other_controller)
    added = other.edits.paste(QPointF(0, 0))
    assert added == [conv, after]  # the ids are free there
    assert other_controller.doc.inputs_of(after) == [(conv, 0)]
    check_undo_redo(other_controller, before)


def test_keys_reach_the_edits_through_the_main_window(window, qtbot):
    from tests.gui.conftest import open_example

    open_example(window, "dense_branches")
    controller, canvas = window.controller, window.canvas
    for name, key in [("copy", "Ctrl+C"), ("cut", "Ctrl+X"), ("paste", "Ctrl+V"), ("duplicate", "Ctrl+D"),
                      ("delete_keep_wires", "Ctrl+Del")]:
        action = window.actions_by_name[name]
        assert key in [s.toString() for s in action.shortcuts()], name
    first = controller.doc.node_ids()[1]
    controller.select([first])
    canvas.setFocus()
    count = len(controller.doc)
    window.actions_by_name["duplicate"].trigger()
    assert len(controller.doc) == count + 1


def test_delete_keeping_wires_on_ctrl_delete(cnn, qtbot):
    controller, view = cnn
    doc = controller.doc
    flat = next(n for n in doc.node_ids() if doc.layer(n) == "Flatten")
    (source, _port), = doc.inputs_of(flat)
    targets = doc.outputs_of(flat)
    _select(view, flat)
    before = snapshot(controller)
    qtbot.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert flat not in doc
    for target, port in targets:
        assert (source, port) in doc.inputs_of(target)
    assert "keeping wires" in controller.undo_stack.undoText()
    check_undo_redo(controller, before)
