"""The Training dock: the data and compile settings, Train and Stop, a progress bar with the time left, live loss
and metric curves (gui/panels/training_curves.py, drawn with pyqtgraph, imported when the dock is first shown so
the window starts light), and the evaluation afterwards (gui/panels/training_results.py).

Training runs in the Keras worker process (KerasService.train); this panel only sends settings and draws what
comes back. The settings (gui/panels/training_form.py) are the document's `training` section, each change one undo
step, saved with the project. Data the worker refuses with a remedy (images of another size: "resize to 28×28?")
shows it as a button that applies it (training.resize) and trains again.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from builder.editing.training_edit import SetTraining
from builder.files.project import dumps
from builder.files.training_section import training_of
from gui.panels.training_form import TrainingForm


class TrainingPanel(QWidget):
    def __init__(self, controller, keras_service, dialogs, files=None, parent=None):
        super().__init__(parent)
        self.controller, self.keras, self.dialogs, self.files = controller, keras_service, dialogs, files
        self.curves = None  # gui/panels/training_curves.TrainingCurves, made when the panel is first shown
        self.results = None
        self.last_result: dict | None = None
        self.last_error = ""
        self._started = 0.0
        self.remedy: dict | None = None  # what the worker offered for the data it refused
        self._scratch: Path | None = None  # where an unsaved project's trained model goes
        self._build()
        self.keras.training_progress.connect(self._on_progress)
        self.keras.training_finished.connect(self._on_finished)
        self.keras.training_failed.connect(self._on_failed)
        self.keras.training_remedy.connect(self._on_remedy)
        self.keras.cancelled.connect(lambda _doing: self._set_running(False))

    def _build(self):
        self.form = TrainingForm(self.controller, self.dialogs, self)
        for name in ("data", "optimizer", "learning_rate", "epochs", "batch_size", "validation_split", "seed",
                     "csv", "resize_images", "output_rows"):
            setattr(self, name, getattr(self.form, name))  # the fields, as the tests and the window reach them
        self.train_button = QPushButton("Train")
        self.train_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End after the current batch; the weights are kept and saved")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.stop_button)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.status = QLabel("Press Train to fit the model in the Keras worker process.")
        self.status.setWordWrap(True)
        self.remedy_button = QPushButton()
        self.remedy_button.clicked.connect(self.apply_remedy)
        self.remedy_button.hide()
        scroll = QScrollArea()  # a CSV preview makes the settings tall: they scroll, Train stays in sight
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        left_column = QWidget()
        left_column.setMinimumWidth(250)
        left_column.setMaximumWidth(330)
        left = QVBoxLayout(left_column)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(scroll, 1)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addWidget(self.remedy_button)
        self.views = QTabWidget()  # Curves and Evaluation land here when first shown
        layout = QHBoxLayout(self)
        layout.addWidget(left_column, 0)
        layout.addWidget(self.views, 1)

    def settings(self) -> dict:
        """The settings the next run asks for (the section as the dock shows it; suggestions added by the
        worker)."""
        self.form.sync()
        return self.form.request_settings()

    def _browse(self):
        self.form._browse()

    # ---- running -----------------------------------------------------------------------------------------------

    def output_paths(self) -> tuple[Path, Path]:
        """Where the trained model and the best checkpoint go: beside the project when it is saved."""
        project = getattr(self.files, "path", None)
        if project:
            folder = Path(project).parent
        else:  # this window's own folder: another window's (or person's) untitled model is not this one's
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="keras-canvas-training-"))
            folder = self._scratch
        folder.mkdir(parents=True, exist_ok=True)
        stem = Path(project).stem if project else "untitled"
        return folder / f"{stem}.trained.keras", folder / f"{stem}.best.keras"

    def start(self) -> bool:
        if self.keras.busy:
            self.dialogs.error("Train", f"Keras is busy ({self.keras.busy_text}); wait or cancel it first.")
            return False
        settings = self.settings()  # what the dock shows is in the section now (one undo step if it changed)
        section = training_of(self.controller.doc.graph)
        output, checkpoint = self.output_paths()
        self.last_result, self.last_error, self.remedy = None, "", None
        self.remedy_button.hide()
        self.show_curves()
        if self.curves is not None:
            self.curves.clear()
            self.views.setCurrentWidget(self.curves)
        # After an edit, the layers that did not change keep what the last run learnt (in the worker)
        earlier = str(output) if output.exists() else None
        data = section.get("data") or self.data.text().strip()  # no data in the section: the dock's digits
        ok = self.keras.train(dumps(self.controller.doc.graph), data, settings, str(output),
                              str(checkpoint), label=section.get("label"), keep_weights_from=earlier)
        if ok:
            self._started = time.monotonic()
            self._set_running(True)
            self.status.setText("Starting…")
        return ok

    def apply_remedy(self) -> bool:
        """Do what the worker offered (resize the images to the Input), as one undo step, and train again."""
        if not self.remedy or "resize" not in self.remedy:
            return False
        self.controller.push(SetTraining({"resize": True}))
        return self.start()

    def stop(self) -> bool:
        stopped = self.keras.stop_training()
        if stopped:
            self.status.setText("Stopping after the current batch…")
            self.stop_button.setEnabled(False)
        return stopped

    def _set_running(self, running: bool):
        self.train_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        if not running:
            self.progress.setFormat("%p%")

    def _on_progress(self, info: dict):
        phase = info.get("phase")
        if phase == "start":
            notes = "; ".join(n[:1].upper() + n[1:] for n in info.get("notes") or [])
            settings = info.get("settings") or {}
            self.status.setText(f"Loss {settings.get('loss')}, metrics {', '.join(settings.get('metrics') or [])}"
                                + (f". {notes}" if notes else ""))
            return
        epochs, epoch = int(info.get("epochs") or 1), int(info.get("epoch") or 1)
        steps, batch = info.get("steps") or 0, info.get("batch") or 0
        done = (epoch - 1 + (batch / steps if steps else 1.0)) / epochs if phase == "batch" else epoch / epochs
        self.progress.setValue(int(done * 100))
        elapsed = time.monotonic() - self._started
        left = elapsed / done - elapsed if done > 0 else 0
        self.progress.setFormat(f"%p%  epoch {epoch}/{epochs}  about {_duration(left)} left")
        if self.curves is not None:
            self.curves.add(info)

    def _on_finished(self, result: dict):
        self._set_running(False)
        self.last_result = result
        self.progress.setValue(100 if not result.get("stopped") else self.progress.value())
        evaluation = result.get("evaluation") or {}
        shown = ", ".join(f"{k} {v:.4g}" for k, v in (evaluation.get("metrics") or {}).items())
        self.status.setText(("Stopped" if result.get("stopped") else "Trained")
                            + f" after {result.get('epochs_done', 0)} epoch(s) in {_duration(result.get('seconds', 0))}."
                            + f" Saved {_where(result.get('output') or '', self._scratch)}"
                            + (f"; on {evaluation.get('examples', 0)} held-out examples: {shown}" if shown else "")
                            + "." + _weights_note(result.get("weights")))
        if self.results is not None:
            self.results.show_evaluation(evaluation)
            if evaluation.get("kind") in ("classification", "regression"):
                self.views.setCurrentIndex(1)

    def _on_remedy(self, remedy: dict):
        self.remedy = remedy  # training_failed follows with the message

    def _on_failed(self, message: str):
        self._set_running(False)
        self.last_error = message
        if self.remedy and "resize" in self.remedy:  # the data fits once resized: offer it here, no dialog
            height, width = self.remedy["resize"]
            self.status.setText(message)
            self.remedy_button.setText(f"Resize to {height}×{width} and train")
            self.remedy_button.show()
            return
        _output, checkpoint = self.output_paths()
        kept = f"\n\nThe best checkpoint so far is kept: {checkpoint}" if checkpoint.exists() else ""
        self.status.setText("Training stopped: see the message.")
        self.dialogs.error("Training failed", message + kept)

    # ---- the plots, made on first show -------------------------------------------------------------------------

    def showEvent(self, event):
        super().showEvent(event)
        self.show_curves()

    def show_curves(self):
        if self.curves is not None:
            return
        from gui.panels.training_curves import TrainingCurves  # imports pyqtgraph: only when the dock is seen
        from gui.panels.training_results import TrainingResults

        self.curves = TrainingCurves(self)
        self.results = TrainingResults(self.dialogs, self)
        self.views.addTab(self.curves, "Curves")
        scroll = QScrollArea()  # the evaluation never widens the dock: it scrolls
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results)
        self.views.addTab(scroll, "Evaluation")


def _weights_note(weights) -> str:
    """Which layers kept the weights of the run before (the graph was edited in between) and which started fresh."""
    if not weights or not weights.get("kept"):
        return ""
    fresh = ", ".join(weights.get("fresh") or []) or "none"
    return f" Kept the weights of {', '.join(weights['kept'])}; started fresh: {fresh}."


def _where(path: str, scratch: Path | None) -> str:
    """The file's name beside a saved project; its whole path in an unsaved one's temporary folder."""
    return path if scratch is not None and Path(path).parent == scratch else Path(path).name


def show_training_dock(window):
    """Keras > Train…: the dock as a tab beside Shapes & Errors (the widest of the bottom row), in front."""
    dock = window.docks["training"]
    first = not dock.isVisible() and not dock.isFloating()
    dock.show()
    if first:  # Qt tabifies a shown dock only
        window.tabifyDockWidget(window.docks["shapes"], dock)
    dock.raise_()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
