"""Training settings as undoable edits (builder/editing/training_edit.py): one step each, undone exactly (an
absent section stays absent), refused like the project file refuses, and saved with the project."""

from __future__ import annotations

import pytest

import builder
from builder.editing.commands import History
from builder.editing.training_edit import InvalidTraining, SetTraining
from builder.files import project
from tests.training_samples import small_cnn


def test_each_setting_is_one_undo_step_and_undo_restores_the_section_exactly():
    doc = builder.GraphDocument(small_cnn())
    history = History(doc)
    history.push(SetTraining({"epochs": 3}))
    history.push(SetTraining({"data": "t.csv", "label": "kind", "features": ["a", "b"]}))
    history.push(SetTraining({"loss": {"classes": "categorical_crossentropy"}}))
    assert doc.graph.graph["training"] == {"epochs": 3, "data": "t.csv", "label": "kind", "features": ["a", "b"],
                                           "loss": {"classes": "categorical_crossentropy"}}
    assert project.parse(project.dumps(doc.graph)).graph["training"] == doc.graph.graph["training"]
    history.push(SetTraining({"features": None}))  # back to every column but the label
    assert "features" not in doc.graph.graph["training"]
    history.undo()
    history.undo()
    assert doc.graph.graph["training"] == {"epochs": 3, "data": "t.csv", "label": "kind", "features": ["a", "b"]}
    history.undo()
    history.undo()
    assert "training" not in doc.graph.graph  # the project had none: it has none again
    history.redo()
    assert doc.graph.graph["training"] == {"epochs": 3}


def test_a_bad_value_is_refused_and_changes_nothing():
    doc = builder.GraphDocument(small_cnn(with_seed_settings=True))
    before = dict(doc.graph.graph["training"])
    with pytest.raises(InvalidTraining, match="training.epochs: expected an integer"):
        SetTraining({"epochs": 0}).do(doc)
    assert doc.graph.graph["training"] == before


def test_the_undo_text_names_the_setting():
    assert SetTraining({"batch_size": 64}).text == "Set training batch size to 64"
    assert SetTraining({"loss": None}).text == "Set training loss to suggested"
    assert SetTraining({"metrics": {"a": ["accuracy"]}}).text == "Set training metrics to a: accuracy"
