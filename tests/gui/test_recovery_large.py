"""A large document's recovery file is written in a background thread (issue 18): the window's thread only
copies the graph. The file holds the document as it was when copied, and a discard while it is written leaves
no file behind."""

from __future__ import annotations

import threading

from benchmarks.graphs import generated_graph
from builder.editing.commands import SetParam
from builder.files import project
from gui import recovery
from gui.controller import EditorController


class _Files:
    path = None

    def __init__(self, controller):
        self.controller = controller

    @property
    def modified(self):
        return not self.controller.undo_stack.isClean()


def _autosaver(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("KC_RECOVERY_DIR", str(tmp_path))
    controller = EditorController()
    controller.replace_document(generated_graph(recovery.BACKGROUND_NODES + 50).graph)
    saver = recovery.Autosaver(controller, _Files(controller), interval_ms=3_600_000)
    return controller, saver


def test_a_large_document_is_written_in_a_thread_as_it_was_when_copied(tmp_path, monkeypatch, qtbot):
    controller, saver = _autosaver(tmp_path, monkeypatch, qtbot)
    node = next(n for n in controller.doc.node_ids() if controller.doc.layer(n) == "Dense")
    controller.push(SetParam(node, "units", 5))
    writers, edited = [], threading.Event()
    real_write = project.write

    def write(graph, path):  # written only once the next edit is done, to show it is not in this copy
        writers.append(threading.current_thread())
        edited.wait(timeout=60)
        return real_write(graph, path)

    monkeypatch.setattr(project, "write", write)
    saver.tick()
    assert saver._writing is not None
    controller.push(SetParam(node, "units", 6))  # an edit while it is written (params change in place)
    edited.set()
    qtbot.waitUntil(lambda: saver._writing is None, timeout=60_000)  # only catches a hang
    assert writers and writers[0] is not threading.main_thread()
    graph, original = recovery.read_recovery(saver.path)
    assert graph.nodes[node]["params"]["units"] == 5 and original is None
    assert saver._dirty  # the later edit is written at the next tick


def test_a_discard_while_writing_leaves_no_file(tmp_path, monkeypatch, qtbot):
    controller, saver = _autosaver(tmp_path, monkeypatch, qtbot)
    node = next(n for n in controller.doc.node_ids() if controller.doc.layer(n) == "Dense")
    controller.push(SetParam(node, "units", 5))
    saver.tick()
    saver.discard()  # saved meanwhile: nothing to recover
    qtbot.waitUntil(lambda: saver._writing is None, timeout=60_000)
    assert not saver.path.exists()
