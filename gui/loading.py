"""Opening a large document without freezing the window (issue 18).

A document reaches the editor in two stages. First it is *prepared* in a background thread: the file read,
parsed and checked, nodes without a position laid out, and every shape inferred (all pure builder code; the
thread shares the interpreter, so the window's thread still runs every few milliseconds). Then it is
*shown*: the controller takes the graph with the results already computed, and the canvas makes its items
in slices of the event loop, those in view first (gui/canvas/scene_build.py): `in_view` says the window can
paint the document, `finished` that every item exists. Throughout, the status bar shows what is being done with a
progress bar and a Cancel button (the progress appears only for loads that last longer than PROGRESS_AFTER_MS,
so opening a small file does not flicker).

Cancel while preparing drops the result: the open document stays exactly as it was. Cancel while the canvas
draws puts the previous document back (as it was, with its file name and unsaved state; its undo history
starts afresh, as after opening). Edits wait while a document is being drawn (the controller refuses them with
the reason), so what is drawn is always the document.

Small documents (up to SYNC_NODES) are prepared on the window's thread at once, as before: the thread and the
progress would cost more than the work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from builder.inference.engine import ShapeInference
from gui import gc_guard

SYNC_NODES = 250  # about 30 ms of preparing and drawing on this kind of machine
POLL_MS = 30  # how often the window looks at the thread's progress
PROGRESS_AFTER_MS = 500  # loads shorter than this show no progress bar


class LoadCancelled(Exception):
    """Raised inside the thread at the next stage after Cancel."""


@dataclass
class Preparation:
    """What the thread reports: its stage, and at the end the graph and its inference, or the error."""

    stage: str = "reading"
    graph: object = None
    inference: ShapeInference | None = None
    error: Exception | None = None
    done: bool = False
    cancelled: threading.Event = field(default_factory=threading.Event)

    def enter(self, stage: str):
        if self.cancelled.is_set():
            raise LoadCancelled
        self.stage = stage


def prepare_graph(graph, preparation: Preparation, with_positions: Callable) -> None:
    """The work of the thread once the graph is read: positions for the nodes without one, then inference."""
    preparation.enter("laying out")
    with_positions(graph)
    preparation.enter("checking shapes")
    engine = ShapeInference(graph)
    engine.update()
    engine.close()
    preparation.enter("drawing")
    preparation.graph, preparation.inference = graph, engine


# The share of the progress bar each stage ends at: preparing is quick next to drawing the canvas.
_STAGE_END = {"reading": 0.15, "laying out": 0.2, "checking shapes": 0.25, "drawing": 1.0}


class DocumentLoader(QObject):
    """Runs one load at a time: `start(label, prepare, show)`; `cancel()`; `busy`; signals for the status bar.

    `prepare(preparation)` runs in the thread and leaves preparation.graph (and .inference) set, or raises
    (ProjectError and the like: `failed` gets the exception). `show(graph, inference)` runs on the window's
    thread when it is done and puts the graph in the editor (returning False if the person declined, say at
    "save changes?"); the canvas then draws it, and `finished` says the load is over."""

    progress = Signal(str, float)  # (what is being done, fraction 0..1), shown once a load takes a while
    started = Signal(str)  # the label ("Opening big.json")
    in_view = Signal()  # the document is in the editor and the items in view exist (the rest are being made)
    finished = Signal(bool)  # True: shown; False: cancelled, declined or failed
    failed = Signal(object)  # the exception `prepare` raised

    def __init__(self, controller, scene, parent=None):
        super().__init__(parent)
        self.controller, self.scene = controller, scene
        self.label = ""
        self.shown_progress = False  # whether this load has shown its progress (it took long enough)
        self.prepared_in: int | None = None  # the thread that prepared the last load (tests check it)
        self._preparation: Preparation | None = None
        self._started_at = 0.0
        self._drawing = False
        self._restore: Callable[[], None] | None = None  # puts the previous document back (Cancel)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)
        scene.build_progress.connect(self._on_build_progress)
        scene.shown_in_view.connect(self._on_in_view)
        scene.built.connect(self._on_built)

    @property
    def busy(self) -> bool:
        return self._preparation is not None or self._drawing

    def start(self, label: str, prepare: Callable[[Preparation], None], show: Callable, restore: Callable):
        """Begin a load (a load under way is cancelled first). `restore` puts back the document open now."""
        if self.busy:
            self.cancel()
        self.label, self.shown_progress = label, False
        self._restore = restore
        self._started_at = time.perf_counter()
        self._show = show
        preparation = self._preparation = Preparation()
        gc_guard.release_long_lived()
        gc_guard.hold_collections(True)

        def run():
            self.prepared_in = threading.get_ident()
            try:
                prepare(preparation)
            except LoadCancelled:
                pass
            except Exception as exc:  # noqa: BLE001 -- handed to the window, which says what went wrong
                preparation.error = exc
            preparation.done = True

        threading.Thread(target=run, name="keras-canvas-load", daemon=True).start()
        self.started.emit(label)
        self._poll.start()

    def cancel(self) -> bool:
        """Stop the load under way; False if there is none. The open document stays (or comes back)."""
        if self._preparation is not None:
            self._preparation.cancelled.set()
            self._end(False)
            return True
        if self._drawing:
            self._drawing = False
            restore, self._restore = self._restore, None
            self.controller.busy = None
            if restore is not None:
                restore()
            self._end(False)
            return True
        return False

    # ---- following the work -------------------------------------------------------------------------------

    def _check(self):
        preparation = self._preparation
        if preparation is None:
            return
        if not preparation.done:
            self._report(preparation.stage, _STAGE_END.get(preparation.stage, 0.0) - 0.05)
            return
        self._preparation = None
        if preparation.error is not None:
            self._end(False)
            self.failed.emit(preparation.error)
            return
        self._report("drawing", _STAGE_END["checking shapes"])
        self._drawing = True
        if not self._show(preparation.graph, preparation.inference):
            self._drawing = False
            self._end(False)
            return
        if not self.scene.building:
            self._on_built()

    def _on_build_progress(self, done: int, total: int):
        if self._drawing and total:
            start = _STAGE_END["checking shapes"]
            self._report("drawing", start + (1.0 - start) * done / total)

    def _on_in_view(self):
        if self._drawing:
            self.in_view.emit()

    def _on_built(self):
        if self._drawing:
            self._drawing = False
            self._end(True)

    def _report(self, stage: str, fraction: float):
        if not self.shown_progress and (time.perf_counter() - self._started_at) * 1000 < PROGRESS_AFTER_MS:
            return
        self.shown_progress = True
        self.progress.emit(stage, max(0.0, min(fraction, 1.0)))

    def _end(self, shown: bool):
        self._poll.stop()
        gc_guard.hold_collections(False)
        self._preparation = None
        self._restore = None
        if shown:
            gc_guard.keep_long_lived()
        self.finished.emit(shown)
