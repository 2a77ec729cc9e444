"""File > Import… in the window: the import runs in the Keras worker process, the window keeps responding,
refusals get a dialog naming the file and the layer, and the result opens as an unsaved document. The model
files come from tests/keras_probe.py; the test process never imports Keras."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer

from builder.editing.commands import SetParam
from builder.files import project
from tests.gui.conftest import open_example

TIMEOUT_MS = 300_000  # only catches a hang: a busy 2-core machine can take a minute to start TensorFlow


@pytest.fixture
def model_file(keras_models):
    """x -> conv -> act (RMSNormalization: outside the catalog, with weights) -> pool -> head, saved by Keras."""
    return keras_models / "small.keras"


def import_and_wait(qtbot, window, dialogs, path) -> int:
    """Trigger File > Import… for `path` from inside the event loop; how often a 20 ms timer ticked while
    the import ran (the window's thread was free to run it)."""
    dialogs.answers["import_path"].append(str(path))
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(window.keras.busy))
    timer.start(20)
    with qtbot.waitSignal(window.keras.busy_changed, timeout=TIMEOUT_MS, check_params_cb=lambda busy: not busy):
        window.actions_by_name["import"].trigger()
        assert window.keras.busy and window.status.busy_bar.isVisibleTo(window.status)
        assert window.status.busy_label.text() == f"Importing {path.name}…"
    timer.stop()
    return sum(ticks)


def test_import_opens_the_model_as_an_unsaved_document_without_freezing(window, dialogs, qtbot, model_file,
                                                                          keras_models):
    action = window.actions_by_name["import"]
    assert action.shortcut().toString() == "Ctrl+I" and action in window.menuBar().actions()[0].menu().actions()
    ticks_while_busy = import_and_wait(qtbot, window, dialogs, model_file)
    doc = window.controller.doc
    assert doc.node_ids() == ["x", "conv", "act", "pool", "head"]
    assert doc.graph.nodes["act"]["keras_shape"]["inputs"] == [[None, 7, 7, 8]]
    assert window.controller.results["head"].shape == (None, 3)
    keras_count = json.loads((keras_models / "facts.json").read_text())["small"]["params"]
    assert sum(r.params for r in window.controller.results.values()) == keras_count
    assert window.files.path is None and not window.files.modified
    assert window.windowTitle().endswith("small.json (imported from small.keras)")
    assert window.files.suggested_path(".json").endswith("small.json")
    assert window.status.currentMessage().startswith("Imported small.keras: 5 nodes in")
    assert not window.status.busy_bar.isVisibleTo(window.status)
    assert dialogs.errors == []
    assert ticks_while_busy > 0, "the window's event loop did not run while Keras imported the model"


def test_a_second_import_or_build_while_one_runs_is_refused_politely(window, dialogs, qtbot, model_file):
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        assert window.imports.import_path(model_file)
        assert not window.imports.import_path(model_file)
        assert window.status.currentMessage() == ("Keras is busy (Importing small.keras); import small.keras when "
                                                  "it has finished")
        assert not window.exports.export_keras()
    assert dialogs.asked == []  # refused before asking anything


def test_a_lambda_model_is_refused_with_a_dialog_naming_file_and_layer(window, dialogs, qtbot, keras_models):
    open_example(window, "dense_branches")
    before = project.dumps(window.controller.doc.graph)
    path = keras_models / "lambda.json"  # a Lambda layer named double_it
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        window.imports.import_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import lambda.json"
    assert message.startswith("lambda.json cannot be imported:\n'double_it': a Lambda layer holds arbitrary")
    assert project.dumps(window.controller.doc.graph) == before and window.files.example == "dense_branches"
    assert window.status.currentMessage() == "Cannot import lambda.json; see the message"


def test_an_unreadable_file_is_refused_with_a_dialog(window, dialogs, qtbot, tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"not a zip archive")
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        window.imports.import_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import broken.keras" and "cannot read a Keras model config" in message


def test_unsaved_changes_are_offered_for_saving_first(window, dialogs, qtbot, model_file):
    open_example(window, "dense_branches")
    window.controller.push(SetParam("dense_64", "units", 5))
    dialogs.answers["ask_save_changes"].append("cancel")
    assert not window.imports.import_path(model_file)
    assert not window.keras.busy and window.files.example == "dense_branches"
    dialogs.answers["ask_save_changes"].append("discard")
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        assert window.imports.import_path(model_file)
    qtbot.waitUntil(lambda: "act" in window.controller.doc)
    assert [a[0] for a in dialogs.asked] == ["ask_save_changes", "ask_save_changes"]


def test_edits_made_while_importing_are_offered_for_saving_again(window, dialogs, qtbot, model_file):
    open_example(window, "dense_branches")
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        assert window.imports.import_path(model_file)  # clean: nothing to ask
        window.controller.push(SetParam("dense_64", "units", 5))  # the window stays usable meanwhile
        dialogs.answers["ask_save_changes"].append("cancel")
    assert window.files.example == "dense_branches" and window.controller.doc.params("dense_64")["units"] == 5
    assert window.status.currentMessage().startswith("The import of small.keras was put aside")


def test_a_model_over_the_window_limit_is_refused_like_opening_one(window, dialogs, qtbot, model_file,
                                                                    monkeypatch):
    import gui.files
    import gui.importing

    monkeypatch.setattr(gui.files, "MAX_WINDOW_NODES", 4)
    monkeypatch.setattr(gui.importing, "MAX_WINDOW_NODES", 4)
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        window.imports.import_path(model_file)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import small.keras"
    assert message == ("small.keras cannot be imported:\nthe graph has 5 nodes; the window shows at most 4 (a larger "
                       "one would take gigabytes of memory and minutes to draw). Use the command line for it: "
                       "python main.py import small.keras -o small.json, then check, export or build")
    assert len(window.controller.doc) == 0


def test_a_custom_object_is_refused_with_a_dialog_naming_the_layer(window, dialogs, qtbot, tmp_path):
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"module": "my_package.layers", "class_name": "Magic", "config": {"name": "magic_layer"},
         "registered_name": "my_package>Magic"}]}}
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(config))
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        window.imports.import_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import custom.json"
    assert "'magic_layer': 'Magic' is a custom object (module 'my_package.layers')" in message


def test_dropping_a_keras_file_imports_it(window, dialogs, qtbot, model_file):
    from tests.gui.test_bad_values import _drop

    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        _drop(window, model_file)
    qtbot.waitUntil(lambda: "act" in window.controller.doc)
    assert window.files.imported_from == model_file and dialogs.errors == []
