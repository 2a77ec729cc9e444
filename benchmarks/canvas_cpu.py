"""The canvas's figures with the window thread's CPU time beside the wall clock, for comparing two commits on
a busy machine (load inflates the wall clock several times, the thread's CPU time much less):

    .venv/bin/python -m benchmarks.canvas_cpu edit1000 edit10000 frames2000 layout

The same calls as gui_figures.edit_figure, frame_figures and the auto-layout of responsiveness_figures (from
a settled window; its pause includes the first paint after the move). Prints one FIG line per figure: the
median wall and CPU milliseconds (the layout: seconds until every node is in place, and its longest pause).
Informative only: budgets are judged by `python -m benchmarks.run` on a quiet machine.
"""

from __future__ import annotations

import itertools
import math
import os
import statistics
import sys
import time

from benchmarks import gui_figures
from benchmarks.graphs import deepest_param_node, generated_graph


class _Clocks:
    """Wall and window-thread CPU milliseconds of repeated steps."""

    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, step):
        wall, cpu = time.perf_counter(), time.thread_time()
        step()
        self.wall.append((time.perf_counter() - wall) * 1000)
        self.cpu.append((time.thread_time() - cpu) * 1000)

    def medians(self, name: str) -> tuple[str, float, float]:
        return name, statistics.median(self.wall), statistics.median(self.cpu)


def edit_figures(size: int) -> list[tuple[str, float, float]]:
    from builder.editing.commands import SetParam

    app, window = gui_figures._window(generated_graph(size).graph)
    node = deepest_param_node(window.controller.doc)
    window.controller.select([node])
    app.processEvents()
    clocks = _Clocks()
    for i in range(40):
        def edit(i=i):
            window.controller.push(SetParam(node, "filters", (8, 16)[i % 2]))
            app.processEvents()
        clocks.time(edit)
    gui_figures._close(window)
    return [clocks.medians(f"edit {size}")]


def frame_figures(size: int) -> list[tuple[str, float, float]]:
    from gui.canvas.overview_cache import REBUILD_AFTER_MS

    app, window = gui_figures._window(generated_graph(size).graph)
    canvas, figures = window.canvas, []
    for label, fit in (("fitted", "readable"), ("whole", "whole"), ("100%", None)):
        if fit:
            canvas.fit_all(whole=fit == "whole")
        else:
            canvas.resetTransform()
        gui_figures._settle(app, 3 * REBUILD_AFTER_MS / 1000)
        clocks = _Clocks()
        for i in range(40):
            def frame(i=i):
                if i % 2:
                    canvas.zoom_by(1.1 if i % 4 == 1 else 1 / 1.1, canvas.viewport().rect().center())
                else:
                    canvas.pan_by(37 if i % 4 == 0 else -37, 11)
                canvas.viewport().repaint()
            clocks.time(frame)
        figures.append(clocks.medians(f"frame {size} {label}"))
    gui_figures._close(window)
    return figures


def layout_figures() -> list[tuple[str, float, float]]:
    from PySide6.QtCore import QTimer

    from builder.editing.commands import Move

    app, window = gui_figures._window(generated_graph(10_000).graph)
    scene = window.canvas.canvas_scene
    window.controller.push(Move({n: (300.0 * i, 0.0) for i, n in enumerate(window.controller.doc.graph)}))
    while scene.building:
        app.processEvents()
    gui_figures._settle(app, 0.5)
    steps = window.controller.undo_stack.count()
    ticks = [time.perf_counter()]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    wall, cpu = time.perf_counter(), time.thread_time()
    window.canvas.auto_layout()
    while not (window.controller.undo_stack.count() > steps and not scene.building):
        app.processEvents()
        time.sleep(0.001)
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    gui_figures._settle(app, 0.5)  # the first paint after the move
    timer.stop()
    ticks.append(time.perf_counter())
    gap = max(b - a for a, b in itertools.pairwise(ticks)) * 1000
    gui_figures._close(window)
    return [("layout 10000 (s)", wall, cpu), ("layout longest pause (ms)", gap, math.nan)]


def main(args: list[str]):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = []
    for arg in args:
        if arg.startswith("edit"):
            figures += edit_figures(int(arg[4:]))
        elif arg.startswith("frames"):
            figures += frame_figures(int(arg[6:]))
        elif arg == "layout":
            figures += layout_figures()
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for name, wall, cpu in figures:
        print(f"FIG {name:28s} wall {wall:9.2f}  cpu {cpu:9.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
