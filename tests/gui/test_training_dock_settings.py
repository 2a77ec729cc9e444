"""The Training dock's settings as edits: one undo step each, the fields following undo and redo, saved with the
project; a CSV's preview with its label and feature columns chosen in the dock; the resize remedy offered for
images of another size and applied on request in the worker; a model with two outputs trained from the dock, with
each output's metrics in the curves and each output's part in the evaluation."""

from __future__ import annotations

import json

import numpy as np

import builder
from tests.training_samples import bright_quadrant_images, dense_classifier, small_cnn, two_outputs

TRAIN_TIMEOUT_MS = 300_000  # only catches a hang


def _open(window, tmp_path, graph):
    builder.save(graph, tmp_path / "project.json")
    assert window.files.open_path(tmp_path / "project.json")
    window.actions_by_name["keras_train"].trigger()
    return window.training


def test_each_setting_is_one_undo_step_and_is_saved_with_the_project(window, tmp_path):
    panel = _open(window, tmp_path, small_cnn())
    stack = window.controller.undo_stack
    panel.epochs.setValue(3)
    panel.optimizer.setCurrentText("sgd")
    panel.batch_size.setValue(64)
    assert stack.count() == 3 and stack.undoText() == "Set training batch size to 64"
    assert window.files.modified
    stack.undo()
    assert panel.batch_size.value() == 32 and "batch_size" not in window.controller.doc.graph.graph["training"]
    stack.undo()
    assert panel.optimizer.currentText() == "adam"
    stack.redo()
    assert panel.optimizer.currentText() == "sgd"
    loss, _metric = panel.output_rows["classes"]
    loss.setCurrentText("categorical_crossentropy")
    assert stack.undoText() == "Set training loss to categorical_crossentropy"
    assert window.files.save()
    saved = json.loads((tmp_path / "project.json").read_text())["training"]
    assert saved == {"epochs": 3, "optimizer": "sgd", "loss": "categorical_crossentropy"}


def test_a_csv_is_previewed_and_its_label_and_feature_columns_are_chosen_in_the_dock(window, tmp_path):
    panel = _open(window, tmp_path, dense_classifier(features=3, classes=2))
    (tmp_path / "t.csv").write_text("id,a,b,note,c,kind\n" + "".join(
        f"{i},{i}.5,{-i},n{i},{2 * i},{'cat' if i % 2 else 'dog'}\n" for i in range(12)))
    panel.data.setText(str(tmp_path / "t.csv"))
    panel.data.editingFinished.emit()
    csv = panel.csv
    assert not csv.isHidden() and csv.columns == ["id", "a", "b", "note", "c", "kind"]
    assert csv.table.rowCount() == 8 and csv.table.horizontalHeaderItem(3).text() == "note\ntext"
    assert csv.label.currentText() == "kind"  # the last column, until one is chosen
    assert csv.ticked() == ["id", "a", "b", "c"]  # text columns start unticked
    csv.set_ticked(["a", "b", "c"])
    section = window.controller.doc.graph.graph["training"]
    assert section["label"] == "kind" and section["features"] == ["a", "b", "c"]
    assert "3 feature column(s): the Input takes (3,)" in csv.summary.text()
    window.controller.undo_stack.undo()
    assert csv.ticked() == ["id", "a", "b", "c"]
    panel.data.setText("digits")
    panel.data.editingFinished.emit()
    assert csv.isHidden()


def test_images_of_another_size_get_the_resize_remedy_and_train_once_it_is_applied(window, qtbot, tmp_path):
    panel = _open(window, tmp_path, small_cnn())
    images, labels = bright_quadrant_images(64, size=8)
    np.savez(tmp_path / "small.npz", x=images, y=labels)
    panel.data.setText(str(tmp_path / "small.npz"))
    panel.epochs.setValue(1)
    with qtbot.waitSignal(window.keras.training_failed, timeout=TRAIN_TIMEOUT_MS):
        assert panel.start()
    assert not panel.remedy_button.isHidden() and panel.remedy_button.text() == "Resize to 28×28 and train"
    assert "resize to 28×28?" in panel.status.text()
    with qtbot.waitSignal(window.keras.training_finished, timeout=TRAIN_TIMEOUT_MS) as finished:
        panel.remedy_button.click()
    assert window.controller.doc.graph.graph["training"]["resize"] is True and panel.resize_images.isChecked()
    assert any("resized from 8×8 to 28×28" in note for note in finished.args[0]["notes"])
    assert panel.remedy_button.isHidden()


def test_two_outputs_train_with_a_loss_each_and_show_each_output(window, qtbot, tmp_path):
    panel = _open(window, tmp_path, two_outputs())
    assert list(panel.output_rows) == ["digit", "size"]
    panel.output_rows["size"][0].setCurrentText("huber")
    assert window.controller.doc.graph.graph["training"]["loss"] == {"size": "huber"}
    window.controller.undo_stack.undo()  # the output pairs follow undo, and a removed output's pair goes
    assert panel.output_rows["size"][0].currentText() == "(suggested)"
    window.controller.undo_stack.redo()
    from builder.editing.commands import Delete

    window.controller.push(Delete(["digit"]))
    assert list(panel.output_rows) == ["size"] and panel.output_rows["size"][0].currentText() == "huber"
    window.controller.undo_stack.undo()
    assert list(panel.output_rows) == ["digit", "size"] and panel.output_rows["size"][0].currentText() == "huber"
    images, labels = bright_quadrant_images(96, size=12)
    np.savez(tmp_path / "two.npz", image=images, digit=labels, size=images.mean(axis=(1, 2, 3)))
    panel.data.setText(str(tmp_path / "two.npz"))
    panel.epochs.setValue(2)
    with qtbot.waitSignal(window.keras.training_finished, timeout=TRAIN_TIMEOUT_MS) as finished:
        assert panel.start()
    result = finished.args[0]
    assert result["settings"]["loss"] == {"digit": "sparse_categorical_crossentropy", "size": "huber"}
    assert {"digit_accuracy", "size_mean_absolute_error", "digit_loss", "size_loss"} <= set(panel.curves.metrics())
    panel.curves.show_metric("size_mean_absolute_error")
    assert len(panel.curves.values("size_mean_absolute_error", "validation")) == 2
    assert [part["output"] for part in result["evaluation"]["outputs"]] == ["digit", "size"]
    assert panel.results.body.count() == 2 and panel.results.scatter is not None
    assert not panel.results.picture.pixmap().isNull()
