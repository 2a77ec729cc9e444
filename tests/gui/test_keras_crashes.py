"""The window survives whatever happens to Keras: the worker process killed mid-import and mid-export, Cancel,
and the memory limit. Each time the person gets a message that names what was being done and the file, the
status bar says Keras is restarting, and the next request runs in a new worker. And through all of it, the
window's own process never imports TensorFlow."""

import os
import signal
import sys

from builder.editing.commands import SetParam
from builder.files.project import dumps
from builder.model.document import GraphDocument
from gui.keras_service import FAILED, READY, RESTARTING
from gui.keras_service.memory_limit import MIN_MB, default_mb, resident_mb
from tests.gui.conftest import KERAS_MODULES, open_example

TIMEOUT_MS = 300_000  # only catches a hang: a busy 2-core machine can take a minute to start TensorFlow


def wait_for_state(qtbot, service, state):
    if service.state != state:
        with qtbot.waitSignal(service.state_changed, timeout=TIMEOUT_MS,
                              check_params_cb=lambda new, _detail: new == state):
            pass


def start_keras(qtbot, window):
    if window.keras.state != READY:
        with qtbot.waitSignal(window.keras.state_changed, timeout=TIMEOUT_MS,
                              check_params_cb=lambda state, _detail: state == READY):
            window.start_background_work(delay_ms=0)


def kill_worker_when(qtbot, window, stage: str) -> int:
    """SIGKILL the worker the moment it reports `stage` in its progress (in the slot itself, before any later
    message of the same read is handled, so a busy machine cannot let the request finish first); its pid."""
    killed = []

    def kill(text):
        if text.startswith(stage) and not killed:
            killed.append(window.keras.worker.pid)
            os.kill(killed[0], signal.SIGKILL)

    window.keras.progress.connect(kill)
    try:
        qtbot.waitUntil(lambda: bool(killed), timeout=TIMEOUT_MS)
    finally:
        window.keras.progress.disconnect(kill)
    return killed[0]


def test_the_worker_killed_mid_import_leaves_the_window_with_a_message_and_a_new_worker(window, dialogs, qtbot,
                                                                                        keras_models):
    open_example(window, "dense_branches")
    before = dumps(window.controller.doc.graph)
    start_keras(qtbot, window)
    with qtbot.waitSignal(window.keras.import_failed, timeout=TIMEOUT_MS):
        assert window.imports.import_path(keras_models / "mobilenetv2.keras")
        old_pid = kill_worker_when(qtbot, window, "reading and loading")
    title, message = dialogs.errors[-1]
    assert title == "Cannot import mobilenetv2.keras"
    assert message.startswith("mobilenetv2.keras cannot be imported:\nKeras stopped while importing "
                              "mobilenetv2.keras (signal 9, SIGKILL).")
    assert window.keras.state == RESTARTING and window.status.keras_label.text() == "Keras: restarting"
    assert dumps(window.controller.doc.graph) == before and window.files.example == "dense_branches"
    assert not window.keras.busy and not window.status.busy_bar.isVisibleTo(window.status)

    wait_for_state(qtbot, window.keras, READY)
    assert window.keras.worker.pid != old_pid
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):  # the next request just works
        assert window.imports.import_path(keras_models / "small.keras")
    qtbot.waitUntil(lambda: "act" in window.controller.doc)


def wide_model():
    """Three Dense layers of 4,096 units: 50 M weights, so the build and the save take seconds, not moments."""
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4096]})
    previous = "x"
    for i in range(3):
        doc.add_node(f"wide_{i}", "Dense", {"units": 4096})
        doc.connect(previous, f"wide_{i}")
        previous = f"wide_{i}"
    return doc.graph


def test_the_worker_killed_mid_export_leaves_the_old_file_and_no_temp_file(window, dialogs, qtbot, tmp_path):
    window.files.open_imported(wide_model(), tmp_path / "cnn.json")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "cnn.keras"
    target.write_bytes(b"the model saved yesterday")
    start_keras(qtbot, window)
    dialogs.answers["save_path"].append(str(target))
    with qtbot.waitSignal(window.keras.build_failed, timeout=TIMEOUT_MS):
        assert window.exports.export_keras()
        kill_worker_when(qtbot, window, "building the model")
    title, message = dialogs.errors[-1]
    assert title == "The Keras export failed"
    assert message.startswith("Keras stopped while building cnn.keras (signal 9, SIGKILL).")
    assert target.read_bytes() == b"the model saved yesterday"
    assert [p.name for p in folder.iterdir()] == ["cnn.keras"]  # the killed save's temp file is removed
    wait_for_state(qtbot, window.keras, READY)


def test_cancel_stops_an_import_keeps_the_document_and_restarts_keras(window, dialogs, qtbot, keras_models):
    open_example(window, "two_inputs")
    start_keras(qtbot, window)
    old_pid = window.keras.worker.pid
    with qtbot.waitSignal(window.keras.cancelled, timeout=TIMEOUT_MS) as signal:
        assert window.imports.import_path(keras_models / "mobilenetv2.keras")
        assert window.status.cancel_button.isVisibleTo(window.status)
        window.status.cancel_button.click()
    assert signal.args == ["importing mobilenetv2.keras"]
    assert window.status.currentMessage() == "Cancelled importing mobilenetv2.keras; the open document was kept"
    assert dialogs.errors == [] and window.files.example == "two_inputs"
    assert not window.status.cancel_button.isVisibleTo(window.status)
    wait_for_state(qtbot, window.keras, READY)
    assert window.keras.worker.pid != old_pid


def test_the_memory_limit_stops_the_worker_with_a_message_that_names_it(window, dialogs, qtbot, keras_models):
    keras = window.keras
    start_keras(qtbot, window)
    used = resident_mb(keras.worker.pid)
    assert used is not None or not sys.platform.startswith("linux")
    with qtbot.waitSignal(keras.import_failed, timeout=TIMEOUT_MS):
        assert window.imports.import_path(keras_models / "mobilenetv2.keras")
        keras.set_memory_limit(MIN_MB)  # below what TensorFlow alone takes: the watch stops the worker
    title, message = dialogs.errors[-1]
    assert title == "Cannot import mobilenetv2.keras"
    assert "Keras stopped while importing mobilenetv2.keras (it used " in message
    assert f"more than its memory limit of {MIN_MB} MB). Raise the limit in Keras > Memory Limit…" in message
    # The new worker cannot even load TensorFlow under that limit: it says so, and does not loop.
    wait_for_state(qtbot, keras, FAILED)
    assert "memory limit of 256 MB" in keras.detail
    assert window.status.keras_label.text() == "Keras: unavailable"
    dialogs.answers["ask_text"].append(str(default_mb()))
    assert window.ask_keras_memory_limit()
    with qtbot.waitSignal(keras.state_changed, timeout=TIMEOUT_MS, check_params_cb=lambda s, _d: s == READY):
        window.actions_by_name["keras_restart"].trigger()


def test_a_memory_limit_that_is_not_a_number_is_refused(window, dialogs):
    before = window.keras.memory_limit_mb
    for answer in ("lots", "12", "-5"):
        dialogs.answers["ask_text"].append(answer)
        assert not window.ask_keras_memory_limit()
        assert dialogs.errors[-1][1].startswith(f"{answer!r} is not a limit in MB between 256 and ")
    assert window.keras.memory_limit_mb == before


def test_import_export_build_and_recompute_leave_keras_out_of_the_window_process(window, dialogs, qtbot,
                                                                                 keras_models, tmp_path):
    """The window's process never imports TensorFlow or Keras, whatever it asks the worker to do."""
    with qtbot.waitSignal(window.keras.import_finished, timeout=TIMEOUT_MS):  # import
        assert window.imports.import_path(keras_models / "small.keras")
    qtbot.waitUntil(lambda: "act" in window.controller.doc)
    with qtbot.waitSignal(window.generic_shapes.applied, timeout=TIMEOUT_MS):  # generic shape recomputed
        window.controller.push(SetParam("x", "shape", [9, 9, 4]))
    assert window.controller.results["act"].params == 9 * 9 * 8
    dialogs.answers["save_path"].append(str(tmp_path / "small.keras"))
    with qtbot.waitSignal(window.keras.build_finished, timeout=TIMEOUT_MS):  # build and export .keras
        assert window.exports.export_keras()
    assert [m for m in KERAS_MODULES if m in sys.modules] == []
