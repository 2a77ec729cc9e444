"""The Keras worker's `train` request over its real pipes (builder/keras/worker.py): progress per batch and
epoch, a stop message that ends training after the current batch with a usable model, and the evaluation."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from builder.files.project import dumps
from tests.conftest import ROOT
from tests.training_samples import bright_quadrant_images, small_cnn


def _worker():
    return subprocess.Popen([sys.executable, "-m", "builder.keras.worker"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _send(worker, request_id, kind, payload):
    worker.stdin.write(json.dumps({"id": request_id, "kind": kind, "payload": payload}) + "\n")
    worker.stdin.flush()


def _read(worker):
    return json.loads(worker.stdout.readline())


def test_train_reports_progress_stops_between_batches_and_evaluates(tmp_path, keras):
    images, labels = bright_quadrant_images(400)
    np.savez(tmp_path / "q.npz", x=images, y=labels)
    request = {"project": dumps(small_cnn()), "data": str(tmp_path / "q.npz"),
               "settings": {"epochs": 50, "batch_size": 1, "seed": 0},  # 320 batches an epoch
               "output": str(tmp_path / "m.keras"), "checkpoint": str(tmp_path / "best.keras")}
    worker = _worker()
    try:
        assert _read(worker)["type"] == "ready"
        _send(worker, 1, "train", request)
        batches = 0
        while True:
            message = _read(worker)
            train = message["payload"].get("train") or {}
            if train.get("phase") == "batch":
                batches += 1
                if batches == 3:
                    _send(worker, 1, "stop", {})
            if message["type"] != "progress":
                break
        assert message["type"] == "result", message
        result = message["payload"]
        assert result["stopped"] and result["epochs_done"] <= 2  # batch messages come at most 10 a second
        assert result["evaluation"]["kind"] == "classification"
        assert len(result["evaluation"]["confusion"]) == 4 and result["evaluation"]["worst"]
        assert np.array(result["evaluation"]["worst"][0]["image"]).shape == (28, 28, 1)
        model = keras.saving.load_model(tmp_path / "m.keras")
        assert model.predict(images[:2], verbose=0).shape == (2, 4)
        _send(worker, 2, "train", {**request, "data": str(tmp_path / "missing.npz")})
        message = _read(worker)
        while message["type"] == "progress":
            message = _read(worker)
        assert message["type"] == "error" and "missing.npz" in message["payload"]["message"]
    finally:
        worker.stdin.close()
        worker.wait(timeout=60)
