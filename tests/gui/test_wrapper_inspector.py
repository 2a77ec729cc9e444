"""A wrapper node in the inspector: its own params and, in the same row, the layer it wraps with that layer's
params; an inner edit is one undo step of the wrapper; the card says what it wraps."""

from __future__ import annotations

import re

import pytest

from builder.editing.commands import AddNode, Connect
from gui.canvas.face import node_face
from gui.controller import EditorController
from gui.panels.inspector import Inspector
from gui.panels.param_editors import BoolEditor, ChoiceEditor, IntEditor
from gui.panels.wrapped_layer_editor import WrappedLayerEditor


@pytest.fixture
def wrapped(qtbot):
    controller = EditorController()
    controller.push(AddNode("x", "Input", {"shape": [10, 8]}))
    controller.push(AddNode("bi", "Bidirectional",
                            {"layer": {"layer": "LSTM", "params": {"units": 16, "return_sequences": True}}}))
    controller.push(Connect("x", "bi"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.resize(340, 900)
    inspector.show()
    controller.select(["bi"])
    return controller, inspector


def test_the_wrapped_layer_s_params_are_edited_in_the_wrapper_s_row(wrapped):
    controller, inspector = wrapped
    editor = inspector.editor("layer")
    assert isinstance(editor, WrappedLayerEditor) and isinstance(inspector.editor("backward_layer"),
                                                                   WrappedLayerEditor)
    assert [editor.combo.itemText(i) for i in range(editor.combo.count())] == ["LSTM", "GRU", "SimpleRNN"]
    assert editor.combo.currentText() == "LSTM"
    assert isinstance(editor.editors["units"], IntEditor) and isinstance(editor.editors["activation"], ChoiceEditor)
    assert isinstance(editor.editors["return_sequences"], BoolEditor)
    assert editor.editors["units"].spin.value() == 16 and editor.editors["return_sequences"].check.isChecked()
    steps = controller.undo_stack.count()
    editor.editors["units"].spin.setValue(32)
    assert controller.doc.params("bi")["layer"] == {"layer": "LSTM", "params": {"units": 32,
                                                                                 "return_sequences": True}}
    assert controller.undo_stack.count() == steps + 1
    assert re.sub("<[^>]+>", "", inspector.shape_label.text()) == "(None, 10, 64)"  # sizes are derivation links
    editor.combo.setCurrentText("GRU")  # another layer starts from its own starting params
    assert controller.doc.params("bi")["layer"] == {"layer": "GRU", "params": {"units": 32}}
    assert re.sub("<[^>]+>", "", inspector.shape_label.text()) == "(None, 64)"
    controller.undo_stack.undo()
    assert editor.combo.currentText() == "LSTM" and editor.editors["units"].spin.value() == 32


def test_the_card_says_what_the_wrapper_holds(wrapped):
    controller, _inspector = wrapped
    face = node_face(controller.doc, controller.results, "bi")
    assert face.layer == "Bidirectional(LSTM 16)" and face.summary == "return_sequences"
    assert face.shape == "(None, 10, 32)"
