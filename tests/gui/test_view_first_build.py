"""Opening a large document paints what is in view first (issue 18): the canvas makes the items the fitted view
shows (and the wires leaving it), says so (scene.shown_in_view, loader.in_view), the window paints, and the
rest follow in slices. These tests check the order and what exists at each moment, never the time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gui.loading
from builder.files import project
from builder.model.document import GraphDocument
from gui.canvas import scene as canvas_scene
from gui.canvas.build_order import in_view_first, planned_cards
from gui.files import with_positions
from gui.panels.code_preview import WAITING
from tests.gui.test_large_input import residual_chain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sliced(monkeypatch):
    monkeypatch.setattr(gui.loading, "PROGRESS_AFTER_MS", 0)
    monkeypatch.setattr(canvas_scene, "BUILD_SLICE_MS", 1)


def test_the_first_items_are_those_in_the_region_and_the_other_ends_of_their_wires():
    doc = GraphDocument(with_positions(residual_chain(31)))
    cards = planned_cards(doc, 100.0)
    x, y, _w, _h = cards["dense_3"]
    nodes, wires = in_view_first(doc, cards, (x, y, x + 1, y + 1))  # a point on dense_3's card
    assert "dense_3" in nodes and "add_2" in nodes and "add_3" in nodes  # its source and its target
    assert ("add_2", "dense_3", 0) in wires and ("dense_3", "add_3", 0) in wires
    assert all(source in nodes and target in nodes for source, target, _port in wires)
    assert len(nodes) < len(doc)
    far = in_view_first(doc, cards, (10**7, 10**7, 10**7 + 1, 10**7 + 1))
    assert far == ([], [])


def test_a_large_file_shows_the_items_in_view_before_the_rest(window, qtbot, tmp_path, sliced):
    path = tmp_path / "big.json"
    project.write(residual_chain(1_500), path)
    scene, view = window.canvas.canvas_scene, window.canvas
    seen = {}

    def in_view():
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        made = {item.node_id for item in scene.node_items()}
        cards = scene.card_rects()  # the ones still to come where they will stand
        in_sight = {n for n, (x, y, w, h) in cards.items() if visible.intersects(type(visible)(x, y, w, h))}
        seen.update(made=made, in_sight=in_sight, building=scene.building, busy=window.controller.busy,
                    wires=len(scene.edge_items()), x_visible=visible.contains(*cards["x"][:2]),
                    code=window.code_preview.text)

    window.loader.in_view.connect(in_view)
    outcome = []
    window.loader.finished.connect(outcome.append)
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [True]
    assert seen, "loader.in_view never came"
    assert seen["building"] and seen["busy"]  # the rest was still being made, edits waiting
    assert seen["in_sight"] and seen["in_sight"] <= seen["made"]  # everything in view existed
    assert len(seen["made"]) < len(window.controller.doc) // 4 and seen["wires"] > 0
    assert seen["x_visible"]  # the fitted view: the beginning of the graph (issue 13)
    assert seen["code"] == WAITING  # not the previous document's code
    qtbot.waitUntil(lambda: not window.code_preview.writing, timeout=60_000)
    assert 'name="x"' in window.code_preview.text
    graph = residual_chain(1_500)
    assert len(scene.node_items()) == len(graph) and len(scene.edge_items()) == graph.number_of_edges()
    for item in scene.edge_items():  # every wire routed once both its nodes existed
        assert not item.path().isEmpty()


def test_the_startup_probe_says_what_was_drawn_when_the_window_painted(tmp_path):
    """`main.py FILE` with KC_STARTUP_PROBE=exit: a line once the window shows the document (the items in view
    drawn), then one once every item exists; the benchmark reads both."""
    path = tmp_path / "big.json"
    graph = residual_chain(900)
    project.write(graph, path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "main.py", str(path)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    painted = next(li for li in lines if "window painted" in li)
    complete = next(li for li in lines if "every item made" in li)
    assert lines.index(painted) < lines.index(complete)
    drawn = int(painted.split(" nodes, ")[1].split(" of them drawn")[0])
    total = len(graph)
    assert "big.json" in painted and f"{total} nodes" in painted and 0 < drawn < total
    assert f"{total} nodes drawn" in complete


def test_a_large_build_neither_repaints_the_view_for_wires_out_of_sight_nor_reindexes_or_collects(
        window, qtbot, tmp_path, sliced, monkeypatch):
    """What made the window stop while a large document was drawn (issue 18): a wire routed after it joined
    the scene repainted the whole view (from an empty path at the origin to its place); Qt's index of the
    items was rebuilt whenever their number crossed a power of two or the scene grew; and the garbage collector
    walked every new object. Now each wire joins routed, the index depth and the scene's size are set before
    the first item, and collections wait until the load ends."""
    from gui import gc_guard

    path = tmp_path / "big.json"
    project.write(residual_chain(900), path)
    scene = window.canvas.canvas_scene
    joined_unrouted, held, rects = [], [], []
    add_item = scene.addItem

    def spy(item):
        if hasattr(item, "set_ends") and item.path().isEmpty():
            joined_unrouted.append(item.key)
        return add_item(item)

    monkeypatch.setattr(scene, "addItem", spy)
    scene.build_progress.connect(lambda *_: (held.append(gc_guard._held), rects.append(scene.sceneRect())))
    outcome = []
    window.loader.finished.connect(outcome.append)
    window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [True] and len(scene.edge_items()) > 0
    assert joined_unrouted == []
    assert held and all(held) and not gc_guard._held
    assert len(set(map(tuple, (r.getRect() for r in rects)))) == 1  # the scene never grew while drawing
    assert scene.bspTreeDepth() >= 5


def test_the_wires_drawn_first_run_where_building_everything_at_once_puts_them(window, qtbot, tmp_path, sliced,
                                                                              monkeypatch):
    """The wires in view are routed before most cards exist: a backward wire's detour must still avoid the
    cards to come (it is not routed again), so every wire runs exactly where an all-at-once build puts it. A
    card is put out of sight on the lane the first backward wire would take without it."""
    from gui.canvas import scene_build

    scene = window.canvas.canvas_scene
    graph = with_positions(residual_chain(400))
    positions = graph.graph["ui"]["positions"]
    source, target = min(((u, v) for u, v in graph.edges() if positions[u][0] > positions[v][0] + 100),
                         key=lambda wire: positions[wire[1]][0] + positions[wire[1]][1])  # back to the top left
    window.controller.replace_document(graph)
    qtbot.waitUntil(lambda: not scene.building, timeout=60_000)
    lane = next(item for item in scene.edge_items() if item.key[:2] == (source, target)).path().pointAtPercent(0.5)
    graph.add_node("blocker", layer="Input", params={"shape": [16]})
    positions["blocker"] = (positions[source][0] - 600, lane.y() - 40)
    path = tmp_path / "big.json"
    project.write(graph, path)

    outcome = []
    window.loader.finished.connect(outcome.append)
    window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    sliced_paths = {item.key: item.path() for item in scene.edge_items()}
    monkeypatch.setattr(scene_build, "SYNC_BUILD_NODES", 10**6)
    scene.rebuild()  # everything at once, every card there before any wire
    at_once = {item.key: item.path() for item in scene.edge_items()}
    assert sliced_paths.keys() == at_once.keys()
    moved = next(item for item in scene.edge_items() if item.key[:2] == (source, target)).path().pointAtPercent(0.5)
    assert abs(moved.y() - lane.y()) > 10  # the blocker moved the lane
    assert [key for key in at_once if at_once[key] != sliced_paths[key]] == []
