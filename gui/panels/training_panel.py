"""The Training dock: the data and compile settings, Train and Stop, a progress bar with the time left, live loss
and metric curves (gui/panels/training_curves.py, drawn with pyqtgraph, imported when the dock is first shown so
the window starts light), and the evaluation afterwards (gui/panels/training_results.py).

Training runs in the Keras worker process (KerasService.train); this panel only sends settings and draws what
comes back. The settings are kept in the document's `training` section, so they are saved with the project.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from builder.files.project import dumps
from builder.files.training_section import LOSSES, METRICS, OPTIMIZERS, training_of

SUGGESTED = "(suggested)"


class TrainingPanel(QWidget):
    def __init__(self, controller, keras_service, dialogs, files=None, parent=None):
        super().__init__(parent)
        self.controller, self.keras, self.dialogs, self.files = controller, keras_service, dialogs, files
        self.curves = None  # gui/panels/training_curves.TrainingCurves, made when the panel is first shown
        self.results = None
        self.last_result: dict | None = None
        self.last_error = ""
        self._started = 0.0
        self._build()
        self.keras.training_progress.connect(self._on_progress)
        self.keras.training_finished.connect(self._on_finished)
        self.keras.training_failed.connect(self._on_failed)
        self.keras.cancelled.connect(lambda _doing: self._set_running(False))
        self._graph = None
        controller.edited.connect(self._follow_document)
        self.load_settings()

    def _follow_document(self, *_):
        if self.controller.doc.graph is not self._graph:  # another project opened: show its settings
            self.load_settings()

    def _build(self):
        self.data = QLineEdit("digits")
        self.data.setToolTip("digits (scikit-learn's bundled 8×8 digits, resized to the Input), a .npz, "
                             "X.npy,Y.npy, a .csv (with a label column) or a folder of class sub-folders")
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data, 1)
        data_row.addWidget(self.browse)
        self.label = QLineEdit()
        self.label.setPlaceholderText("label column (CSV only)")
        self.optimizer = QComboBox()
        self.optimizer.addItems(OPTIMIZERS)
        self.learning_rate = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=10.0, singleStep=0.0005,
                                            value=0.001)
        self.loss = QComboBox()
        self.loss.addItems([SUGGESTED, *LOSSES])
        self.metrics = QComboBox()
        self.metrics.addItems([SUGGESTED, *METRICS])
        self.epochs = QSpinBox(minimum=1, maximum=100_000, value=5)
        self.batch_size = QSpinBox(minimum=1, maximum=1_000_000, value=32)
        self.validation_split = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.9, singleStep=0.05, value=0.2)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        form = QFormLayout()
        form.addRow("Data", data_row)
        form.addRow("Label", self.label)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Loss", self.loss)
        form.addRow("Metric", self.metrics)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Validation split", self.validation_split)
        form.addRow("Seed", self.seed)
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
        settings = QWidget()
        settings.setMaximumWidth(300)
        left = QVBoxLayout(settings)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        self.views = QTabWidget()  # Curves and Evaluation land here when first shown
        layout = QHBoxLayout(self)
        layout.addWidget(settings, 0)
        layout.addWidget(self.views, 1)

    # ---- settings ----------------------------------------------------------------------------------------------

    def settings(self) -> dict:
        chosen = {"optimizer": self.optimizer.currentText(), "learning_rate": round(self.learning_rate.value(), 6),
                  "epochs": self.epochs.value(), "batch_size": self.batch_size.value(),
                  "validation_split": round(self.validation_split.value(), 4), "seed": self.seed.value()}
        if self.loss.currentText() != SUGGESTED:
            chosen["loss"] = self.loss.currentText()
        if self.metrics.currentText() != SUGGESTED:
            chosen["metrics"] = [self.metrics.currentText()]
        return chosen

    def load_settings(self):
        """The fields from the document's training section (after opening a project)."""
        self._graph = self.controller.doc.graph
        section = training_of(self._graph)
        self.data.setText(str(section.get("data") or "digits"))
        self.label.setText(str(section.get("label") or ""))
        self.optimizer.setCurrentText(section.get("optimizer", "adam"))
        self.learning_rate.setValue(float(section.get("learning_rate", 0.001)))
        self.loss.setCurrentText(section.get("loss", SUGGESTED))
        self.metrics.setCurrentText((section.get("metrics") or [SUGGESTED])[0])
        self.epochs.setValue(int(section.get("epochs", 5)))
        self.batch_size.setValue(int(section.get("batch_size", 32)))
        self.validation_split.setValue(float(section.get("validation_split", 0.2)))
        self.seed.setValue(int(section.get("seed") or 0))

    def _browse(self):
        path = self.dialogs.open_path("")
        if path:
            self.data.setText(path)

    # ---- running -----------------------------------------------------------------------------------------------

    def output_paths(self) -> tuple[Path, Path]:
        """Where the trained model and the best checkpoint go: beside the project when it is saved."""
        project = getattr(self.files, "path", None)
        folder = Path(project).parent if project else Path(tempfile.gettempdir()) / "keras-canvas-training"
        folder.mkdir(parents=True, exist_ok=True)
        stem = Path(project).stem if project else "untitled"
        return folder / f"{stem}.trained.keras", folder / f"{stem}.best.keras"

    def start(self) -> bool:
        if self.keras.busy:
            self.dialogs.error("Train", f"Keras is busy ({self.keras.busy_text}); wait or cancel it first.")
            return False
        graph = self.controller.doc.graph
        section = {**training_of(graph), **self.settings(), "data": self.data.text().strip() or None,
                   "label": self.label.text().strip() or None}
        graph.graph["training"] = {k: v for k, v in section.items() if v is not None}  # saved with the project
        output, checkpoint = self.output_paths()
        self.last_result, self.last_error = None, ""
        self.show_curves()
        if self.curves is not None:
            self.curves.clear()
            self.views.setCurrentWidget(self.curves)
        # After an edit, the layers that did not change keep what the last run learnt (in the worker)
        earlier = str(output) if output.exists() else None
        ok = self.keras.train(dumps(graph), section["data"] or "", self.settings(), str(output), str(checkpoint),
                              label=section["label"], keep_weights_from=earlier)
        if ok:
            self._started = time.monotonic()
            self._set_running(True)
            self.status.setText("Starting…")
        return ok

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
                            + f" Saved {Path(result.get('output') or '').name}"
                            + (f"; on {evaluation.get('examples', 0)} held-out examples: {shown}" if shown else "")
                            + "." + _weights_note(result.get("weights")))
        if self.results is not None:
            self.results.show_evaluation(evaluation)
            if evaluation.get("kind") in ("classification", "regression"):
                self.views.setCurrentIndex(1)

    def _on_failed(self, message: str):
        self._set_running(False)
        self.last_error = message
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
