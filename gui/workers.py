"""Keras work off the GUI thread: importing TensorFlow/Keras after the window shows, building and saving
models, importing model files, and recomputing the shapes of generic nodes. Everything runs on one QThread, one
task after another; results come back as plain data (strings, dicts) through queued signals, so no Keras object
ever reaches the GUI thread.

The graph crosses the thread boundary as project JSON text and is parsed again on the worker, so the worker
never shares the live document with the editor.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

NOT_LOADED, LOADING, READY, FAILED = "not loaded", "loading", "ready", "failed"


class KerasWorker(QObject):
    """Lives on the worker thread. Its slots run there, one at a time, in the order they were asked for."""

    keras_loaded = Signal(str, float)  # Keras version, seconds the import took
    keras_failed = Signal(str)
    build_finished = Signal(object)  # {"path", "params", "trainable", "layers", "seconds"}
    build_failed = Signal(str)
    import_finished = Signal(object)  # {"path", "text" (project JSON), "nodes", "seconds"}
    import_failed = Signal(str, str)  # path, why (names the layer)
    shapes_recomputed = Signal(object)  # [{"node", "layer", "config", "inputs", "keras_shape"}, ...]

    @Slot()
    def load_keras(self):
        started = time.perf_counter()
        try:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            import keras  # deferred on purpose: this costs seconds and must never delay the window
        except Exception as exc:  # noqa: BLE001 -- a broken TensorFlow install must not take the editor down
            self.keras_failed.emit(f"cannot import Keras: {type(exc).__name__}: {exc}")
            return
        self.keras_loaded.emit(keras.__version__, time.perf_counter() - started)

    @Slot(str, str)
    def build_and_save(self, project_text: str, path: str):
        started = time.perf_counter()
        try:
            from builder.keras_build import build_model
            from builder.plan import ModelError
            from builder.project import parse

            model = build_model(parse(project_text, "<editor>"))
            model.save(path)
        except ModelError as exc:
            self.build_failed.emit("\n".join(exc.errors))
            return
        except Exception as exc:  # noqa: BLE001 -- whatever Keras raises is reported to the person
            self.build_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
        self.build_finished.emit({"path": path, "params": int(model.count_params()), "trainable": trainable,
                                  "layers": len(model.layers), "seconds": time.perf_counter() - started})

    @Slot(str)
    def import_model(self, path: str):
        """Import a model file (builder/importer.py) and send back the project as JSON text."""
        started = time.perf_counter()
        try:
            from builder.importer import ImportRefused, import_model
            from builder.project import dumps

            try:
                doc = import_model(path)
            except ImportRefused as exc:
                self.import_failed.emit(path, str(exc))
                return
            text = dumps(doc.graph)
        except Exception as exc:  # noqa: BLE001 -- a file Keras chokes on must not take the editor down
            self.import_failed.emit(path, f"{type(exc).__name__}: {exc}")
            return
        self.import_finished.emit({"path": path, "text": text, "nodes": len(doc.graph),
                                   "seconds": time.perf_counter() - started})

    @Slot(object)
    def recompute_shapes(self, requests: list):
        """Ask Keras for the shapes of generic nodes whose inputs changed (builder/generic_shapes.py)."""
        from builder.generic_shapes import recompute

        answers = []
        for request in requests:
            try:
                keras_shape = recompute(**request)
            except Exception as exc:  # noqa: BLE001 -- recompute reports Keras's refusals; this is a last resort
                keras_shape = {"inputs": request["inputs"], "error": f"{type(exc).__name__}: {exc}"[:1500]}
            answers.append({**request, "keras_shape": keras_shape})
        self.shapes_recomputed.emit(answers)


class KerasService(QObject):
    """The GUI side: owns the thread and the worker, tracks whether Keras is loaded and whether a task runs.

    `stop()` must be called before the application quits (the main window does it on close); it waits for
    the task in progress, since a Python import or a Keras build cannot be interrupted safely.
    """

    state_changed = Signal(str, str)  # state (NOT_LOADED, LOADING, READY, FAILED), detail for people
    busy_changed = Signal(bool)  # a build or an import is running; busy_text says which
    build_finished = Signal(object)
    build_failed = Signal(str)
    import_finished = Signal(object)
    import_failed = Signal(str, str)
    shapes_recomputed = Signal(object)

    _request_load = Signal()
    _request_build = Signal(str, str)
    _request_import = Signal(str)
    _request_shapes = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state = NOT_LOADED
        self.detail = "Keras is imported in the background after the window opens"
        self.busy = False
        self.busy_text = ""
        self._thread: QThread | None = None
        self._worker: KerasWorker | None = None

    # ---- requests -----------------------------------------------------------------------------------------

    def start_loading(self):
        """Import Keras on the worker thread (once)."""
        if self.state in (LOADING, READY):
            return
        self._ensure_thread()
        self._set_state(LOADING, "importing TensorFlow and Keras…")
        self._request_load.emit()

    def build_and_save(self, project_text: str, path: str) -> bool:
        """Build the model described by project JSON and save it as .keras; False if a build is running."""
        if not self._start_task("Building the Keras model…"):
            return False
        self._request_build.emit(project_text, path)
        return True

    def import_model(self, path: str) -> bool:
        """Import a .keras, .h5 or model JSON file as project JSON text; False if a build or import is running."""
        if not self._start_task(f"Importing {Path(path).name}…"):
            return False
        self._request_import.emit(path)
        return True

    def recompute_shapes(self, requests: list):
        """Recompute generic nodes' shapes (see gui/generic_refresh.py). Not a busy task: it is quick, and it
        waits behind a build or import already queued on the thread. Only once Keras is loaded."""
        if self.state != READY:
            raise RuntimeError("recompute_shapes needs Keras loaded (state READY)")
        self._request_shapes.emit(requests)

    def _start_task(self, text: str) -> bool:
        if self.busy:
            return False
        self._ensure_thread()
        if self.state != READY:
            self.start_loading()  # queued before the task, so the task finds Keras imported
        self.busy_text = text
        self._set_busy(True)
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def stop(self):
        """Finish the task in progress, then end the thread. Safe to call more than once."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.quit()
        thread.wait()
        # The thread has ended, so dropping the last references deletes both objects here safely.
        self._worker = None

    # ---- thread -------------------------------------------------------------------------------------------

    def _ensure_thread(self):
        if self._thread is not None:
            return
        self._thread = QThread()
        self._thread.setObjectName("keras-worker")
        self._worker = KerasWorker()
        self._worker.moveToThread(self._thread)
        self._request_load.connect(self._worker.load_keras)
        self._request_build.connect(self._worker.build_and_save)
        self._request_import.connect(self._worker.import_model)
        self._request_shapes.connect(self._worker.recompute_shapes)
        self._worker.keras_loaded.connect(self._on_loaded)
        self._worker.keras_failed.connect(self._on_load_failed)
        self._worker.build_finished.connect(self._on_build_finished)
        self._worker.build_failed.connect(self._on_build_failed)
        self._worker.import_finished.connect(self._on_import_finished)
        self._worker.import_failed.connect(self._on_import_failed)
        self._worker.shapes_recomputed.connect(self.shapes_recomputed)
        self._thread.start()

    def _set_state(self, state: str, detail: str):
        self.state, self.detail = state, detail
        self.state_changed.emit(state, detail)

    def _set_busy(self, busy: bool):
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    @Slot(str, float)
    def _on_loaded(self, version: str, seconds: float):
        if self.state != READY:
            self._set_state(READY, f"Keras {version} loaded in {seconds:.1f} s")

    @Slot(str)
    def _on_load_failed(self, message: str):
        self._set_state(FAILED, message)

    @Slot(object)
    def _on_build_finished(self, info: dict):
        self._set_busy(False)
        self.build_finished.emit(info)

    @Slot(str)
    def _on_build_failed(self, message: str):
        self._set_busy(False)
        self.build_failed.emit(message)

    @Slot(object)
    def _on_import_finished(self, info: dict):
        self._set_busy(False)
        self.import_finished.emit(info)

    @Slot(str, str)
    def _on_import_failed(self, path: str, message: str):
        self._set_busy(False)
        self.import_failed.emit(path, message)
