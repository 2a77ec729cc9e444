"""The status bar: messages on the left (canvas hints, refused edits, finished exports); on the right the
total parameters, the error count, a busy indicator with what Keras is doing and a Cancel button while it
builds or imports, and the state of the Keras worker process (loading, ready, restarting, unavailable)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from builder.inference.block_summary import shared_totals
from builder.inference.engine import totals
from gui.keras_service import FAILED, LOADING, READY, RESTARTING
from gui.theme import set_status

MESSAGE_MS = 8000
PROGRESS_STEP = 4  # the determinate bar moves in steps of this many percent (see set_fraction)


class EditorStatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.document = None  # the window's GraphDocument, for its blocks (shared weights are counted once)
        self.counts = None  # the controller's ModelCounts, when the window hands it in (gui/model_counts.py)
        self.busy_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: Keras reports stages, not fractions
        self.busy_bar.setMaximumWidth(110)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop what Keras is doing (its process is restarted)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.params_label = QLabel()
        self.errors_label = QLabel()
        self.keras_label = QLabel()
        for widget in (self.busy_label, self.busy_bar, self.cancel_button, self.params_label, self.errors_label,
                       self.keras_label):
            self.addPermanentWidget(widget)
        self.set_busy(False)
        self.set_keras_state("not loaded", "Keras is imported in the background after the window opens")
        self.messageChanged.connect(self._message_cleared)

    def show_counts(self, results: dict):
        # A shared block's layers are counted once (builder/inference/block_summary.py).
        counts = self.counts
        if counts is not None and counts.controller.results is results:  # kept edit by edit (gui/model_counts.py)
            trainable, frozen, errors = counts.trainable, counts.frozen, counts.errors
        else:
            document = self.document
            trainable, frozen = totals(results) if document is None else shared_totals(document.graph, results)
            errors = sum(1 for r in results.values() if r.error)
        self.params_label.setText(f"Params: {trainable + frozen:,}")
        self.params_label.setToolTip(f"Trainable {trainable:,}, non-trainable {frozen:,}")
        if errors:
            self.errors_label.setText(f"{errors} error" + ("s" if errors != 1 else ""))
            set_status(self.errors_label, "error", strong=True)
        else:
            self.errors_label.setText("No errors")
            set_status(self.errors_label, "ok")

    def set_keras_state(self, state: str, detail: str):
        text, kind = {
            LOADING: ("Keras: loading…", "muted"),
            READY: ("Keras: ready", "ok"),
            RESTARTING: ("Keras: restarting", "warning"),
            FAILED: ("Keras: unavailable", "error"),
        }.get(state, ("Keras: not loaded", "muted"))
        self.keras_label.setText(text)
        set_status(self.keras_label, kind)
        self.keras_label.setToolTip(detail)

    def set_busy(self, busy: bool, text: str = "Building the Keras model…"):
        self.busy_text = text if busy else ""
        self.busy_label.setText(self.busy_text)
        for widget in (self.busy_label, self.busy_bar, self.cancel_button):
            widget.setVisible(busy)

    def set_fraction(self, fraction: float | None):
        """A determinate bar (0..1) for work that knows how far it is (opening a large file); None: the
        moving bar of work that reports stages only."""
        if fraction is None:
            self.busy_bar.setRange(0, 0)
            return
        if self.busy_bar.maximum() != 100:
            self.busy_bar.setRange(0, 100)
        # In steps of PROGRESS_STEP %: QProgressBar repaints at once (not with the next frame) each time it
        # moves, and a 10,000-node load reported every 1 % spent a tenth of its drawing time there (issue 18).
        value = int(fraction * 100 / PROGRESS_STEP) * PROGRESS_STEP
        if value != self.busy_bar.value():
            self.busy_bar.setValue(value)

    def set_progress(self, text: str):
        """What the busy task is doing now, after what it is: "Importing mnv2.keras… loading with Keras"."""
        if self.busy_text:
            self.busy_label.setText(f"{self.busy_text} {text}" if text else self.busy_text)

    def show_info(self, message: str):
        set_status(self, None)
        self.showMessage(message, MESSAGE_MS)

    def show_refusal(self, message: str):
        """A refused edit: the reason, in the warning colour, so it is not mistaken for a plain hint."""
        set_status(self, "warning")
        self.showMessage(message, MESSAGE_MS * 2)

    def _message_cleared(self, message: str):
        if not message:
            set_status(self, None)
