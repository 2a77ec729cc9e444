"""KerasService: the window's one way to Keras. It keeps one worker process (gui/keras_service/worker_process.py,
builder/keras/worker.py) running, sends it one request at a time, and turns its answers into signals.

- The worker starts in the background after the window shows (`start_loading`); requests made before it is
  ready wait in a queue.
- Builds and imports are "busy" tasks, one at a time, with progress and Cancel (`cancel()` kills the worker and
  starts a fresh one). Generic-shape recomputations are quick and queue behind them.
- If the worker dies (a segfault in TensorFlow, its memory limit, killed from outside), the window stays: the
  request in progress fails with a message that says what was being done and why it stopped, the state goes to
  RESTARTING, and a new worker starts and takes the requests still queued.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from builder.files.atomic_file import remove_leftovers
from gui.keras_service.memory_limit import describe_mb, limit_mb
from gui.keras_service.worker_process import WorkerProcess

NOT_LOADED, LOADING, READY, FAILED, RESTARTING = "not loaded", "loading", "ready", "failed", "restarting"


@dataclass
class Request:
    id: int
    kind: str
    payload: dict
    doing: str  # what it does, for messages: "importing mnv2.keras"
    busy: bool  # a build or an import: one at a time, with progress and Cancel
    extra: dict = field(default_factory=dict)


class KerasService(QObject):
    state_changed = Signal(str, str)  # state, detail for people
    busy_changed = Signal(bool)  # a build or an import is running; busy_text says which
    progress = Signal(str)  # what the busy task is doing now
    build_finished = Signal(object)  # {"path", "params", "trainable", "layers", "seconds"}
    build_failed = Signal(str)
    import_finished = Signal(object)  # {"path", "text" (project JSON), "nodes", "seconds"}
    import_failed = Signal(str, str)  # path, why (names the layer, or what stopped Keras)
    shapes_recomputed = Signal(object)  # [{"node", "layer", "config", "inputs", "keras_shape"}, ...]
    cancelled = Signal(str)  # what was cancelled: "importing mnv2.keras"
    training_progress = Signal(object)  # {"phase": "start"|"batch"|"epoch", "epoch", "epochs", "logs", ...}
    training_finished = Signal(object)  # {"history", "stopped", "output", "checkpoint", "evaluation", ...}
    training_failed = Signal(str)  # why (names the data file, or what stopped Keras; the checkpoint is kept)
    training_remedy = Signal(object)  # just before training_failed, for data a remedy fits: {"resize": [h, w], ...}

    def __init__(self, parent=None, settings=None):
        super().__init__(parent)
        self.settings = settings
        self.state = NOT_LOADED
        self.detail = "Keras is loaded in a background process after the window opens"
        self.busy_text = ""
        self.worker: WorkerProcess | None = None
        self.memory_limit_mb, self.memory_limit_source = limit_mb(settings)
        self._ids = itertools.count(1)
        self._queue: deque[Request] = deque()
        self._retired: list[WorkerProcess] = []
        self._in_flight: Request | None = None
        self._cancelling = False
        self._restart_requested = False
        self._stopped = False

    # ---- requests -----------------------------------------------------------------------------------------

    def start_loading(self):
        """Start the worker process (once); it imports Keras and says when it is ready."""
        if self.worker is None:
            self._spawn(LOADING, "importing TensorFlow and Keras in the worker process…")

    def build_and_save(self, project_text: str, path: str) -> bool:
        """Build the model described by project JSON and save it as .keras; False if a task is running."""
        return self._submit("build", {"project": project_text, "path": str(path)},
                            f"building {Path(path).name}", busy=True, text="Building the Keras model…")

    def import_model(self, path: str) -> bool:
        """Import a .keras, .h5 or model JSON file as project JSON text; False if a task is running."""
        return self._submit("import", {"path": str(path)}, f"importing {Path(path).name}", busy=True,
                            text=f"Importing {Path(path).name}…")

    def train(self, project_text: str, data: str, settings: dict, output: str, checkpoint: str,
              label: str | None = None, keep_weights_from: str | None = None) -> bool:
        """Train in the worker (builder/keras/training_worker.py); False if a task is running. Progress comes as
        training_progress, the end as training_finished or training_failed; stop_training() ends it early."""
        return self._submit("train", {"project": project_text, "data": data, "label": label, "settings": settings,
                                      "output": str(output), "checkpoint": str(checkpoint),
                                      "keep_weights_from": keep_weights_from},
                            f"training on {Path(data).name or data}", busy=True, text="Training…")

    def stop_training(self) -> bool:
        """Ask the training in progress to end after its current batch (it keeps the weights and answers as
        usual). False if no training runs."""
        request = self._in_flight
        if request is None or request.kind != "train" or self.worker is None:
            return False
        self.worker.send(request.id, "stop", {})
        return True

    def recompute_shapes(self, requests: list):
        """Recompute generic nodes' shapes (gui/generic_refresh.py); answers come as shapes_recomputed, always,
        even when the worker stops (each answer then holds the reason as its error)."""
        self._submit("recompute", {"requests": requests}, "computing layer shapes", busy=False)

    def cancel(self) -> bool:
        """Stop the busy task: the worker is killed and a new one started. False if nothing busy runs."""
        if not self.busy or self.worker is None:
            return False
        if self._in_flight is None or not self._in_flight.busy:  # still queued (Keras is starting): drop it
            queued = next(r for r in self._queue if r.busy)
            self._queue.remove(queued)
            self._set_busy_text("")
            self.cancelled.emit(queued.doing)
            return True
        self._cancelling = True
        self.worker.kill("cancelled")
        return True

    def restart(self):
        """A new worker now (Keras > Restart Keras): after a failed start, or to free the memory it holds. A
        request in progress fails with a message saying so; queued ones go to the new worker."""
        if self.worker is None:
            self.start_loading()
            return
        self._restart_requested = True
        self.worker.kill("restarted from the Keras menu")

    @property
    def busy(self) -> bool:
        return bool(self.busy_text)

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.alive

    def set_memory_limit(self, mb: int):
        """A new limit, kept as the setting and applied to the running worker at once."""
        self.memory_limit_mb, self.memory_limit_source = mb, "setting"
        if self.settings is not None:
            self.settings.setValue("keras/memory_limit_mb", mb)
        if self.worker is not None:
            self.worker.set_memory_limit(mb)

    def stop(self):
        """End the worker (it finishes nothing: a build in progress is abandoned). Safe to call twice."""
        self._stopped = True
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.close()
            self._retire(worker)

    # ---- the queue ----------------------------------------------------------------------------------------

    def _submit(self, kind: str, payload: dict, doing: str, busy: bool, text: str = "") -> bool:
        if busy and self.busy:
            return False
        self._stopped = False
        self._queue.append(Request(next(self._ids), kind, payload, doing, busy))
        if busy:
            self._set_busy_text(text)
        if self.worker is None:
            self.start_loading()
        self._send_next()
        return True

    def _send_next(self):
        if self._in_flight is not None or not self._queue or self.state not in (READY, FAILED):
            return
        if self.worker is None or not self.worker.alive:
            return
        self._in_flight = self._queue.popleft()
        self.worker.send(self._in_flight.id, self._in_flight.kind, self._in_flight.payload)

    def _spawn(self, state: str, detail: str):
        self._set_state(state, detail)
        worker = WorkerProcess(self.memory_limit_mb)  # no parent: see _retire
        worker.message.connect(self._on_message)
        worker.ended.connect(lambda why, w=worker: self._on_ended(w, why))
        self.worker = worker
        worker.start()

    # ---- answers ------------------------------------------------------------------------------------------

    def _on_message(self, message: dict):
        kind, payload = message["type"], message["payload"] or {}
        if kind == "ready":
            self._set_state(READY, f"Keras {payload.get('keras', '?')} loaded in {payload.get('seconds', 0):.1f} s "
                                   f"(worker process {payload.get('pid', '?')}, memory limit "
                                   f"{describe_mb(self.memory_limit_mb)})")
            self._send_next()
            return
        if kind == "unavailable":
            self._set_state(FAILED, str(payload.get("message", "Keras cannot be imported")))
            self._send_next()
            return
        request = self._in_flight
        if request is None or message["id"] != request.id:
            return  # an answer to a request this service no longer waits for
        if kind == "progress":
            if request.busy:
                self.progress.emit(str(payload.get("text", "")))
            if request.kind == "train" and isinstance(payload.get("train"), dict):
                self.training_progress.emit(payload["train"])
            return
        self._in_flight = None
        if kind == "result":
            self._finish(request, payload)
        else:
            if request.kind == "train" and isinstance(payload.get("remedy"), dict):
                self.training_remedy.emit(payload["remedy"])
            self._fail(request, str(payload.get("message", "the worker gave no reason")))
        self._send_next()

    def _finish(self, request: Request, payload: dict):
        if request.busy:
            self._set_busy_text("")
        if request.kind == "build":
            self.build_finished.emit(payload)
        elif request.kind == "import":
            self.import_finished.emit(payload)
        elif request.kind == "recompute":
            self.shapes_recomputed.emit(payload.get("answers", []))
        elif request.kind == "train":
            self.training_finished.emit(payload)

    def _fail(self, request: Request, message: str):
        if request.busy:
            self._set_busy_text("")
        if request.kind == "build":
            self.build_failed.emit(message)
        elif request.kind == "import":
            self.import_failed.emit(request.payload["path"], message)
        elif request.kind == "recompute":
            self.shapes_recomputed.emit([{**r, "keras_shape": {"inputs": r["inputs"], "error": message}}
                                         for r in request.payload["requests"]])
        elif request.kind == "train":
            self.training_failed.emit(message)

    def _on_ended(self, worker: WorkerProcess, why: str):
        if worker is not self.worker or self._stopped:
            return
        request, self._in_flight = self._in_flight, None
        was_loading = self.state in (LOADING, RESTARTING)
        self.worker = None
        self._retire(worker)
        if request is not None and request.kind == "build":  # a save cut short leaves its hidden temp file
            remove_leftovers(request.payload["path"])
        if request is not None and request.kind == "train":  # the last checkpoint stays, whole (atomic)
            remove_leftovers(request.payload["output"])
            remove_leftovers(request.payload["checkpoint"])
        if self._cancelling:
            self._cancelling = False
            if request is not None:
                if request.busy:
                    self._set_busy_text("")
                self.cancelled.emit(request.doing)
        elif request is not None:
            self._fail(request, self._stopped_message(request.doing, why))
        restart, self._restart_requested = self._restart_requested, False
        if was_loading and request is None and not restart:  # died starting: no loop; the next request retries
            self._set_state(FAILED, f"the Keras worker process stopped while starting ({why})"
                                    + self._stderr_hint(worker))
            for queued in list(self._queue):
                self._fail(queued, f"Keras could not start ({why}); {queued.doing} did not run")
            self._queue.clear()
            return
        self._spawn(RESTARTING, f"the Keras worker process stopped ({why}); starting a new one…")

    def _stopped_message(self, doing: str, why: str) -> str:
        text = f"Keras stopped while {doing} ({why})."
        if "memory limit" in why:
            text += (" Raise the limit in Keras > Memory Limit… (or with KC_KERAS_MEMORY_MB) if the machine has "
                     "the memory, or use a smaller model.")
        return text + " The window is unaffected; Keras restarts in a new process for the next request."

    @staticmethod
    def _stderr_hint(worker: WorkerProcess) -> str:
        lines = [line for line in worker.stderr_tail.decode("utf-8", "replace").splitlines() if line.strip()]
        return f": {lines[-1][:300]}" if lines else ""

    def _retire(self, worker: WorkerProcess):
        """Let go of an ended worker once control is back in the event loop: it may be in the middle of emitting
        the signal that brought us here, and deleting a QObject inside its own emission crashes. Workers have no
        parent, so dropping the last reference deletes them (deleteLater with a parent that Python may delete
        first crashed the GUI tests in ~QObject)."""
        self._retired.append(worker)
        QTimer.singleShot(0, self, self._retired.clear)

    # ---- state --------------------------------------------------------------------------------------------

    def _set_state(self, state: str, detail: str):
        self.state, self.detail = state, detail
        self.state_changed.emit(state, detail)

    def _set_busy_text(self, text: str):
        was = self.busy
        self.busy_text = text
        if self.busy != was:
            self.busy_changed.emit(self.busy)
