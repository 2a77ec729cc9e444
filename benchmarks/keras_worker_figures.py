"""Keras worker figures: how soon the window's Keras worker process is ready, how long the window takes to
import DenseNet121 through it against `main.py import` on the command line, and the window process's memory
with DenseNet121 open (it never holds TensorFlow; the worker does).

The window side runs in a child process of its own (`python -m benchmarks.keras_worker_figures FILE`), so that
its memory is the window's alone, never this benchmark's (which imports Keras for other figures).
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
TIMEOUT_S = 600


def _densenet_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="kc_bench_")) / "densenet121.keras"
    code = f"import keras; keras.applications.DenseNet121(weights=None).save({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=TIMEOUT_S, capture_output=True,
                   env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    return path


def keras_worker_figures(quick: bool) -> list[Figure]:
    model = _densenet_file()
    window = json.loads(subprocess.run([sys.executable, "-m", "benchmarks.keras_worker_figures", str(model)],
                                       cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
                                       check=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
                        .stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    subprocess.run([sys.executable, "main.py", "import", str(model), "-o", str(model.with_suffix(".json"))],
                   cwd=ROOT, check=True, timeout=TIMEOUT_S, capture_output=True)
    command_line = time.perf_counter() - started
    ratio = window["import_s"] / command_line
    return [
        Figure("Keras worker process: start to ready (window usable meanwhile)", window["ready_s"], "s", "<= 15 s",
               window["ready_s"] <= 15),
        Figure("DenseNet121 import in the window (worker ready)", window["import_s"], "s", "info", None),
        Figure("DenseNet121 import on the command line (with TensorFlow's import)", command_line, "s", "info",
               None),
        Figure("window import / command line import, DenseNet121", ratio, "×", "<= 1.0×", ratio <= 1.0),
        Figure("window process memory with DenseNet121 open (no TensorFlow)", window["rss_mb"], "MB",
               "<= 400 MB", window["rss_mb"] <= 400 and not window["tensorflow"]),
    ]


def _measure_window(model: str) -> dict:
    """In this (child) process: a window, its worker started and an import of `model`, timed."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.keras_service import READY
    from gui.keras_service.memory_limit import resident_mb
    from gui.main_window import MainWindow
    from tests.gui.fakes import FakeDialogs

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, dialogs=FakeDialogs(), restore_layout=False)
    window.show()
    facts = {}
    started = time.perf_counter()

    def ready(state, _detail):
        if state == READY and "ready_s" not in facts:
            facts["ready_s"] = time.perf_counter() - started
            facts["import_started"] = time.perf_counter()
            window.imports.import_path(model)

    def opened(_path):
        facts["import_s"] = time.perf_counter() - facts.pop("import_started")
        app.processEvents()
        facts["rss_mb"] = resident_mb(os.getpid())
        facts["nodes"] = len(window.controller.doc.graph)
        app.quit()

    window.keras.state_changed.connect(ready)
    window.imports.imported.connect(opened)
    window.keras.import_failed.connect(lambda path, message: (facts.update(error=message), app.quit()))
    window.keras.start_loading()
    app.exec()
    facts["tensorflow"] = "tensorflow" in sys.modules or "keras" in sys.modules
    window.controller.undo_stack.setClean()
    window.shutdown()
    return facts


if __name__ == "__main__":
    print(json.dumps(_measure_window(sys.argv[1])))
