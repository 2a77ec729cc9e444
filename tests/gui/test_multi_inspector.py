"""The inspector with several nodes selected (issue 13): shared params, mixed values, one undo step for all,
refused as a whole. The seed fix is one selection and one change."""

import pytest
from PySide6.QtCore import Qt

from builder.catalog.specs import spec_for
from builder.editing.commands import AddNode
from gui.controller import EditorController
from gui.panels.inspector import Inspector
from tests.gui.canvas_driver import snapshot
from tests.gui.conftest import load_example

CONVS = ["conv_3x3", "conv_5x5", "conv_7x7"]


@pytest.fixture
def mismatch(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("shape_mismatch"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.resize(360, 900)
    inspector.show()
    return controller, inspector


def test_same_layer_shows_all_params_with_mixed_values(mismatch):
    controller, inspector = mismatch
    controller.select(CONVS)
    multi = inspector.multi
    assert multi.isVisible() and multi.title.text() == "3 Conv2D nodes"
    assert list(multi.rows) == [p.name for p in spec_for("Conv2D").params]  # one layer: every param
    padding = multi.rows["padding"].editor.combo
    assert padding.currentText() == "valid"
    kernel = multi.rows["kernel_size"]
    assert kernel.name_label.text() == "kernel_size (mixed)"
    assert "conv_3x3 3, conv_5x5 5, conv_7x7 7" in kernel.hint_label.text()


def test_one_change_fixes_three_branches_as_one_undo_step(mismatch, qtbot):
    controller, inspector = mismatch
    before = snapshot(controller)
    controller.select(CONVS)
    combo = inspector.multi.rows["padding"].editor.combo
    with qtbot.waitSignal(controller.edited):
        combo.setCurrentIndex(combo.findText("same"))
    assert [controller.doc.params(c)["padding"] for c in CONVS] == ["same"] * 3
    assert controller.results["merged"].error is None
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert snapshot(controller) == before
    assert inspector.multi.rows["padding"].editor.combo.currentText() == "valid"


def test_mixed_choice_shows_mixed_until_changed(mismatch):
    controller, inspector = mismatch
    controller.push(AddNode("pool", "MaxPooling2D", {"padding": "same"}))
    controller.select(["conv_3x3", "pool"])
    multi = inspector.multi
    assert multi.title.text() == "2 nodes: Conv2D, MaxPooling2D"
    rows = list(multi.rows)
    assert {"strides", "padding"} <= set(rows) and "filters" not in rows and "pool_size" not in rows
    combo = multi.rows["padding"].editor.combo
    assert combo.currentIndex() == -1 and combo.placeholderText() == "mixed"


def test_a_refusal_by_any_node_refuses_all(mismatch):
    controller, inspector = mismatch
    controller.push(AddNode("pool", "MaxPooling2D", {}))
    before = snapshot(controller)
    count = controller.undo_stack.count()
    controller.select(["conv_3x3", "pool"])
    row = inspector.multi.rows["strides"]
    row.editor.edited.emit(0)
    assert snapshot(controller) == before and controller.undo_stack.count() == count
    assert "conv_3x3" in row.message


def test_bool_mixed_is_partly_checked_and_reset_applies_to_all(mismatch):
    controller, inspector = mismatch
    controller.select(["conv_3x3"])
    inspector.editor("use_bias").check.setChecked(False)
    controller.select(CONVS)
    check = inspector.multi.rows["use_bias"].editor.check
    assert check.checkState() == Qt.CheckState.PartiallyChecked
    check.setChecked(True)  # a click after "partly": every node uses the bias
    assert all(controller.doc.params(c).get("use_bias", True) is True for c in CONVS)
    controller.select(CONVS)
    inspector.multi.rows["padding"].editor.edited.emit("same")
    inspector.multi.rows["padding"].reset_button.click()
    assert all("padding" not in controller.doc.params(c) for c in CONVS)


def test_nothing_shared(mismatch):
    controller, inspector = mismatch
    controller.select(["image", "merged"])
    assert inspector.multi.rows == {} and "share no parameters" in inspector.multi.note.text()
