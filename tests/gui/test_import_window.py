"""File > Import… in the window: the import runs on the Keras worker, the window keeps responding, refusals get
a dialog naming the file and the layer, and the result opens as an unsaved document."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from PySide6.QtCore import QTimer

from builder import project
from builder.commands import SetParam
from tests.gui.conftest import open_example

TIMEOUT_MS = 60_000
LONGEST_GAP = 1.0  # seconds without a 50 ms timer tick while Keras imports a model on the worker


def generic_model(keras):
    """x -> conv -> act (PReLU: outside the catalog, with weights) -> pool -> head."""
    inp = keras.Input((7, 7, 4), name="x")
    y = keras.layers.Conv2D(8, 3, padding="same", name="conv")(inp)
    y = keras.layers.PReLU(name="act")(y)
    y = keras.layers.GlobalAveragePooling2D(name="pool")(y)
    return keras.Model(inp, keras.layers.Dense(3, name="head")(y))


@pytest.fixture
def model_file(keras, tmp_path):
    path = tmp_path / "small.keras"
    generic_model(keras).save(path)
    return path


def import_and_wait(qtbot, window, dialogs, path) -> float:
    """Trigger File > Import… for `path` from inside the event loop; the longest gap between timer ticks."""
    dialogs.answers["import_path"].append(str(path))
    ticks = [time.perf_counter()]
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(50)
    with qtbot.waitSignal(window.keras.busy_changed, timeout=TIMEOUT_MS, check_params_cb=lambda busy: not busy):
        window.actions_by_name["import"].trigger()
        assert window.keras.busy and window.status.busy_bar.isVisibleTo(window.status)
        assert window.status.busy_label.text() == f"Importing {path.name}…"
    qtbot.wait(100)
    timer.stop()
    ticks.append(time.perf_counter())
    return max(b - a for a, b in itertools.pairwise(ticks))


def test_import_opens_the_model_as_an_unsaved_document_without_freezing(window, dialogs, qtbot, keras, model_file):
    action = window.actions_by_name["import"]
    assert action.shortcut().toString() == "Ctrl+I" and action in window.menuBar().actions()[0].menu().actions()
    gap = import_and_wait(qtbot, window, dialogs, model_file)
    doc = window.controller.doc
    assert doc.node_ids() == ["x", "conv", "act", "pool", "head"]
    assert doc.graph.nodes["act"]["keras_shape"]["inputs"] == [[None, 7, 7, 8]]
    assert window.controller.results["head"].shape == (None, 3)
    assert sum(r.params for r in window.controller.results.values()) == generic_model(keras).count_params()
    assert window.files.path is None and not window.files.modified
    assert window.windowTitle().endswith("small.json (imported from small.keras)")
    assert window.files.suggested_path(".json").endswith("small.json")
    assert window.status.currentMessage().startswith("Imported small.keras: 5 nodes in")
    assert not window.status.busy_bar.isVisibleTo(window.status)
    assert dialogs.errors == []
    assert gap < LONGEST_GAP, f"the window stopped responding for {gap:.2f} s during the import"
    print(f"\nimport of a 5-layer model on the worker: longest gap between 50 ms ticks {gap * 1000:.0f} ms")


def test_a_second_import_or_build_while_one_runs_is_refused_politely(window, dialogs, qtbot, keras, model_file):
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        assert window.imports.import_path(model_file)
        assert not window.imports.import_path(model_file)
        assert window.status.currentMessage() == ("Keras is busy (Importing small.keras); import small.keras when "
                                                  "it has finished")
        assert not window.exports.export_keras()
    assert dialogs.asked == []  # refused before asking anything


def test_a_lambda_model_is_refused_with_a_dialog_naming_file_and_layer(window, dialogs, qtbot, keras, tmp_path):
    open_example(window, "dense_branches")
    before = project.dumps(window.controller.doc.graph)
    inp = keras.Input((3,), name="x")
    out = keras.layers.Lambda(lambda t: t * 2, name="double_it")(inp)
    path = tmp_path / "lambda.json"
    path.write_text(keras.Model(inp, out).to_json())
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        window.imports.import_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import lambda.json"
    assert message.startswith("lambda.json cannot be imported:\ndouble_it: a Lambda layer holds arbitrary")
    assert project.dumps(window.controller.doc.graph) == before and window.files.example == "dense_branches"
    assert window.status.currentMessage() == "Cannot import lambda.json; see the message"


def test_an_unreadable_file_is_refused_with_a_dialog(window, dialogs, qtbot, tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"not a zip archive")
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        window.imports.import_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import broken.keras" and "cannot read a Keras model config" in message


def test_unsaved_changes_are_offered_for_saving_first(window, dialogs, qtbot, keras, model_file):
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


def test_edits_made_while_importing_are_offered_for_saving_again(window, dialogs, qtbot, keras, model_file):
    open_example(window, "dense_branches")
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        assert window.imports.import_path(model_file)  # clean: nothing to ask
        window.controller.push(SetParam("dense_64", "units", 5))  # the window stays usable meanwhile
        dialogs.answers["ask_save_changes"].append("cancel")
    assert window.files.example == "dense_branches" and window.controller.doc.params("dense_64")["units"] == 5
    assert window.status.currentMessage().startswith("The import of small.keras was put aside")


def test_a_model_over_the_window_limit_is_refused_like_opening_one(window, dialogs, qtbot, keras, model_file,
                                                                    monkeypatch):
    import gui.files
    import gui.importing

    monkeypatch.setattr(gui.files, "MAX_WINDOW_NODES", 4)
    monkeypatch.setattr(gui.importing, "MAX_WINDOW_NODES", 4)
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        window.imports.import_path(model_file)
    title, message = dialogs.errors[-1]
    assert title == "Cannot import small.keras"
    assert message == ("small.keras cannot be imported:\nthe graph has 5 nodes; the window shows at most 4 (larger "
                       "ones would freeze it). Use the command line for it: python main.py import small.keras -o "
                       "small.json, then check, export or build")
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
    assert "magic_layer: Magic is a custom object (module 'my_package.layers')" in message


def test_dropping_a_keras_file_imports_it(window, dialogs, qtbot, keras, model_file):
    from tests.gui.test_bad_values import _drop

    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):
        _drop(window, model_file)
    qtbot.waitUntil(lambda: "act" in window.controller.doc)
    assert window.files.imported_from == model_file and dialogs.errors == []
