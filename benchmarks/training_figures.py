"""Training figures (issue 15): throughput of training in the app (the Keras worker, with its progress messages
and the window receiving them) against the same model, data and batch size trained by a plain Keras script; the
window's longest event-loop gap while it trains (the worst run); the worker's start to ready (the median).

Each side runs in a process of its own (`python -m benchmarks.training_figures plain|window DIR`), so neither
measures the other's imports. A busy 2-core machine (six developers' test runs) moves an epoch's time by a third
from one second to the next, so the figure is made to hold still:
  - warm-up: the first WARMUP_EPOCHS epochs of each run are left out (graph tracing, caches, the first checkpoint);
  - each run's throughput comes from its median epoch, so a burst of other work during one epoch does not count;
  - the two sides run in PAIRS pairs, back to back, the order flipped every pair (plain-app, app-plain, ...) so
    a load that rises or falls over the minutes hits both alike; the ratio is the median of the pairs' ratios.
  - beside the wall-clock ratio, the same ratio in CPU seconds (every thread of the plain script's process; of
    the worker and the window for the app) per example: the work our loop adds (progress messages, the
    callback, the window receiving), which other programs on the machine do not change. With the machine
    oversubscribed (load average 8 on 2 cores, as while six developers test) the wall-clock pairs spread from
    about 0.5 to 1.8 and only the CPU figure holds still.

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
EXAMPLES, EPOCHS, BATCH = 6000, 8, 32
WARMUP_EPOCHS = 2
PAIRS = 7
SETTINGS = {"epochs": EPOCHS, "batch_size": BATCH, "validation_split": 0.0, "seed": 0}


def _prepare(folder: Path, quick: bool):
    import numpy as np

    import builder
    from tests.training_samples import bright_quadrant_images, small_cnn

    images, labels = bright_quadrant_images(EXAMPLES // (4 if quick else 1))
    np.savez(folder / "data.npz", x=images, y=labels)
    builder.save(small_cnn(), folder / "model.json")
    (folder / "settings.json").write_text(json.dumps({**SETTINGS, "epochs": WARMUP_EPOCHS + 2 if quick else EPOCHS}))


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
    ends, cpu_ends = [], []

    def epoch_end(_epoch, _logs):
        ends.append(time.perf_counter())
        cpu_ends.append(time.process_time())  # every thread of this process

    callback = keras.callbacks.LambdaCallback(on_epoch_end=epoch_end)
    keras.utils.set_random_seed(0)
    model.fit(data["x"], data["y"], batch_size=settings["batch_size"], epochs=settings["epochs"], verbose=0,
              callbacks=[callback])
    return {"examples_per_s": _throughput(len(data["y"]), ends),
            "examples_per_cpu_s": _throughput(len(data["y"]), cpu_ends)}


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
    epoch_seconds, cpu_ends, done, gaps = [], [], {}, {"max": 0.0, "on": False}
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
            cpu_ends.append(_cpu_seconds(service.worker.pid) + time.process_time())  # worker and window
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
    return {"examples_per_s": _throughput(examples, epoch_seconds),
            "examples_per_cpu_s": _throughput(examples, cpu_ends),
            "longest_gap_ms": gaps["max"] * 1000, "ready_s": ready["s"] - started}


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, every thread) a process has used, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _throughput(examples: int, epoch_ends: list) -> float:
    """Examples a second in the median epoch after the warm-up (epoch_ends: when each epoch ended)."""
    durations = sorted(b - a for a, b in zip(epoch_ends[WARMUP_EPOCHS - 1:], epoch_ends[WARMUP_EPOCHS:]))
    return examples / durations[len(durations) // 2]


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
    pairs, load = [], os.getloadavg()[0]
    for i in range(1 if quick else PAIRS):
        sides = ("plain", "window") if i % 2 == 0 else ("window", "plain")
        pair = {side: _child(side, folder) for side in sides}
        pairs.append((pair["plain"], pair["window"]))
    ratios = sorted(w["examples_per_s"] / p["examples_per_s"] for p, w in pairs)
    ratio = _median(ratios)
    cpu_ratios = sorted(w["examples_per_cpu_s"] / p["examples_per_cpu_s"] for p, w in pairs)
    cpu_ratio = _median(cpu_ratios)
    plain_rate = _median([p["examples_per_s"] for p, _w in pairs])
    app_rate = _median([w["examples_per_s"] for _p, w in pairs])
    gap_ms = max(w["longest_gap_ms"] for _p, w in pairs)  # the worst gap of all runs
    ready_s = _median([w["ready_s"] for _p, w in pairs])
    load = max(load, os.getloadavg()[1])  # the machine's load over the run, for reading the figures
    return [
        Figure("training throughput, plain Keras script (small CNN, batch 32; median run)", plain_rate,
               "examples/s"),
        Figure("training throughput in the app (worker, live progress; median run)", app_rate, "examples/s"),
        Figure(f"training throughput, app / plain script (median of {len(pairs)} pairs; "
               f"pairs {ratios[0]:.2f}–{ratios[-1]:.2f}; load average {load:.1f} on {os.cpu_count()} cores)", ratio,
               "×", "≥ 0.95", ratio >= 0.95),
        Figure(f"training work per example, plain script / app, in CPU seconds of all their processes (what our "
               f"loop adds, whatever else runs; pairs {cpu_ratios[0]:.2f}–{cpu_ratios[-1]:.2f})", cpu_ratio, "×",
               "≥ 0.95", cpu_ratio >= 0.95),
        Figure("window's longest event-loop gap while training", gap_ms, "ms", "≤ 50 ms", gap_ms <= 50),
        Figure("Keras worker start to ready", ready_s, "s"),
    ]


def _median(values: list) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps({"plain": plain, "window": window}[sys.argv[1]](Path(sys.argv[2]))))
    else:
        from benchmarks.run import table

        print(table(training_figures("--quick" in sys.argv)))
