"""Keras work on the worker thread: the import, builds that save .keras files, failures reported as messages,
the busy indicator, Export Python, and threads that always stop."""

import runpy

import pytest

from builder.project import dumps
from builder.shapes import infer, totals
from gui.workers import READY, KerasService
from tests.gui.conftest import load_example, open_example

TIMEOUT_MS = 60_000


@pytest.fixture
def service(qtbot):
    service = KerasService()
    yield service
    service.stop()
    assert not service.running


def test_import_runs_on_the_worker_and_reports_the_version(service, qtbot, keras):
    with qtbot.waitSignal(service.state_changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda state, _detail: state == READY) as signal:
        service.start_loading()
    assert service.running and service.state == READY
    assert signal.args[1].startswith(f"Keras {keras.__version__} loaded in")
    service.stop()
    assert not service.running
    service.stop()  # twice is fine


def test_build_and_save_gives_plain_data_and_a_loadable_file(service, qtbot, keras, tmp_path):
    path = tmp_path / "model.keras"
    graph = load_example("two_inputs")
    with qtbot.waitSignal(service.build_finished, timeout=TIMEOUT_MS) as signal:
        assert service.build_and_save(dumps(graph), str(path))
    info = signal.args[0]
    assert set(info) == {"path", "params", "trainable", "layers", "seconds"}
    loaded = keras.saving.load_model(path)
    assert info["params"] == loaded.count_params() == sum(totals(infer(graph)))
    assert [layer.name for layer in loaded.layers][:2] == ["input_a", "input_b"]  # ids are the layer names
    assert not service.busy


def test_graph_errors_come_back_as_a_message(service, qtbot, keras, tmp_path):
    with qtbot.waitSignal(service.build_failed, timeout=TIMEOUT_MS) as signal:
        service.build_and_save(dumps(load_example("shape_mismatch")), str(tmp_path / "x.keras"))
    assert signal.args[0].startswith("merged: Concatenate needs equal sizes")
    assert not service.busy and not (tmp_path / "x.keras").exists()


def test_keras_exceptions_come_back_as_a_message(service, qtbot, keras, tmp_path):
    target = tmp_path / "no-such-folder" / "x.keras"
    with qtbot.waitSignal(service.build_failed, timeout=TIMEOUT_MS) as signal:
        service.build_and_save(dumps(load_example("dense_branches")), str(target))
    assert signal.args[0] and not target.exists()


def test_one_build_at_a_time(service, qtbot, keras, tmp_path):
    text = dumps(load_example("dense_branches"))
    with qtbot.waitSignal(service.build_finished, timeout=TIMEOUT_MS):
        assert service.build_and_save(text, str(tmp_path / "a.keras"))
        assert not service.build_and_save(text, str(tmp_path / "b.keras"))
    assert not (tmp_path / "b.keras").exists()


def test_export_keras_from_the_window_shows_busy_then_the_result(window, dialogs, qtbot, keras, tmp_path):
    open_example(window, "dense_branches")
    path = tmp_path / "dense.keras"
    dialogs.answers["save_path"].append(str(path))
    with qtbot.waitSignal(window.keras.build_finished, timeout=TIMEOUT_MS):
        assert window.exports.export_keras()
        assert window.status.busy_bar.isVisibleTo(window.status)  # while the worker builds
    assert not window.status.busy_bar.isVisibleTo(window.status)
    assert window.status.currentMessage().startswith(f"Saved the Keras model to {path}")
    assert dialogs.asked[-1][1][1].endswith("dense_branches.keras")  # suggested name
    assert keras.saving.load_model(path).count_params() == sum(totals(window.controller.results))


def test_export_keras_with_errors_explains_and_starts_nothing(window, dialogs):
    open_example(window, "shape_mismatch")
    assert not window.exports.export_keras()
    title, message = dialogs.errors[-1]
    assert title == "Cannot export the Keras model" and "merged: Concatenate needs equal sizes" in message
    assert not window.keras.running and dialogs.asked == []


def test_keras_failure_in_the_window_is_a_dialog_not_an_exception(window, dialogs, qtbot, keras, tmp_path):
    open_example(window, "dense_branches")
    dialogs.answers["save_path"].append(str(tmp_path / "missing" / "m.keras"))
    with qtbot.waitSignal(window.keras.build_failed, timeout=TIMEOUT_MS):
        window.exports.export_keras()
    assert dialogs.errors[-1][0] == "The Keras export failed"


def test_export_python_dialog_previews_switches_style_and_saves(window, dialogs, qtbot, keras, tmp_path):
    open_example(window, "dense_branches")
    dialog = window.exports.export_python()
    assert dialog.isVisible()  # opened with open(), never exec()'d, so the test goes on
    assert "layers.Concatenate(" in dialog.view.toPlainText()
    dialog.style_combo.setCurrentIndex(dialog.style_combo.findData("function"))
    assert "layers.concatenate([" in dialog.view.toPlainText()
    path = tmp_path / "model.py"
    dialogs.answers["save_path"].append(str(path))
    dialog.save_button.click()
    assert path.read_text() == dialog.view.toPlainText() and not dialog.isVisible()
    assert "Exported Python to" in window.status.currentMessage()
    model = runpy.run_path(str(path), run_name="exported")["build_model"]()  # the script's own function
    assert model.count_params() == sum(totals(window.controller.results))


def test_export_python_with_errors_cannot_save(window):
    open_example(window, "shape_mismatch")
    dialog = window.exports.export_python()
    assert not dialog.save_button.isEnabled() and dialog.save() is None
    assert "# No code yet" in dialog.view.toPlainText()
    dialog.close()


def test_closing_the_window_stops_the_worker(window, qtbot, keras):
    with qtbot.waitSignal(window.keras.state_changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda state, _detail: state == READY):
        window.start_background_work(delay_ms=0)
    assert window.keras.running and window.status.keras_label.text() == "Keras: ready"
    window.close()
    assert not window.keras.running


def test_recompute_shapes_answers_with_plain_data_once_keras_is_loaded(service, qtbot, keras):
    request = {"node": "act", "layer": "PReLU", "config": {}, "inputs": [[None, 3, 5]]}
    with pytest.raises(RuntimeError, match="needs Keras loaded"):
        service.recompute_shapes([request])
    with qtbot.waitSignal(service.state_changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda state, _detail: state == READY):
        service.start_loading()
    with qtbot.waitSignal(service.shapes_recomputed, timeout=TIMEOUT_MS) as signal:
        service.recompute_shapes([request])
    assert signal.args[0] == [{**request, "keras_shape": {"shape": [None, 3, 5], "trainable": 15,
                                                          "non_trainable": 0, "inputs": [[None, 3, 5]]}}]
    assert not service.busy  # quick housekeeping, not a task that refuses builds and imports


def test_import_model_gives_project_text(service, qtbot, keras, tmp_path):
    from builder.project import parse

    inp = keras.Input((4,), name="x")
    path = tmp_path / "m.keras"
    keras.Model(inp, keras.layers.LeakyReLU(name="leaky")(inp)).save(path)
    with qtbot.waitSignal(service.import_finished, timeout=TIMEOUT_MS) as signal:
        assert service.import_model(str(path)) and service.busy_text == "Importing m.keras…"
        assert not service.build_and_save("{}", str(tmp_path / "x.keras"))  # one task at a time
    info = signal.args[0]
    assert info["nodes"] == 2 and info["path"] == str(path) and not service.busy
    assert parse(info["text"]).nodes["leaky"]["keras_shape"]["inputs"] == [[None, 4]]
