"""Large input (issues 5 and 18): a large file is read, checked and inferred in a background thread and drawn
in slices of the event loop, with a progress bar and a Cancel button in the status bar; edits wait while it is
drawn; Cancel keeps (or puts back) the document that was open; a file too large for the window is refused with
a message before it is parsed. These tests check that behaviour, never the time it takes (the benchmark,
`python -m benchmarks.run`, measures that): slices and the progress delay are made tiny so the behaviour shows
on any machine."""

from __future__ import annotations

import threading

import networkx as nx
import pytest

import gui.files
import gui.loading
from builder.editing.commands import SetParam
from builder.files import project
from gui.canvas import scene as canvas_scene
from tests.gui.conftest import open_example


def residual_chain(nodes: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [16]})
    previous = "x"
    for i in range((nodes - 1) // 3):
        graph.add_node(f"dense_{i}", layer="Dense", params={"units": 16, "activation": "relu"})
        graph.add_node(f"skip_{i}", layer="Dense", params={"units": 16})
        graph.add_node(f"add_{i}", layer="Add", params={})
        graph.add_edge(previous, f"dense_{i}", port=0)
        graph.add_edge(previous, f"skip_{i}", port=0)
        graph.add_edge(f"dense_{i}", f"add_{i}", port=0)
        graph.add_edge(f"skip_{i}", f"add_{i}", port=1)
        previous = f"add_{i}"
    return graph


@pytest.fixture
def sliced(monkeypatch):
    """Progress from the first moment and slices of a millisecond: several slices on any machine."""
    monkeypatch.setattr(gui.loading, "PROGRESS_AFTER_MS", 0)
    monkeypatch.setattr(canvas_scene, "BUILD_SLICE_MS", 1)


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "big.json"
    project.write(residual_chain(1_500), path)
    return path


def finished(window) -> list:
    outcome = []
    window.loader.finished.connect(outcome.append)
    return outcome


def test_a_large_file_is_read_in_a_thread_and_drawn_in_slices_with_progress(window, qtbot, big_file, sliced):
    open_example(window, "dense_branches")
    outcome, fractions, slices = finished(window), [], []
    window.loader.progress.connect(lambda _stage, fraction: fractions.append(fraction))
    window.canvas.canvas_scene.build_progress.connect(lambda done, total: slices.append(done))
    refusals = []
    assert window.files.open_path(big_file)
    assert window.files.example == "dense_branches"  # not replaced yet: it is being read in the background
    assert window.loader.busy

    def try_an_edit_while_drawn():
        if window.canvas.canvas_scene.building and not refusals:
            refusals.append(window.controller.push(SetParam("dense_0", "units", 8)).refusal)

    window.canvas.canvas_scene.build_progress.connect(try_an_edit_while_drawn)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [True]
    assert window.loader.prepared_in != threading.get_ident()  # parsed, laid out and inferred off this thread
    assert len(slices) > 2 and slices == sorted(slices)  # drawn over several turns of the event loop
    assert fractions and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert refusals and "is drawing" in refusals[0] and "once it is shown" in refusals[0]
    graph = residual_chain(1_500)
    assert len(window.controller.doc) == len(graph) and window.files.path == big_file.resolve()
    scene = window.canvas.canvas_scene
    assert len(scene.node_items()) == len(graph) and len(scene.edge_items()) == graph.number_of_edges()
    assert window.controller.results["add_10"].shape == (None, 16)
    assert not window.status.busy_bar.isVisible() and window.controller.busy is None
    assert window.controller.push(SetParam("dense_3", "units", 8))  # edits work again


def test_cancel_while_reading_keeps_the_open_document(window, qtbot, big_file, sliced, monkeypatch):
    open_example(window, "dense_branches")
    before = project.dumps(window.controller.doc.graph)
    release, reading = threading.Event(), threading.Event()
    parse = gui.files.parse_for_window

    def slow_parse(raw, path):
        reading.set()
        release.wait(10)
        return parse(raw, path)

    monkeypatch.setattr(gui.files, "parse_for_window", slow_parse)
    outcome = finished(window)
    window.files.open_path(big_file)
    assert reading.wait(10)
    qtbot.waitUntil(lambda: window.status.cancel_button.isVisible(), timeout=10_000)
    assert window.status.busy_text == "Opening big.json…"
    window.status.cancel_button.click()
    release.set()
    assert outcome == [False] and not window.loader.busy
    qtbot.wait(200)  # the thread ends; what it read is dropped
    assert project.dumps(window.controller.doc.graph) == before and window.files.example == "dense_branches"
    assert not window.status.busy_bar.isVisible()


def test_cancel_while_drawing_puts_the_previous_document_back(window, qtbot, big_file, sliced):
    open_example(window, "dense_branches")
    window.controller.push(SetParam("dense_64", "units", 5))  # unsaved...
    window.dialogs.answers["ask_save_changes"].append("discard")  # ...and let go when the big file comes
    graph_before = window.controller.doc.graph
    outcome = finished(window)
    window.files.open_path(big_file)
    qtbot.waitUntil(lambda: window.canvas.canvas_scene.building, timeout=60_000)
    window.status.cancel_button.click()
    assert outcome == [False]
    qtbot.waitUntil(lambda: not window.canvas.canvas_scene.building, timeout=60_000)
    assert window.controller.doc.graph is graph_before and window.files.example == "dense_branches"
    assert window.controller.doc.params("dense_64")["units"] == 5 and window.files.modified
    assert {item.node_id for item in window.canvas.canvas_scene.node_items()} == set(graph_before)
    assert window.controller.busy is None and "document open before is back" in window.status.currentMessage()


def test_a_file_over_the_window_limit_is_refused_before_it_is_parsed(window, dialogs, tmp_path, monkeypatch):
    monkeypatch.setattr(gui.files, "MAX_WINDOW_NODES", 1_000)
    path = tmp_path / "huge.json"
    project.write(residual_chain(2_000), path)
    open_example(window, "dense_branches")
    before = project.dumps(window.controller.doc.graph)
    monkeypatch.setattr(gui.files.builder.files.project, "from_bytes", lambda *_: pytest.fail("parsed"))
    assert not window.files.open_path(path)
    title, message = dialogs.errors[-1]
    assert title == "Cannot open huge.json" and "about 1,999 nodes" in message and "command line" in message
    assert project.dumps(window.controller.doc.graph) == before and window.files.example == "dense_branches"


def test_a_graph_over_the_limit_without_the_usual_layout_is_counted_exactly(window, dialogs, tmp_path, monkeypatch):
    """The quick count before parsing is an estimate; the exact count after parsing decides too."""
    monkeypatch.setattr(gui.files, "MAX_WINDOW_NODES", 200)
    path = tmp_path / "compact.json"
    text = project.dumps(residual_chain(230)).replace('"layer"', '"l\\u0061yer"')  # the same key, not counted
    path.write_text(text)
    assert not window.files.open_path(path)
    assert f"has {len(residual_chain(230)):,} nodes" in dialogs.errors[-1][1]


def test_a_bad_large_file_gets_the_readers_message_and_the_document_stays(window, dialogs, qtbot, tmp_path):
    path = tmp_path / "broken.json"
    text = project.dumps(residual_chain(900))
    path.write_text(text.replace('"units": 16', '"units": -16', 1))
    open_example(window, "dense_branches")
    outcome = finished(window)
    assert window.files.open_path(path)  # counted large: read in the background
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [False] and window.files.example == "dense_branches"
    title, message = dialogs.errors[-1]
    assert title == "Cannot open broken.json" and "units" in message
