"""GUI figures: cold start, opening big files (2,000 and 10,000 nodes: time, memory, and the longest moment the
window stopped responding), auto-layout of 10,000 nodes, one param edit and a frame of pan/zoom on big graphs.

Start-up figures launch the real app (`main.py`, offscreen) and read its KC_STARTUP_PROBE lines: "window
painted" once the whole window has been painted showing the document (a large one's items in view drawn, the
rest being made in slices, edits waiting), and "every item made" once the canvas holds all of them. Each
figure is the median of several launches, in seconds since the process started (wall clock: on a busy
machine it grows with the load, which is printed with it; the CPU seconds the app spent until then are
printed too, as they depend much less on the load). The others run in this process on an offscreen window.
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.builder_figures import Figure
from benchmarks.graphs import generated_file, generated_graph

ROOT = Path(__file__).resolve().parent.parent
_PAINTED = re.compile(r"window painted ([\d.]+) s after the process started.*cpu ([\d.]+) s.*memory (\d+) MB; "
                      r"tensorflow loaded: (\w+)")
_COMPLETE = re.compile(r"every item made ([\d.]+) s after the process started \(cpu ([\d.]+) s\).*memory (\d+) MB")


@dataclass
class Launch:
    """Medians over the launches: seconds since the process started (wall) and CPU seconds of the app, to the
    painted window and to every item made; MB of memory at each; whether TensorFlow was loaded."""

    painted: float
    painted_cpu: float
    painted_mb: float
    complete: float
    complete_cpu: float
    complete_mb: float
    tensorflow: bool
    load: float  # the machine's 1-minute load average after the launches


def _launch(args, runs: int) -> Launch:
    # A settings folder of its own: the person's last document would otherwise reopen instead of the example.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit",
               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="kc_bench_config_"))
    rows, tensorflow = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300, check=False).stdout
        painted, complete = _PAINTED.search(out), _COMPLETE.search(out)
        if not painted or not complete:
            raise RuntimeError(f"the app printed no start-up probe lines:\n{out}")
        rows.append([float(v) for v in (*painted.group(1, 2, 3), *complete.group(1, 2, 3))])
        tensorflow |= painted[4] == "True"
    medians = [statistics.median(column) for column in zip(*rows)]
    return Launch(*medians, tensorflow=tensorflow, load=os.getloadavg()[0])


def compile_bytecode() -> None:
    """Compile the app's modules to bytecode (`__pycache__`, ignored by git), as pip does when it installs the
    app, so the launches measure the app rather than Python's compiler. With PYTHONDONTWRITEBYTECODE set, as
    in this project's shells, a checkout never gets its caches written, and every launch compiled its ~210
    modules from source: 0.35-0.45 s of CPU, a third of the cold start (found for issue 18, where the cold start
    had gone from 0.46 s to 1-2.4 s)."""
    # Best effort: a read-only checkout launches as before, compiling as it goes.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "builder", "gui", "cli", "main.py"],
                   cwd=ROOT, capture_output=True, timeout=300, check=False)


def startup_figures(quick: bool) -> list[Figure]:
    # The quick pass is CI's smoke test (tests/test_benchmark_smoke.py): one launch shows the figure is there;
    # the full run takes the median of seven. Each launch starts a Python with Qt (seconds on a busy machine).
    runs = 1 if quick else 7
    compile_bytecode()
    cold = _launch([], runs)
    figures = [
        Figure("cold start to a painted window (example open)", cold.painted, "s", "<= 1.0 s", cold.painted <= 1.0),
        Figure("  CPU seconds of the app until then", cold.painted_cpu, "s", f"load {cold.load:.1f}", None),
        Figure("memory at that point (TensorFlow not loaded)", cold.painted_mb, "MB", "<= 250 MB",
               cold.painted_mb <= 250 and not cold.tensorflow),
    ]
    sizes = ((2000, runs, "<= 1.0 s", 1.0),) if quick else ((2000, runs, "<= 1.0 s", 1.0), (10_000, 3, "<= 4 s", 4.0))
    for size, launches, budget, limit in sizes:
        opened = _launch([str(generated_file(size))], launches)
        figures += [
            Figure(f"open a {size:,}-node file to a painted window", opened.painted, "s",
                   budget, opened.painted <= limit),
            Figure("  CPU seconds of the app until then", opened.painted_cpu, "s", f"load {opened.load:.1f}", None),
            Figure(f"  until every item of the {size:,} nodes is made (edits wait until then)", opened.complete,
                   "s", "", None),
            Figure("  CPU seconds of the app until then", opened.complete_cpu, "s", "", None),
        ]
        if size == 10_000:
            figures.append(Figure("memory with the 10,000-node graph shown", opened.complete_mb, "MB", "<= 600 MB",
                                  opened.complete_mb <= 600))
    return figures


def _longest_gap(app, until, timeout_s: float = 120.0) -> float:
    """Process events until `until()`, while a 5 ms timer ticks; the longest wait between ticks, in ms (how long
    the window stopped responding)."""
    from PySide6.QtCore import QTimer

    ticks = [time.perf_counter()]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    ticks.append(time.perf_counter())
    return max(b - a for a, b in itertools.pairwise(ticks)) * 1000


def responsiveness_figures(quick: bool) -> list[Figure]:
    """Open a large file in a shown window (File > Open), then auto-layout it: the longest the window stopped
    responding meanwhile, and how long the layout took until every node stood in its new place."""
    figures = []
    for size in (2000,) if quick else (2000, 10_000):
        app, window = _window(None)
        done = []
        window.loader.finished.connect(done.append)
        window.files.open_path(generated_file(size))
        gap = _longest_gap(app, lambda done=done: bool(done))
        figures.append(Figure(f"longest unresponsive moment opening a {size:,}-node file", gap, "ms", "<= 100 ms",
                              gap <= 100))
        if size == 10_000:
            from builder.editing.commands import Move

            scene = window.canvas.canvas_scene
            # The file holds the auto-layout's positions already: put the nodes in one long row first.
            window.controller.push(Move({n: (300.0 * i, 0.0) for i, n in enumerate(window.controller.doc.graph)}))
            while scene.building:
                app.processEvents()
            steps = window.controller.undo_stack.count()
            start = time.perf_counter()
            window.canvas.auto_layout()  # computed in a thread, then the nodes move in slices
            gap = _longest_gap(app, lambda scene=scene, window=window, steps=steps:
                               window.controller.undo_stack.count() > steps and not scene.building)
            seconds = time.perf_counter() - start
            figures.append(Figure("auto-layout, 10,000 nodes, until every node is in place", seconds, "s",
                                  "<= 2 s", seconds <= 2))
            figures.append(Figure("longest unresponsive moment during that auto-layout", gap, "ms", "<= 100 ms",
                                  gap <= 100))
        _close(window)
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
    if graph is not None:
        window.controller.replace_document(with_positions(graph))
    window.show()
    for _ in range(5):
        app.processEvents()
    scene = window.canvas.canvas_scene
    while scene.building:  # a large graph is drawn in slices
        app.processEvents()
    for _ in range(5):  # and then fitted (a queued call)
        app.processEvents()
    # A settled window: the code of a large graph is written in a thread once it is drawn; figures taken while
    # that thread runs would time its turns for the interpreter, not the window.
    deadline = time.perf_counter() + 120
    while window.code_preview.writing and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    return app, window


def _close(window):
    window.controller.undo_stack.setClean()  # the benchmark's edits need no "save changes?" question
    window.shutdown()
    window.close()


def edit_figure(quick: bool, size: int = 1000) -> Figure:
    """Push one param edit (as the inspector does) and process events until the panel and badges are redrawn."""
    from benchmarks.graphs import deepest_param_node
    from builder.editing.commands import SetParam

    app, window = _window(generated_graph(size).graph)
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
    return Figure(f"one param edit to panel and badges updated, {size:,} nodes (GUI)", value, "ms", "<= 16 ms",
                  value <= 16)


def frame_figures(quick: bool, size: int = 2000) -> list[Figure]:
    """Paint time of the canvas while panning and zooming a large graph: fitted (the readable fit, issue 13: as
    much as shows at a zoom whose labels read), the whole graph in view (zoomed far out), and at 100%."""
    from gui.canvas.overview_cache import REBUILD_AFTER_MS

    app, window = _window(generated_graph(size).graph)
    canvas = window.canvas
    figures = []
    for label, fit in (("fitted", "readable"), ("whole graph in view", "whole"), ("at 100%", None)):
        if fit:
            canvas.fit_all(whole=fit == "whole")
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
        figures.append(Figure(f"one pan/zoom frame, {size:,} nodes, {label}", value, "ms", "<= 16 ms",
                              value <= 16))
        if fit == "whole":
            # Far out, frames come from a picture of the canvas (gui/canvas/overview_cache.py), drawn again
            # once zooming stops: a pause the person sees once, after the last wheel step.
            canvas.fit_all(whole=True)
            rebuilds = []
            for _ in range(3 if quick else 5):
                start = time.perf_counter()
                canvas.overview.rebuild()
                rebuilds.append((time.perf_counter() - start) * 1000)
            value = statistics.median(rebuilds)
            figures.append(Figure(f"overview picture redrawn once zooming stops, {size:,} nodes in view", value,
                                  "ms", "<= 250 ms", value <= 250))
            # After an edit the picture's content is read from the items again (zooming alone draws the same
            # content at another scale): the first picture after an edit.
            rebuilds = []
            for _ in range(3 if quick else 5):
                start = time.perf_counter()
                canvas.overview.invalidate()
                canvas.overview.rebuild()
                rebuilds.append((time.perf_counter() - start) * 1000)
            value = statistics.median(rebuilds)
            figures.append(Figure("  the same after an edit (its content read from the items again)", value, "ms",
                                  "", None))
    _close(window)
    return figures


def gui_figures(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = [*startup_figures(quick), *responsiveness_figures(quick), edit_figure(quick), *frame_figures(quick)]
    if not quick:
        figures += [edit_figure(quick, 10_000), *frame_figures(quick, 10_000)]
    return figures
