"""A model with more outputs than FEW_OUTPUTS gets one Loss and Metric pair and an Output chooser in the Training
dock (a pair per output would be thousands of combos for a generated model with hundreds of heads): the pair
shows and sets the chosen output's part of the training section, each change one undo step, and the other
outputs keep theirs."""

from __future__ import annotations

from builder.editing.commands import Delete
from builder.model.document import GraphDocument
from gui.controller import EditorController
from gui.panels.training_form import FEW_OUTPUTS, SUGGESTED, TrainingForm
from tests.gui.fakes import FakeDialogs

HEADS = FEW_OUTPUTS + 2


def _heads(count: int) -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    for i in range(count):
        doc.add_node(f"head_{i}", "Dense", {"units": 2})
        doc.connect("x", f"head_{i}")
    return doc


def _form(qtbot, count: int = HEADS):
    controller = EditorController()
    controller.replace_document(_heads(count).graph)
    form = TrainingForm(controller, FakeDialogs())
    qtbot.addWidget(form)
    return controller, form


def test_many_outputs_share_one_pair_that_follows_the_chosen_output(qtbot):
    controller, form = _form(qtbot)
    assert form.output_rows == {} and form.output_picker is not None
    picker, (loss, metric) = form.output_picker, form.picked_pair
    assert [picker.itemText(i) for i in range(picker.count())] == [f"head_{i}" for i in range(HEADS)]
    picker.setCurrentText("head_3")
    loss.setCurrentText("mean_squared_error")
    assert controller.doc.graph.graph["training"]["loss"] == {"head_3": "mean_squared_error"}
    picker.setCurrentText("head_4")  # another output: its own (still suggested) choice, and no edit
    assert loss.currentText() == SUGGESTED and controller.undo_stack.count() == 1
    metric.setCurrentText("mean_absolute_error")
    assert controller.doc.graph.graph["training"]["metrics"] == {"head_4": ["mean_absolute_error"]}
    assert controller.doc.graph.graph["training"]["loss"] == {"head_3": "mean_squared_error"}
    picker.setCurrentText("head_3")
    assert loss.currentText() == "mean_squared_error" and metric.currentText() == SUGGESTED
    controller.undo_stack.undo()
    controller.undo_stack.undo()  # the pair follows undo
    assert loss.currentText() == SUGGESTED and "loss" not in controller.doc.graph.graph.get("training", {})


def test_the_pair_per_output_comes_back_when_few_outputs_are_left(qtbot):
    controller, form = _form(qtbot)
    controller.push(Delete([f"head_{i}" for i in range(FEW_OUTPUTS, HEADS)]))
    assert form.output_picker is None and list(form.output_rows) == [f"head_{i}" for i in range(FEW_OUTPUTS)]
    controller.undo_stack.undo()
    assert form.output_rows == {} and form.output_picker.count() == HEADS
