"""Keras in its own process (gui/keras_service/, builder/keras/worker.py): loading, builds that save .keras
files, imports, generic-shape recomputation, failures reported as messages, the busy indicator with Cancel,
Export Python, and processes that always stop. Nothing here imports Keras into the test process: files and
Keras's own facts come from tests/keras_probe.py (the window's conftest checks it after every test)."""

import pytest

from builder.files.project import dumps, parse
from builder.inference.engine import infer, totals
from gui.keras_service import READY, KerasService
from tests.gui.conftest import load_example, open_example
from tests.gui.keras_files import keras_facts

TIMEOUT_MS = 300_000  # only catches a hang: starting TensorFlow takes seconds, a minute on a busy machine


@pytest.fixture
def service(qtbot):
    """A service of its own, not started: for the tests that start or stop the worker themselves."""
    service = KerasService()
    yield service
    service.stop()
    assert not service.running


@pytest.fixture(scope="module")
def shared_service(qapp):
    """One worker for the tests that only hand it tasks and wait for the answer: each start loads TensorFlow,
    seconds on 2 busy cores. Each such test ends with the service idle, as it found it."""
    service = KerasService()
    yield service
    service.stop()
    assert not service.running


def wait_ready(qtbot, service):
    if service.state != READY:
        with qtbot.waitSignal(service.state_changed, timeout=TIMEOUT_MS,
                              check_params_cb=lambda state, _detail: state == READY):
            service.start_loading()


def test_the_worker_process_loads_keras_and_reports_version_and_pid(service, qtbot):
    wait_ready(qtbot, service)
    assert service.running and service.state == READY
    assert service.detail.startswith("Keras 3.") and f"worker process {service.worker.pid}" in service.detail
    worker = service.worker
    service.stop()
    assert not service.running and not worker.alive
    service.stop()  # twice is fine


def test_build_and_save_gives_plain_data_and_a_loadable_file(shared_service, qtbot, tmp_path):
    path = tmp_path / "model.keras"
    graph = load_example("two_inputs")
    with qtbot.waitSignal(shared_service.build_finished, timeout=TIMEOUT_MS) as signal:
        assert shared_service.build_and_save(dumps(graph), str(path))
    info = signal.args[0]
    assert set(info) == {"path", "params", "trainable", "layers", "seconds"}
    (loaded,) = keras_facts(path)
    assert info["params"] == loaded["params"] == sum(totals(infer(graph)))
    assert list(loaded["layers"])[:2] == ["input_a", "input_b"]  # ids are the layer names
    assert not shared_service.busy and [p.name for p in tmp_path.iterdir()] == ["model.keras"]  # no temp file left


def test_graph_errors_come_back_as_a_message(shared_service, qtbot, tmp_path):
    with qtbot.waitSignal(shared_service.build_failed, timeout=TIMEOUT_MS) as signal:
        shared_service.build_and_save(dumps(load_example("shape_mismatch")), str(tmp_path / "x.keras"))
    assert signal.args[0].startswith("merged: Concatenate needs equal sizes")
    assert not shared_service.busy and not (tmp_path / "x.keras").exists()


def test_a_file_that_cannot_be_written_comes_back_as_a_message_naming_it(shared_service, qtbot, tmp_path):
    target = tmp_path / "no-such-folder" / "x.keras"
    with qtbot.waitSignal(shared_service.build_failed, timeout=TIMEOUT_MS) as signal:
        shared_service.build_and_save(dumps(load_example("dense_branches")), str(target))
    assert "x.keras" in signal.args[0] and not target.exists()


def test_one_build_at_a_time(shared_service, qtbot, tmp_path):
    text = dumps(load_example("dense_branches"))
    with qtbot.waitSignal(shared_service.build_finished, timeout=TIMEOUT_MS):
        assert shared_service.build_and_save(text, str(tmp_path / "a.keras"))
        assert not shared_service.build_and_save(text, str(tmp_path / "b.keras"))
    assert not (tmp_path / "b.keras").exists()


def test_recompute_asked_before_keras_is_ready_waits_for_it_and_is_not_busy(service, qtbot):
    request = {"node": "act", "layer": "PReLU", "config": {}, "inputs": [[None, 3, 5]]}
    with qtbot.waitSignal(service.shapes_recomputed, timeout=TIMEOUT_MS) as signal:
        service.recompute_shapes([request])  # starts the worker; the request waits in the queue
        assert not service.busy  # quick housekeeping, not a task that refuses builds and imports
    assert signal.args[0] == [{**request, "keras_shape": {"shape": [None, 3, 5], "trainable": 15,
                                                          "non_trainable": 0, "inputs": [[None, 3, 5]]}}]


def test_import_model_gives_project_text(shared_service, qtbot, keras_models):
    path = keras_models / "leaky.keras"
    with qtbot.waitSignal(shared_service.import_finished, timeout=TIMEOUT_MS) as signal:
        assert shared_service.import_model(str(path)) and shared_service.busy_text == "Importing leaky.keras…"
        assert not shared_service.build_and_save("{}", "x.keras")  # one task at a time
    info = signal.args[0]
    assert info["nodes"] == 2 and info["path"] == str(path) and not shared_service.busy
    assert parse(info["text"]).nodes["leaky"]["keras_shape"]["inputs"] == [[None, 4]]


def test_the_seed_cnn_and_mobilenetv2_import_in_the_worker(shared_service, qtbot, keras_models):
    """Both crashed the window when Keras ran on its worker thread (SIGSEGV in convert_to_eager_tensor)."""
    for name, nodes in (("cnn.keras", 8), ("mobilenetv2.keras", 156)):
        with qtbot.waitSignal(shared_service.import_finished, timeout=TIMEOUT_MS) as signal:
            shared_service.import_model(str(keras_models / name))
        assert signal.args[0]["nodes"] == nodes


# ---- in the window ---------------------------------------------------------------------------------------------

def test_export_keras_from_the_window_shows_progress_and_cancel_then_the_result(window, dialogs, qtbot, tmp_path):
    open_example(window, "dense_branches")
    path = tmp_path / "dense.keras"
    dialogs.answers["save_path"].append(str(path))
    with qtbot.waitSignal(window.keras.build_finished, timeout=TIMEOUT_MS):
        assert window.exports.export_keras()
        status = window.status
        assert status.busy_bar.isVisibleTo(status) and status.cancel_button.isVisibleTo(status)
        assert status.busy_label.text().startswith("Building the Keras model…")
    assert not window.status.busy_bar.isVisibleTo(window.status)
    assert window.status.currentMessage().startswith(f"Saved the Keras model to {path}")
    assert dialogs.asked[-1][1][1].endswith("dense_branches.keras")  # suggested name
    assert keras_facts(path)[0]["params"] == sum(totals(window.controller.results))


def test_export_keras_with_errors_explains_and_starts_nothing(window, dialogs):
    open_example(window, "shape_mismatch")
    assert not window.exports.export_keras()
    title, message = dialogs.errors[-1]
    assert title == "Cannot export the Keras model" and "merged: Concatenate needs equal sizes" in message
    assert not window.keras.running and dialogs.asked == []


def test_keras_failure_in_the_window_is_a_dialog_not_an_exception(window, dialogs, qtbot, tmp_path):
    open_example(window, "dense_branches")
    dialogs.answers["save_path"].append(str(tmp_path / "missing" / "m.keras"))
    with qtbot.waitSignal(window.keras.build_failed, timeout=TIMEOUT_MS):
        window.exports.export_keras()
    assert dialogs.errors[-1][0] == "The Keras export failed"


def test_export_python_dialog_previews_switches_style_and_saves(window, dialogs, qtbot, tmp_path):
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
    assert keras_facts(path)[0]["params"] == sum(totals(window.controller.results))  # the script runs


def test_export_python_with_errors_cannot_save(window):
    open_example(window, "shape_mismatch")
    dialog = window.exports.export_python()
    assert not dialog.save_button.isEnabled() and dialog.save() is None
    assert "# No code yet" in dialog.view.toPlainText()
    dialog.close()


def test_closing_the_window_stops_the_worker_process(window, qtbot):
    with qtbot.waitSignal(window.keras.state_changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda state, _detail: state == READY):
        window.start_background_work(delay_ms=0)
    worker = window.keras.worker
    assert window.keras.running and window.status.keras_label.text() == "Keras: ready"
    window.close()
    assert not window.keras.running and not worker.alive


def test_a_model_whose_weights_would_not_fit_is_refused_before_keras_allocates(shared_service, qtbot, tmp_path):
    from builder.model.document import GraphDocument

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [30000]})
    doc.add_node("huge", "Dense", {"units": 30000})  # 900 M weights: 3.6 GB of float32
    doc.connect("x", "huge")
    with qtbot.waitSignal(shared_service.build_failed, timeout=TIMEOUT_MS) as signal:
        shared_service.build_and_save(dumps(doc.graph), str(tmp_path / "huge.keras"))
    assert "huge" in signal.args[0] and not (tmp_path / "huge.keras").exists()
    assert shared_service.running  # refused by our own count: the worker never tried, so it is still there
