"""Opening a large document, the panels that start afresh for it (the shapes table, the problems and totals,
the costs, the code) wait until the canvas has drawn it, then fill in turns of the event loop of their own
(gui/later.py), so the window answers between them (issue 18). Checked as behaviour, never as time: while the
canvas draws, the table is empty and says what it waits for; once drawn, every panel matches the document."""

from __future__ import annotations

from builder.files import project
from gui.canvas import scene as canvas_scene
from gui.later import TurnQueue
from tests.gui.test_large_input import finished, residual_chain


def test_the_panels_fill_once_the_canvas_is_drawn(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(canvas_scene, "BUILD_SLICE_MS", 1)  # several slices on any machine
    path = tmp_path / "big.json"
    project.write(residual_chain(400), path)
    outcome, seen_while_drawing = finished(window), []

    def look(done, _total):
        if done and window.canvas.canvas_scene.building and not seen_while_drawing:  # (0: the edit is not over)
            panel = window.shapes_panel
            seen_while_drawing.append((panel.model.rowCount(), panel.totals_label.text(),
                                       panel.costs.totals_label.text(), window.code_preview.regenerations))

    window.canvas.canvas_scene.build_progress.connect(look)
    regenerations = window.code_preview.regenerations
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    rows, totals, costs, code_runs = seen_while_drawing[0]
    assert rows == 0 and "once the canvas is drawn" in totals and "once the canvas is drawn" in costs
    assert code_runs == regenerations  # the code is written after the drawing, not alongside it
    doc = window.controller.doc
    qtbot.waitUntil(lambda: window.shapes_panel.model.rowCount() == len(doc), timeout=60_000)
    assert f"{len(doc)} nodes" in window.shapes_panel.totals_label.text()
    qtbot.waitUntil(lambda: "MACs" in window.shapes_panel.costs.totals_label.text(), timeout=60_000)
    qtbot.waitUntil(lambda: "dense_0" in window.code_preview.text, timeout=60_000)


def test_queued_jobs_run_one_per_turn_in_order_and_a_key_queued_twice_runs_once(qtbot):
    queue, ran = TurnQueue(), []
    queue.add("a", lambda: ran.append("a"))
    queue.add("b", lambda: ran.append("b"))
    queue.add("a", lambda: ran.append("a again"))  # already waiting: runs once, where first queued
    assert ran == [] and queue.pending("a")
    queue._timer.stop()
    queue._run_one()  # what one turn of the event loop runs: one job, and the next turn is asked for
    assert ran == ["a"] and queue.pending("b") and queue._timer.isActive()
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=10_000)
    assert ran == ["a", "b"] and not queue.pending("b")
