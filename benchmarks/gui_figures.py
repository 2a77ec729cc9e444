"""GUI figures: cold start, opening a big file, one param edit on a big graph, and a frame of pan/zoom.

Start-up figures launch the real app (`main.py`, offscreen) and read its KC_STARTUP_PROBE line, which is
printed once the whole window has been painted. The others run in this process on an offscreen window.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.builder_figures import Figure
from benchmarks.graphs import generated_graph

ROOT = Path(__file__).resolve().parent.parent
_PROBE = re.compile(r"window painted ([\d.]+) s after the process started.*memory (\d+) MB; "
                    r"tensorflow loaded: (\w+)")


def _launch(args, runs: int) -> tuple[float, float, bool]:
    """(median seconds to a painted window, median MB of memory then, whether TensorFlow was loaded)."""
    # A settings folder of its own: the person's last document would otherwise reopen instead of the example.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit",
               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="kc_bench_config_"))
    seconds, megabytes, tensorflow = [], [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120, check=False).stdout
        found = _PROBE.search(out)
        if not found:
            raise RuntimeError(f"the app printed no start-up probe line:\n{out}")
        seconds.append(float(found[1]))
        megabytes.append(float(found[2]))
        tensorflow |= found[3] == "True"
    return statistics.median(seconds), statistics.median(megabytes), tensorflow


def startup_figures(quick: bool) -> list[Figure]:
    runs = 3 if quick else 7
    seconds, megabytes, tensorflow = _launch([], runs)
    figures = [
        Figure("cold start to a painted window (example open)", seconds, "s", "<= 1.0 s", seconds <= 1.0),
        Figure("memory at that point (TensorFlow not loaded)", megabytes, "MB", "<= 250 MB",
               megabytes <= 250 and not tensorflow),
    ]
    from builder import save
    from gui.files import with_positions

    big = Path(tempfile.mkdtemp(prefix="kc_bench_")) / "big_2000.json"
    save(with_positions(generated_graph(2000).graph), big)
    seconds, _mb, _tf = _launch([str(big)], runs)
    figures.append(Figure("open a 2,000-node file to a painted window", seconds, "s", "<= 1.5 s", seconds <= 1.5))
    return figures


def _window(graph):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.app import create_application
    from gui.files import with_positions
    from gui.main_window import MainWindow

    app = QApplication.instance() or create_application()
    settings = QSettings(str(Path(tempfile.mkdtemp(prefix="kc_bench_")) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, restore_layout=False)
    window.controller.replace_document(with_positions(graph))
    window.show()
    for _ in range(5):
        app.processEvents()
    return app, window


def _close(window):
    window.controller.undo_stack.setClean()  # the benchmark's edits need no "save changes?" question
    window.shutdown()
    window.close()


def edit_figure(quick: bool) -> Figure:
    """Push one param edit (as the inspector does) and process events until the panel and badges are redrawn."""
    from benchmarks.graphs import deepest_param_node
    from builder.editing.commands import SetParam

    app, window = _window(generated_graph(1000).graph)
    node = deepest_param_node(window.controller.doc)
    window.controller.select([node])
    app.processEvents()
    times = []
    for i in range(10 if quick else 40):
        start = time.perf_counter()
        window.controller.push(SetParam(node, "filters", (8, 16)[i % 2]))
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    _close(window)
    value = statistics.median(times)
    return Figure("one param edit to panel and badges updated, 1,000 nodes (GUI)", value, "ms", "<= 16 ms",
                  value <= 16)


def frame_figures(quick: bool) -> list[Figure]:
    """Paint time of the canvas while panning and zooming a 2,000-node graph, fitted (all of it in view) and
    at 100% (a screenful in view)."""
    from gui.canvas.overview_cache import REBUILD_AFTER_MS

    app, window = _window(generated_graph(2000).graph)
    canvas = window.canvas
    figures = []
    for label, fit in (("fitted, whole graph in view", True), ("at 100%", False)):
        if fit:
            canvas.fit_all()
        else:
            canvas.resetTransform()
        # What a person sees once the view settles: far out, that includes the overview picture, drawn
        # REBUILD_AFTER_MS after the last change (its cost is the next figure).
        settle = time.perf_counter() + 3 * REBUILD_AFTER_MS / 1000
        while time.perf_counter() < settle:
            app.processEvents()
        times = []
        for i in range(10 if quick else 40):
            start = time.perf_counter()
            if i % 2:
                canvas.zoom_by(1.1 if i % 4 == 1 else 1 / 1.1, canvas.viewport().rect().center())
            else:
                canvas.pan_by(37 if i % 4 == 0 else -37, 11)
            canvas.viewport().repaint()
            times.append((time.perf_counter() - start) * 1000)
        value = statistics.median(times)
        figures.append(Figure(f"one pan/zoom frame, 2,000 nodes, {label}", value, "ms", "<= 16 ms", value <= 16))
        if fit:
            # Far out, frames come from a picture of the canvas (gui/canvas/overview_cache.py), drawn again
            # once zooming stops: a pause the person sees once, after the last wheel step.
            canvas.fit_all()
            rebuilds = []
            for _ in range(3 if quick else 5):
                start = time.perf_counter()
                canvas.overview.rebuild()
                rebuilds.append((time.perf_counter() - start) * 1000)
            value = statistics.median(rebuilds)
            figures.append(Figure("overview picture redrawn once zooming stops, 2,000 nodes fitted", value, "ms",
                                  "<= 250 ms", value <= 250))
    _close(window)
    return figures


def gui_figures(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return [*startup_figures(quick), edit_figure(quick), *frame_figures(quick)]
