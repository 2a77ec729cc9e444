"""The inspector: typed editors per param, validated edits that become one command each, refusals shown next
to the field with the document unchanged, rename, reset to default, and the node's shape, params and errors."""

import pytest
from PySide6.QtCore import Qt

from builder.editing.commands import AddNode, Connect, Delete
from builder.files.project import dumps
from gui.controller import EditorController
from gui.panels.inspector import Inspector
from gui.panels.param_editors import (
    AxisEditor,
    BoolEditor,
    ChoiceEditor,
    FloatEditor,
    IntEditor,
    PairEditor,
    ShapeEditor,
    parse_sizes,
)
from tests.gui.conftest import load_example


@pytest.fixture
def cnn(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("cnn_28x28_three_kernels"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.resize(340, 700)
    inspector.show()
    return controller, inspector


def type_into(qtbot, line_edit, text):
    """Replace a line edit's text and press Enter, as a person does."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def test_selected_node_gets_a_typed_editor_per_param(cnn):
    controller, inspector = cnn
    controller.select(["conv_3x3"])
    assert inspector.node_id == "conv_3x3"
    assert inspector.title_label.text() == "Conv2D" and inspector.id_edit.text() == "conv_3x3"
    kinds = {name: type(row.editor) for name, row in inspector.rows.items()}
    assert kinds == {"filters": IntEditor, "kernel_size": PairEditor, "strides": PairEditor,
                     "padding": ChoiceEditor, "data_format": ChoiceEditor, "dilation_rate": PairEditor,
                     "groups": IntEditor,
                     "activation": ChoiceEditor, "use_bias": BoolEditor}
    assert inspector.editor("filters").spin.value() == 32 and inspector.editor("filters").spin.minimum() == 1
    assert inspector.editor("kernel_size").value() == 3 and inspector.editor("kernel_size").linked
    padding = inspector.editor("padding").combo
    assert [padding.itemText(i) for i in range(padding.count())] == ["valid", "same"]
    assert padding.currentText() == "same"
    activation = inspector.editor("activation").combo
    assert activation.itemText(0) == "None" and activation.currentText() == "relu"
    assert inspector.editor("use_bias").check.isChecked()


def test_each_param_shows_keras_default_and_help(cnn):
    controller, inspector = cnn
    controller.select(["conv_3x3"])
    assert inspector.rows["padding"].hint_label.text().startswith("Default 'valid'. 'valid': no padding")
    assert inspector.rows["filters"].hint_label.text().startswith("Required. Number of output channels")
    assert "Step of the window" in inspector.editor("strides").toolTip()
    controller.select(["merged"])
    assert isinstance(inspector.editor("axis"), AxisEditor)
    assert inspector.rows["axis"].hint_label.text().startswith("Default -1.")


def test_int_edit_pushes_one_command_and_updates_shapes(cnn):
    controller, inspector = cnn
    controller.select(["conv_3x3"])
    inspector.editor("filters").spin.setValue(64)
    assert controller.doc.params("conv_3x3")["filters"] == 64
    assert controller.undo_stack.count() == 1 and "filters" in controller.undo_stack.undoText()
    assert inspector.shown_shape() == "(None, 28, 28, 64)"
    assert controller.results["merged"].shape == (None, 28, 28, 128)  # downstream at once
    controller.undo_stack.undo()
    assert inspector.editor("filters").spin.value() == 32 and inspector.shown_shape() == "(None, 28, 28, 32)"


def test_choice_edit_and_reset_to_default(cnn):
    controller, inspector = cnn
    controller.select(["conv_5x5"])
    row = inspector.rows["padding"]
    assert row.reset_button.isEnabled()
    row.editor.combo.setCurrentText("valid")
    assert controller.doc.params("conv_5x5")["padding"] == "valid"
    assert controller.results["merged"].error  # 24x24 next to 28x28
    row.reset_button.click()
    assert "padding" not in controller.doc.params("conv_5x5")  # Keras's default applies
    assert not row.reset_button.isEnabled() and row.editor.combo.currentText() == "valid"
    assert not inspector.rows["filters"].reset_button.isEnabled()  # required: nothing to reset to
    controller.undo_stack.undo()
    assert controller.doc.params("conv_5x5")["padding"] == "valid"


def test_nullable_choice_has_a_none_entry(cnn):
    controller, inspector = cnn
    controller.select(["dense"])
    inspector.editor("activation").combo.setCurrentIndex(0)
    assert controller.doc.params("dense")["activation"] is None


def test_pair_editor_links_both_values_or_sets_them_apart(cnn):
    controller, inspector = cnn
    controller.select(["conv_7x7"])
    pair = inspector.editor("kernel_size")
    pair.first.setValue(5)
    assert controller.doc.params("conv_7x7")["kernel_size"] == 5 and pair.second.value() == 5
    pair.link.setChecked(False)
    pair.second.setValue(3)
    assert controller.doc.params("conv_7x7")["kernel_size"] == [5, 3]
    assert not pair.linked
    assert controller.undo_stack.count() == 2  # unlinking alone changes nothing
    pair.link.setChecked(True)
    assert controller.doc.params("conv_7x7")["kernel_size"] == 5


def test_nullable_pair_has_an_auto_box(qtbot):
    controller = EditorController()
    controller.push(AddNode("image", "Input", {"shape": [28, 28, 1]}))
    controller.push(AddNode("pool", "MaxPooling2D", {}))
    controller.push(Connect("image", "pool"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    controller.select(["pool"])
    strides = inspector.editor("strides")
    assert strides.auto.isChecked() and not strides.first.isEnabled()
    strides.auto.setChecked(False)
    assert controller.doc.params("pool")["strides"] == 2
    assert controller.results["pool"].shape == (None, 14, 14, 1)
    strides.auto.setChecked(True)
    assert controller.doc.params("pool")["strides"] is None


def test_invalid_float_is_refused_next_to_the_field(cnn, qtbot):
    controller, inspector = cnn
    controller.push(AddNode("drop", "Dropout", {"rate": 0.5}))
    controller.push(Connect("dense", "drop"))
    controller.select(["drop"])
    before, steps = dumps(controller.doc.graph), controller.undo_stack.count()
    rate = inspector.rows["rate"]
    assert isinstance(rate.editor, FloatEditor)
    type_into(qtbot, rate.editor.line, "1")
    assert "expected a number >= 0 and < 1, got 1.0" in rate.message
    assert rate.editor.line.property("invalid") is True
    type_into(qtbot, rate.editor.line, "lots")
    assert "expected a number" in rate.message and "'lots'" in rate.message
    assert dumps(controller.doc.graph) == before and controller.undo_stack.count() == steps
    type_into(qtbot, rate.editor.line, "0.25")
    assert controller.doc.params("drop")["rate"] == 0.25 and rate.message == ""


def test_input_shape_editor_accepts_none_and_refuses_zero(qtbot):
    controller = EditorController()
    controller.push(AddNode("image", "Input", {"shape": [28, 28, 1]}))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.show()
    controller.select(["image"])
    row = inspector.rows["shape"]
    assert isinstance(row.editor, ShapeEditor) and row.editor.line.text() == "28, 28, 1"
    type_into(qtbot, row.editor.line, "None, 32, 3")
    assert controller.doc.params("image")["shape"] == [None, 32, 3]
    assert inspector.shown_shape() == "(None, None, 32, 3)"
    before = dumps(controller.doc.graph)
    type_into(qtbot, row.editor.line, "0, 3")
    assert "got [0, 3]" in row.message and dumps(controller.doc.graph) == before
    type_into(qtbot, row.editor.line, "28, x")
    assert "'x' is not a size" in row.message


def test_reshape_target_allows_one_minus_one(qtbot):
    controller = EditorController()
    controller.push(AddNode("image", "Input", {"shape": [28, 28, 1]}))
    controller.push(AddNode("reshape", "Reshape", {"target_shape": [-1]}))
    controller.push(Connect("image", "reshape"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.show()
    controller.select(["reshape"])
    line = inspector.editor("target_shape").line
    type_into(qtbot, line, "[-1, 28]")
    assert controller.results["reshape"].shape == (None, 28, 28)
    type_into(qtbot, line, "-1, -1")
    assert "at most one -1" in inspector.rows["target_shape"].message


def test_bool_edit_changes_weights(cnn):
    controller, inspector = cnn
    controller.select(["classes"])
    inspector.editor("use_bias").check.setChecked(False)
    assert controller.doc.params("classes")["use_bias"] is False
    assert inspector.shown_params() == "1,280"


def test_rename_valid_and_refused(cnn, qtbot):
    controller, inspector = cnn
    controller.select(["conv_3x3"])
    type_into(qtbot, inspector.id_edit, "small_kernel")
    assert "small_kernel" in controller.doc and inspector.node_id == "small_kernel"
    assert controller.selected == ["small_kernel"] and controller.undo_stack.undoText() == \
        "Rename conv_3x3 to small_kernel"
    before, steps = dumps(controller.doc.graph), controller.undo_stack.count()
    for bad, fragment in (("conv_5x5", "already the id of a Conv2D node"), ("a/b", "cannot contain '/'"),
                          ("", "non-empty")):
        type_into(qtbot, inspector.id_edit, bad) if bad else (inspector.id_edit.clear(),
                                                               inspector.id_edit.editingFinished.emit())
        assert fragment in inspector.id_message.text()
        assert inspector.id_message.isVisibleTo(inspector)
    assert dumps(controller.doc.graph) == before and controller.undo_stack.count() == steps
    controller.undo_stack.undo()
    assert inspector.node_id == "conv_3x3" and inspector.id_edit.text() == "conv_3x3"


def test_shows_error_and_warnings_of_the_node(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("shape_mismatch"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    controller.select(["merged"])
    assert inspector.status_label.text().startswith("Error: merged: Concatenate needs equal sizes")
    assert inspector.shown_shape() == "-"
    controller.select(["flatten"])
    assert "merged has an error upstream" in inspector.status_label.text()
    for conv in ("conv_3x3", "conv_5x5", "conv_7x7"):  # the fix the message suggests
        controller.select([conv])
        inspector.editor("padding").combo.setCurrentText("same")
    controller.select(["merged"])
    assert not inspector.status_label.isVisibleTo(inspector)
    assert (inspector.shown_shape(), inspector.shown_params()) == ("(None, 28, 28, 96)", "0")
    controller.push(AddNode("probe", "Dense", {"units": 4}))
    controller.push(Connect("image", "probe"))
    controller.select(["probe"])
    assert inspector.status_label.text().startswith("Warning: probe: Dense on the 4D tensor")


def test_empty_multiple_and_removed(cnn):
    controller, inspector = cnn
    assert inspector.node_id is None and inspector.empty_label.isVisibleTo(inspector)
    controller.select(["dense", "classes"])  # several nodes: their shared params (test_multi_inspector.py)
    assert inspector.node_id is None and inspector.multi.title.text() == "2 Dense nodes"
    controller.select(["dense"])
    controller.push(Delete(["dense"]))
    assert inspector.node_id is None and inspector.rows == {}


def test_parse_sizes():
    assert parse_sizes("28, 28, 1") == [28, 28, 1]
    assert parse_sizes("[None, 10]") == [None, 10]
    assert parse_sizes("(7 7 64)") == [7, 7, 64]
    assert parse_sizes("") == []
    with pytest.raises(ValueError):
        parse_sizes("2.5")


def test_fields_stay_put_when_a_message_comes_or_goes(cnn, qtbot):
    """A refusal takes the hint's place and the node's error sits below the fields, so a click aimed at a field
    never lands on a line that just moved there (issue 13)."""
    from builder.editing.commands import SetParam

    controller, inspector = cnn
    controller.select(["conv_3x3"])
    qtbot.wait(10)
    rows = inspector.rows
    names = list(rows)
    first, later = rows[names[1]], rows[names[-1]]

    def where():
        return later.mapTo(inspector.widget(), later.rect().topLeft()).y()

    qtbot.waitUntil(lambda: where() == where() and where() > 0)  # laid out
    qtbot.wait(50)
    before = where()
    first.show_message("refused: expected a number")
    qtbot.wait(50)
    assert where() == before and first.message == "refused: expected a number"
    first.show_message("")
    controller.push(SetParam("conv_3x3", "padding", "valid"))  # the merge after it now has an error...
    controller.select(["merged"])
    qtbot.wait(10)
    assert inspector.status_label.text().startswith("Error: merged:")
    status_y = inspector.status_label.mapTo(inspector.widget(), inspector.status_label.rect().topLeft()).y()
    field_y = max(r.mapTo(inspector.widget(), r.rect().bottomLeft()).y() for r in inspector.rows.values())
    assert status_y >= field_y  # ...shown below its fields, not above them
