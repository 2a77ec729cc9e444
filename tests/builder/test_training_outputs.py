"""A model with several outputs: a loss and metrics per output, suggested from each output's layer and labels or
set per output id in the section, compiled by output name; the history and the evaluation have each output's
part (builder/keras/training_settings.py, training.py, training_evaluation.py)."""

from __future__ import annotations

import numpy as np
import pytest

from builder.files.training_section import TrainingSettingsError
from builder.keras.training import train
from builder.keras.training_data import load_data
from builder.keras.training_evaluation import evaluate
from builder.keras.training_settings import resolve
from tests.training_samples import bright_quadrant_images, two_outputs


@pytest.fixture
def npz(tmp_path):
    images, labels = bright_quadrant_images(96, size=12)
    np.savez(tmp_path / "two.npz", image=images, digit=labels, size=images.mean(axis=(1, 2, 3)))
    return str(tmp_path / "two.npz")


def test_each_output_gets_its_own_suggestion_and_the_section_can_set_one(npz):
    graph = two_outputs()
    data = load_data(npz, graph)
    settings = resolve(graph, {}, data.y)
    assert settings["loss"] == {"digit": "sparse_categorical_crossentropy", "size": "mean_squared_error"}
    assert settings["metrics"] == {"digit": ["accuracy"], "size": ["mean_absolute_error"]}
    graph.graph["training"] = {"loss": {"size": "huber"}, "metrics": {"digit": ["sparse_categorical_accuracy"]}}
    settings = resolve(graph, {}, data.y)
    assert settings["loss"] == {"digit": "sparse_categorical_crossentropy", "size": "huber"}
    assert settings["metrics"] == {"digit": ["sparse_categorical_accuracy"], "size": ["mean_absolute_error"]}
    with pytest.raises(TrainingSettingsError, match="training.loss: the model has no output 'sise'"):
        resolve(graph, {"loss": {"sise": "huber"}}, data.y)


def test_two_outputs_train_with_their_losses_and_are_evaluated_each(npz, keras):
    graph = two_outputs()
    data = load_data(npz, graph)
    settings = resolve(graph, {"epochs": 2, "batch_size": 16, "seed": 0}, data.y)
    result = train(graph, data, settings)
    assert {"loss", "digit_loss", "size_loss", "digit_accuracy", "size_mean_absolute_error",
            "val_digit_accuracy", "val_size_mean_absolute_error"} <= set(result["history"])
    evaluation = evaluate(result["_model"], data, result["_held_out"], settings)
    parts = {part["output"]: part for part in evaluation["outputs"]}
    assert parts["digit"]["kind"] == "classification" and len(parts["digit"]["confusion"]) == 4
    assert parts["size"]["kind"] == "regression" and len(parts["size"]["true"]) == evaluation["examples"]
    assert evaluation["kind"] == "classification" and "digit_accuracy" in evaluation["metrics"]
