"""The Training dock, through the real Keras worker process: train the small CNN on a learnable dataset made
here, watch the curves fill and the evaluation appear; Stop mid-epoch keeps a usable model; a worker killed
mid-training leaves the window working and the best checkpoint on disk."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import builder
from tests.conftest import ROOT
from tests.gui.keras_files import keras_facts
from tests.training_samples import bright_quadrant_images, small_cnn

TRAIN_TIMEOUT_MS = 300_000  # only catches a hang


@pytest.fixture
def dock(window, tmp_path):
    builder.save(small_cnn(), tmp_path / "project.json")
    assert window.files.open_path(tmp_path / "project.json")
    images, labels = bright_quadrant_images(200)
    np.savez(tmp_path / "q.npz", x=images, y=labels)
    window.actions_by_name["keras_train"].trigger()
    panel = window.training
    panel.data.setText(str(tmp_path / "q.npz"))
    panel.batch_size.setValue(16)
    return panel


def test_pyqtgraph_is_imported_only_when_the_dock_is_first_shown():
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from gui.main_window import MainWindow; w = MainWindow(restore_layout=False); w.show(); "
            "app.processEvents(); print('pyqtgraph' in sys.modules); w.actions_by_name['keras_train'].trigger(); "
            "app.processEvents(); print('pyqtgraph' in sys.modules); w.shutdown()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.split()[-2:] == ["False", "True"], done.stderr[-2000:]
    # and it stays a tab beside the code


def test_train_from_the_dock_fills_the_curves_and_shows_the_evaluation(dock, window, qtbot, tmp_path):
    dock.epochs.setValue(2)
    with qtbot.waitSignal(window.keras.training_finished, timeout=TRAIN_TIMEOUT_MS) as finished:
        assert dock.start()
        assert not dock.train_button.isEnabled() and dock.stop_button.isEnabled()
    result = finished.args[0]
    assert not result["stopped"] and result["epochs_done"] == 2
    train_loss = dock.curves.values("loss", "train")
    assert len(train_loss) == 2 and train_loss[1] < train_loss[0]
    assert dock.curves.values("loss", "batch") and len(dock.curves.values("accuracy", "validation")) == 2
    assert dock.progress.value() == 100 and "Trained after 2 epoch(s)" in dock.status.text()
    assert dock.results.picture.pixmap() is not None and not dock.results.picture.pixmap().isNull()
    assert dock.results.export_png(str(tmp_path / "eval.png")) and (tmp_path / "eval.png").stat().st_size > 0
    assert window.controller.doc.graph.graph["training"]["epochs"] == 2  # saved with the project
    assert (tmp_path / "project.trained.keras").exists() and (tmp_path / "project.best.keras").exists()
    assert dock.train_button.isEnabled()


def test_stop_mid_epoch_keeps_a_usable_model(dock, window, qtbot, tmp_path):
    dock.epochs.setValue(100)
    dock.batch_size.setValue(1)  # 160 batches an epoch: the stop lands inside one
    seen = []

    def stop_on_first_batch(info):
        if info.get("phase") == "batch" and not seen:
            seen.append(info)
            assert dock.stop()

    window.keras.training_progress.connect(stop_on_first_batch)
    with qtbot.waitSignal(window.keras.training_finished, timeout=TRAIN_TIMEOUT_MS) as finished:
        dock.start()
    assert finished.args[0]["stopped"] and finished.args[0]["epochs_done"] <= 2
    assert "Stopped" in dock.status.text()
    [facts] = keras_facts(tmp_path / "project.trained.keras")
    assert facts["outputs"] == [[None, 4]]


def test_killing_the_worker_mid_training_leaves_the_window_and_the_checkpoint(dock, window, dialogs, qtbot,
                                                                               tmp_path):
    dock.epochs.setValue(100)
    epochs = []
    window.keras.training_progress.connect(lambda info: info.get("phase") == "epoch" and epochs.append(info))
    dock.start()
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=TRAIN_TIMEOUT_MS)
    with qtbot.waitSignal(window.keras.training_failed, timeout=60_000):
        window.keras.worker.kill("killed by the test")
    assert (tmp_path / "project.best.keras").exists()
    title, message = dialogs.errors[-1]
    assert title == "Training failed" and "killed by the test" in message and "checkpoint" in message
    assert dock.train_button.isEnabled() and not dock.stop_button.isEnabled()
    qtbot.waitUntil(lambda: window.keras.state == "ready", timeout=TRAIN_TIMEOUT_MS)  # a new worker took over


def test_training_again_keeps_the_weights_of_the_unchanged_layers(dock, window, qtbot):
    dock.epochs.setValue(1)
    for _run in range(2):
        with qtbot.waitSignal(window.keras.training_finished, timeout=TRAIN_TIMEOUT_MS) as finished:
            assert dock.start()
    assert finished.args[0]["weights"]["kept"] == ["conv", "classes"]
    assert "Kept the weights of conv, classes" in dock.status.text()
