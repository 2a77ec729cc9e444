"""Crash recovery: while the document has unsaved changes, it is written every few seconds to a recovery file;
after a crash, the next start offers to restore it.

Each running app owns `autosave-<pid>.json` in the recovery folder (KC_RECOVERY_DIR, or the app data folder
from QStandardPaths). It is a normal project file, written atomically by builder.files.project.write, whose
`ui.recovery` entry records the file it belongs to (null for an untitled document or an example). A clean
save, undoing back to the saved state, New/Open, and a clean close remove it; only a process that died leaves
one behind, and a file whose process is still running (another window) is never offered.
KC_AUTOSAVE_MS sets the interval (default 3000 ms).

A large document is written in a background thread (issue 18): writing 10,000 nodes took the window's thread
about half a second, every few seconds while the person edits. Only the copy of the graph is made on the
window's thread, so what is written is the document as it was at that moment.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QObject, QStandardPaths, QTimer

from builder.files import project
from builder.files.project import ProjectError
from gui.background import run_in_thread

AUTOSAVE_MS = 3000
BACKGROUND_NODES = 250  # documents larger than this are written in a thread
WRITE_POLL_MS = 50
PREFIX, SUFFIX = "autosave-", ".json"
RECOVERY_KEY = "recovery"


def recovery_dir() -> Path:
    configured = os.environ.get("KC_RECOVERY_DIR")
    if configured:
        return Path(configured)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".keras-canvas") / "recovery"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists but is not ours to signal
    return True


def orphaned_files(folder: Path | None = None) -> list[Path]:
    """Recovery files left by processes that are no longer running, newest first."""
    folder = folder or recovery_dir()
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        pid = path.name[len(PREFIX):-len(SUFFIX)]
        if pid.isdigit() and not _pid_alive(int(pid)):
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def read_recovery(path: Path):
    """(graph, the file it belongs to or None); ProjectError if it cannot be read."""
    graph = project.read(path)
    ui = graph.graph.get("ui") or {}
    info = ui.pop(RECOVERY_KEY, None)
    original = info.get("file") if isinstance(info, dict) else None
    return graph, (Path(original) if isinstance(original, str) and original else None)


class Autosaver(QObject):
    def __init__(self, controller, files, parent=None, interval_ms: int | None = None):
        super().__init__(parent)
        self.controller, self.files = controller, files
        self.path = recovery_dir() / f"{PREFIX}{os.getpid()}{SUFFIX}"
        self._dirty = False
        self._writing: threading.Thread | None = None  # a large document being written (see tick)
        self._generation = 0  # counts discards: a write that ends after one leaves no file behind
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        interval = interval_ms or int(os.environ.get("KC_AUTOSAVE_MS") or AUTOSAVE_MS)
        self.timer.start(max(50, interval))
        controller.edited.connect(self._mark)
        controller.undo_stack.cleanChanged.connect(lambda clean: clean and self.discard())

    def _mark(self, *_):
        self._dirty = True

    def tick(self):
        if not self.files.modified:
            self.discard()
        elif self._dirty and self._writing is None:
            if len(self.controller.doc) > BACKGROUND_NODES:
                self._save_in_thread()
            else:
                self.save_now()

    def _snapshot(self):
        """The document as it is now, with the recovery note: a function that makes it into a graph (in the
        writing thread). Nodes, wires and their data are copied now, as the person may edit on meanwhile (edits
        change params and positions in place); making the networkx graph of 10,000 nodes here took a tenth of a
        second of the window's thread."""
        graph = self.controller.doc.graph
        nodes = [(n, {**d, "params": dict(d["params"])} if isinstance(d.get("params"), dict) else dict(d))
                 for n, d in graph._node.items()]
        edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)]
        meta = dict(graph.graph)
        ui = dict(meta.get("ui") or {})
        if isinstance(ui.get("positions"), dict):
            ui["positions"] = dict(ui["positions"])
        ui[RECOVERY_KEY] = {"file": str(self.files.path) if self.files.path else None, "time": time.time()}
        meta["ui"] = ui

        def made():
            copy = nx.MultiDiGraph(**meta)
            copy.add_nodes_from(nodes)
            copy.add_edges_from(edges)
            return copy

        return made

    def _write(self, graph) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            project.write(graph, self.path)
        except (OSError, ValueError):
            return False  # recovery is best effort; the next tick tries again
        return True

    def save_now(self) -> bool:
        self._finish_writing()
        if not self._write(self._snapshot()()):
            return False
        self._dirty = False
        return True

    def _save_in_thread(self):
        made, generation = self._snapshot(), self._generation
        self._dirty = False  # edits from now on make it dirty again
        # A failure (params changed under the copy) leaves it dirty: the next tick writes it again.
        self._writing = run_in_thread(lambda: self._write(made()), lambda ok: self._written(ok, generation),
                                      name="keras-canvas-autosave", owner=self, poll_ms=WRITE_POLL_MS, failed=False)

    def _written(self, ok: bool, generation: int):
        self._writing = None
        if not ok:
            self._dirty = True
        if generation != self._generation:  # discarded (saved, closed, another document) while it was written
            self.path.unlink(missing_ok=True)

    def _finish_writing(self):
        """Wait for a write under way (a save or a close must not be overtaken by an older copy)."""
        if self._writing is not None:
            self._writing.join(timeout=60)

    def discard(self):
        self._generation += 1  # a write under way removes its file when it ends (_wait_for_write)
        self._dirty = False
        self.path.unlink(missing_ok=True)

    def stop(self):
        """A clean close: nothing to recover (a write under way is waited for, so it leaves no file)."""
        self.timer.stop()
        self._finish_writing()
        self.discard()


def offer_restore(window) -> bool:
    """At start-up: offer the newest recovery file left by a crashed process. Restored or declined, the offered
    file is removed (a restored document is autosaved again under this process's name)."""
    candidates = orphaned_files()
    if not candidates:
        return False
    newest = candidates[0]
    try:
        graph, original = read_recovery(newest)
    except ProjectError:
        newest.unlink(missing_ok=True)
        return False
    name = original.name if original else "an untitled model"
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(newest.stat().st_mtime))
    restored = False
    if window.dialogs.ask_restore(f"Keras Canvas did not close properly. Restore the unsaved changes to {name} "
                                  f"(autosaved {when}, {len(graph)} nodes)?"):
        window.files.restore(graph, original)
        window.autosaver.save_now()
        restored = True
    newest.unlink(missing_ok=True)  # older ones (several windows crashed) are offered at the next starts
    return restored
