"""Training figures (issue 15): throughput of training in the app (the Keras worker, with its progress messages
and the window drawing nothing but receiving them) against the same model, data and batch size trained by a plain
Keras script (the best of three alternated runs of each); the window's longest event-loop gap while it trains
(the worst of those runs); the worker's start to ready (their median).

Each side runs in a process of its own (`python -m benchmarks.training_figures plain|window DIR`), so neither
measures the other's imports. Throughput is counted from the end of the first epoch to the end of the last, so
the graph tracing of the first epoch is left out of both.

    .venv/bin/python -m benchmarks.training_figures     prints the figures (run.py includes them)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.builder_figures import Figure

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 900
EXAMPLES, EPOCHS, BATCH = 6000, 6, 32
REPEATS = 3  # the best of each side, alternated: other load on the machine hits both alike
SETTINGS = {"epochs": EPOCHS, "batch_size": BATCH, "validation_split": 0.0, "seed": 0}


def _prepare(folder: Path, quick: bool):
    import numpy as np

    import builder
    from tests.training_samples import bright_quadrant_images, small_cnn

    images, labels = bright_quadrant_images(EXAMPLES // (4 if quick else 1))
    np.savez(folder / "data.npz", x=images, y=labels)
    builder.save(small_cnn(), folder / "model.json")
    (folder / "settings.json").write_text(json.dumps({**SETTINGS, "epochs": 3 if quick else EPOCHS}))


def plain(folder: Path) -> dict:
    """The plain Keras script: the exported model, compiled and fitted as a person would by hand."""
    import keras
    import numpy as np

    import builder
    from builder.keras.code_export import export_code

    settings = json.loads((folder / "settings.json").read_text())
    import importlib.util

    script = folder / "model_script.py"
    script.write_text(export_code(builder.load(folder / "model.json")))
    spec = importlib.util.spec_from_file_location("model_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    data = np.load(folder / "data.npz")
    ends = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: ends.append(time.perf_counter()))
    keras.utils.set_random_seed(0)
    model.fit(data["x"], data["y"], batch_size=settings["batch_size"], epochs=settings["epochs"], verbose=0,
              callbacks=[callback])
    return {"examples_per_s": len(data["y"]) * (len(ends) - 1) / (ends[-1] - ends[0])}


def window(folder: Path) -> dict:
    """The app's side: a KerasService (the window's own) trains through the worker; a 10 ms timer measures the
    event loop's longest gap meanwhile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.keras_service import KerasService

    app = QApplication.instance() or QApplication([])
    service = KerasService()
    started = time.perf_counter()
    ready = {}
    service.state_changed.connect(lambda state, _d: state == "ready" and ready.setdefault("s", time.perf_counter()))
    service.start_loading()
    while "s" not in ready:
        app.processEvents()
        time.sleep(0.01)
    settings = json.loads((folder / "settings.json").read_text())
    epoch_seconds, done, gaps = [], {}, {"max": 0.0, "on": False}
    clock = QElapsedTimer()
    clock.start()

    def tick():
        elapsed = clock.restart() / 1000
        if gaps["on"]:
            gaps["max"] = max(gaps["max"], elapsed)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)

    def on_progress(info):
        if info.get("phase") == "epoch":
            epoch_seconds.append(info["seconds"])
        gaps["on"] = info.get("phase") in ("batch", "epoch")

    service.training_progress.connect(on_progress)
    service.training_finished.connect(lambda result: done.setdefault("result", result))
    service.training_failed.connect(lambda message: done.setdefault("error", message))
    service.train(_project_text(folder), str(folder / "data.npz"), settings, str(folder / "out.keras"),
                  str(folder / "best.keras"))
    loop = QEventLoop()  # the window's own kind of waiting: a busy poll here would take a core from training
    service.training_finished.connect(lambda _result: loop.quit())
    service.training_failed.connect(lambda _message: loop.quit())
    if not done:
        loop.exec()
    service.stop()
    if "error" in done:
        raise SystemExit(done["error"])
    examples = done["result"]["train_examples"]
    return {"examples_per_s": examples * (len(epoch_seconds) - 1) / (epoch_seconds[-1] - epoch_seconds[0]),
            "longest_gap_ms": gaps["max"] * 1000, "ready_s": ready["s"] - started}


def _project_text(folder: Path) -> str:
    return (folder / "model.json").read_text()


def _child(side: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.training_figures", side, str(folder)], cwd=ROOT,
                         capture_output=True, text=True, timeout=TIMEOUT_S, check=True,
                         env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", QT_QPA_PLATFORM="offscreen"))
    return json.loads(out.stdout.strip().splitlines()[-1])


def training_figures(quick: bool) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="kc_train_bench_"))
    _prepare(folder, quick)
    runs = [(_child("plain", folder), _child("window", folder)) for _ in range(1 if quick else REPEATS)]
    plain_side = max((p for p, _w in runs), key=lambda r: r["examples_per_s"])
    app_side = max((w for _p, w in runs), key=lambda r: r["examples_per_s"])
    app_side["longest_gap_ms"] = max(w["longest_gap_ms"] for _p, w in runs)  # the worst gap of all runs
    app_side["ready_s"] = sorted(w["ready_s"] for _p, w in runs)[len(runs) // 2]
    ratio = app_side["examples_per_s"] / plain_side["examples_per_s"]
    return [
        Figure("training throughput, plain Keras script (small CNN, batch 32)", plain_side["examples_per_s"],
               "examples/s"),
        Figure("training throughput in the app (worker, live progress)", app_side["examples_per_s"], "examples/s"),
        Figure("training throughput, app / plain script", ratio, "×", "≥ 0.95", ratio >= 0.95),
        Figure("window's longest event-loop gap while training", app_side["longest_gap_ms"], "ms", "≤ 50 ms",
               app_side["longest_gap_ms"] <= 50),
        Figure("Keras worker start to ready", app_side["ready_s"], "s"),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps({"plain": plain, "window": window}[sys.argv[1]](Path(sys.argv[2]))))
    else:
        from benchmarks.run import table

        print(table(training_figures("--quick" in sys.argv)))
