"""Crash recovery (gui/recovery.py): unsaved changes are autosaved; a clean save or close removes the file; the
next start after a crash offers it back. The crash is real: the app runs as a subprocess and is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import builder
from builder.editing.commands import AddNode, SetParam
from gui import recovery
from tests.conftest import ROOT
from tests.gui.conftest import open_example


@pytest.fixture
def recovery_folder(tmp_path, monkeypatch):
    folder = tmp_path / "recovery"
    monkeypatch.setenv("KC_RECOVERY_DIR", str(folder))
    return folder


@pytest.fixture
def win(recovery_folder, window):
    # The fixture's window was made before KC_RECOVERY_DIR pointed here; aim its autosaver at this folder.
    window.autosaver.discard()
    window.autosaver.path = recovery_folder / window.autosaver.path.name
    return window


def _edit(window, units=7):
    assert window.controller.push(AddNode("extra", "Dense", {"units": units}, position=(0, 0)))


def test_unsaved_changes_are_autosaved_and_a_save_removes_the_file(win, dialogs, tmp_path, qtbot):
    open_example(win, "cnn_28x28_three_kernels")
    autosaved = win.autosaver.path
    win.autosaver.tick()
    assert not autosaved.exists()  # nothing unsaved, nothing written
    _edit(win)
    win.autosaver.tick()
    graph, original = recovery.read_recovery(autosaved)
    assert original is None and graph.nodes["extra"]["params"] == {"units": 7}
    target = tmp_path / "model.json"
    dialogs.answers["save_path"].append(str(target))
    assert win.files.save()
    assert not autosaved.exists()
    win.autosaver.timer.setInterval(100)  # KC_AUTOSAVE_MS, 3 s by default
    assert win.controller.push(SetParam("extra", "units", 9))
    qtbot.waitUntil(autosaved.exists, timeout=5000)  # the timer does it too
    assert recovery.read_recovery(autosaved)[1] == target.resolve()
    win.controller.undo_stack.undo()  # back to the saved state: nothing to recover
    assert not autosaved.exists()


def test_a_clean_close_removes_the_recovery_file(win, dialogs):
    _edit(win)
    win.autosaver.save_now()
    assert win.autosaver.path.exists()
    dialogs.answers["ask_save_changes"].append("discard")
    win.close()
    assert not win.autosaver.path.exists()


def test_the_recovery_file_of_a_running_app_is_never_offered(recovery_folder, win, dialogs):
    _edit(win)
    win.autosaver.save_now()
    assert recovery.orphaned_files() == []
    assert not recovery.offer_restore(win) and dialogs.asked == []


def _orphan(folder: Path, graph, original: Path | None) -> Path:
    """A recovery file as a process that has since died would leave it."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"autosave-{dead}.json"
    graph.graph.setdefault("ui", {})["recovery"] = {"file": str(original) if original else None, "time": 0}
    builder.files.project.write(graph, path)
    return path


@pytest.mark.parametrize("answer", [True, False])
def test_a_crashed_sessions_file_is_offered_and_restored_or_discarded(recovery_folder, win, dialogs, tmp_path,
                                                                      answer):
    graph = builder.load(ROOT / "resources" / "examples" / "cnn_28x28_three_kernels.json")
    graph.add_node("rescued", layer="Dense", params={"units": 3})
    original = tmp_path / "mine.json"
    left = _orphan(recovery_folder, graph, original)
    before = builder.files.project.dumps(win.controller.doc.graph)
    dialogs.answers["ask_restore"].append(answer)
    assert recovery.offer_restore(win) is answer
    assert "mine.json" in dialogs.asked[0][1][0]
    assert not left.exists()
    if answer:
        assert "rescued" in win.controller.doc and win.files.modified and win.files.path == original
        assert "recovery" not in win.controller.doc.ui
        assert win.windowTitle().endswith("mine.json*")
        assert win.autosaver.path.exists()  # kept safe again under this process's name
    else:
        assert builder.files.project.dumps(win.controller.doc.graph) == before and not win.files.modified


def test_a_damaged_recovery_file_is_dropped_without_a_question(recovery_folder, win, dialogs):
    left = _orphan(recovery_folder, builder.load(ROOT / "resources" / "examples" / "cnn_28x28_three_kernels.json"),
                   None)
    left.write_text("{ damaged")
    assert not recovery.offer_restore(win)
    assert dialogs.asked == [] and not left.exists()


def test_killing_the_real_app_mid_edit_loses_nothing_that_was_autosaved(recovery_folder, win, dialogs):
    """Start `python main.py` offscreen with KC_TEST_EDITS (gui/app.py) making edits, wait for the autosave,
    SIGKILL it, then start again (here, in-process, so that the test answers the restore question)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KC_RECOVERY_DIR": str(recovery_folder),
           "KC_AUTOSAVE_MS": "200", "KC_TEST_EDITS": "5"}
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py")], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    autosaved = recovery_folder / f"autosave-{app.pid}.json"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None:
            if autosaved.exists():
                try:
                    graph, _original = recovery.read_recovery(autosaved)
                except builder.ProjectError:
                    pytest.fail("an autosave was read half-written")
                if "test_edit_4" in graph:
                    break
            time.sleep(0.05)
        else:
            output = app.stdout.read() if app.poll() is not None else ""
            pytest.fail(f"no autosave with all the edits appeared (exit {app.poll()}): {output[-2000:]}")
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        app.stdout.close()
    assert app.returncode == -signal.SIGKILL
    assert autosaved.exists()  # a crash leaves it behind
    dialogs.answers["ask_restore"].append(True)
    assert recovery.offer_restore(win)
    doc = win.controller.doc
    assert [doc.params(f"test_edit_{i}") for i in range(5)] == [{"units": i + 1} for i in range(5)]
    assert "conv_3x3" in doc  # on top of the example the app started with
    assert win.files.modified and win.files.path is None
