"""Every seed architecture (resources/examples) built from an empty canvas by driving the app as a person
does: layers from the palette or added on the canvas, renamed and set up in the inspector's widgets, wired by
dragging from port to port, moved by dragging. After every step, undo and redo give back exactly the
document before and after it. Then the shapes panel must show what Keras computes for the same model written
by hand, errors must sit on the node that causes them, the project must survive a save and open, and both
exports must give a working model."""

import pytest
from PySide6.QtCore import QPointF, Qt

from builder.catalog.rules import fmt
from builder.catalog.specs import spec_for
from builder.inference.engine import totals
from gui.panels.param_editors import (
    BoolEditor,
    ChoiceEditor,
    FloatEditor,
    IntEditor,
    PairEditor,
    ShapeEditor,
    shape_to_text,
)
from tests.gui.canvas_driver import check_undo_redo, click_node, drag_node, drag_wire, node_item, snapshot
from tests.gui.conftest import load_example
from tests.gui.keras_files import keras_facts

EXAMPLES = ["cnn_28x28_three_kernels", "cnn_two_kernels", "dense_branches", "dense_branches_function",
            "relu_tanh_fusion", "shape_mismatch", "two_inputs"]


# The same models written by hand in Keras, as the seed texts do, are in tests/keras_probe.py: Keras's facts of
# them come from a process of their own (the fixture hand_written_facts), as the window never imports Keras.


# ---- driving the app ------------------------------------------------------------------------------------------

def step(controller, action):
    """Do one thing as a person would; if it changed the document, undo and redo must restore it exactly."""
    before = snapshot(controller)
    action()
    if snapshot(controller) != before:
        check_undo_redo(controller, before)


def type_into(qtbot, line_edit, text):
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def set_in_inspector(qtbot, inspector, name, value):
    """Set a param with its own widget in the inspector."""
    editor = inspector.editor(name)
    if isinstance(editor, PairEditor):
        if isinstance(value, int):
            editor.link.setChecked(True)
            editor.first.setValue(value)
        else:
            editor.link.setChecked(False)
            editor.first.setValue(value[0])
            editor.second.setValue(value[1])
    elif isinstance(editor, IntEditor):  # also the axis editor
        editor.spin.setValue(value)
    elif isinstance(editor, ChoiceEditor):
        editor.combo.setCurrentIndex(editor.values.index(value))
    elif isinstance(editor, BoolEditor):
        editor.check.setChecked(value)
    elif isinstance(editor, FloatEditor):
        type_into(qtbot, editor.line, repr(value))
    elif isinstance(editor, ShapeEditor):
        type_into(qtbot, editor.line, shape_to_text(value))
    else:
        raise TypeError(type(editor))


def add_from_palette(qtbot, window, layer):
    window.palette.tree.setCurrentItem(window.palette.items[layer])
    qtbot.keyClick(window.palette.tree, Qt.Key.Key_Return)


def build_from_scratch(qtbot, window, target):
    """Recreate the `target` graph in the window, one person-sized step at a time."""
    controller, canvas, inspector = window.controller, window.canvas, window.inspector
    positions = target.graph["ui"]["positions"]
    for index, (node, data) in enumerate(target.nodes(data=True)):
        existing = set(controller.doc.node_ids())
        if index % 2 == 0:  # half from the palette (at the centre of the view), half added on the canvas
            step(controller, lambda layer=data["layer"]: add_from_palette(qtbot, window, layer))
        else:
            at = QPointF(*positions[node])
            step(controller, lambda layer=data["layer"], at=at: canvas.add_node_at(layer, at))
        (new_id,) = set(controller.doc.node_ids()) - existing
        click_node(canvas, new_id)  # the undo/redo check dropped the selection; a click brings it back
        assert controller.selected == [new_id] and inspector.node_id == new_id
        step(controller, lambda node=node: type_into(qtbot, inspector.id_edit, node))
        assert inspector.node_id == node
        for name, value in data["params"].items():
            step(controller, lambda name=name, value=value: set_in_inspector(qtbot, inspector, name, value))
            assert inspector.rows[name].message == ""
        x, y = positions[node]
        item = node_item(canvas, node)
        if (item.pos().x(), item.pos().y()) != (x, y):
            by = QPointF(x, y) - item.pos()
            step(controller, lambda node=node, by=by: drag_node(canvas, node, by))
    for source, target_node, port in sorted(target.edges(data="port"), key=lambda e: (list(target).index(e[1]),
                                                                                      e[2])):
        step(controller, lambda wire=(source, target_node, port): drag_wire(canvas, wire[0], wire[1], port=wire[2]))
        assert (source, target_node, port) in controller.doc.edges()


def same_model(doc, target):
    """Same ids, layers, wires, and params (Keras's defaults filled in: a node may leave a default unset)."""
    assert doc.node_ids() == list(target)
    assert sorted(doc.edges()) == sorted(target.edges(data="port"))
    for node, data in target.nodes(data=True):
        spec = spec_for(data["layer"])
        assert doc.layer(node) == data["layer"]
        assert spec.resolve(doc.params(node)) == spec.resolve(data["params"]), node


# ---- the test -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_seed_example_built_in_the_app(name, window, dialogs, qtbot, hand_written_facts, tmp_path):
    target = load_example(name)
    controller = window.controller
    build_from_scratch(qtbot, window, target)
    same_model(controller.doc, target)
    step(controller, window.actions_by_name["auto_layout"].trigger)

    rows = window.shapes_panel.row_texts()
    if name == "shape_mismatch":
        assert "concatenate" in hand_written_facts[name]["error"].lower()  # Keras refuses the same graph
        assert rows["merged"][4] == "error" and rows["flatten"][4] == "waits on merged"
        assert window.shapes_panel.problem_texts()[0].startswith("Error: merged: Concatenate needs equal sizes")
        assert window.status.errors_label.text() == "1 error"
        for conv in ("conv_3x3", "conv_5x5", "conv_7x7"):  # the fix the message suggests, in the inspector
            controller.select([conv])
            step(controller, lambda: set_in_inspector(qtbot, window.inspector, "padding", "same"))
        model = hand_written_facts["cnn_28x28_three_kernels"]
    else:
        model = hand_written_facts[name]
    rows = window.shapes_panel.row_texts()
    for layer, facts in model["layers"].items():
        shape, params, status = rows[layer][2:]
        assert shape == fmt(tuple(facts["shape"])), layer
        assert params == f"{facts['params']:,}" and status == "ok", layer
    assert sum(totals(controller.results)) == model["params"]
    assert window.status.errors_label.text() == "No errors"

    saved = tmp_path / f"{name}.json"
    dialogs.answers["save_path"].append(str(saved))
    assert window.files.save_as()
    expected = snapshot(controller)
    assert window.files.new() and controller.doc.node_ids() == []
    assert window.files.open_path(saved) and snapshot(controller) == expected

    script = tmp_path / f"{name}.py"
    dialog = window.exports.export_python(window.code_preview.style)
    style = target.graph["ui"].get("export_style", "layer")  # the seed's own way of writing the merge
    dialog.style_combo.setCurrentIndex(dialog.style_combo.findData(style))
    dialogs.answers["save_path"].append(str(script))
    dialog.save_button.click()
    merge_call = "layers.concatenate([" if style == "function" else "layers.Concatenate("
    assert merge_call in script.read_text()

    made = [script]
    if name in ("two_inputs", "cnn_two_kernels"):  # .keras export for a small and a convolutional model
        keras_file = tmp_path / f"{name}.keras"
        dialogs.answers["save_path"].append(str(keras_file))
        with qtbot.waitSignal(window.keras.build_finished, timeout=120_000):
            assert window.exports.export_keras()
        made.append(keras_file)
    for exported in keras_facts(*made):  # the script run by Python, the .keras file loaded by Keras
        assert exported["params"] == model["params"]
        assert exported["outputs"] == model["outputs"]
