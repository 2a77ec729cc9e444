"""Live code preview: the Python script that the current graph exports to, following every edit.

Edits arrive in bursts (a delete sends one change per wire), so regeneration is coalesced with a single-shot
timer and skipped while the dock is hidden; a graph with errors shows the errors instead of code.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from builder.catalog.ops.forms import DIFFERENCE
from builder.keras.code_export import STYLES, export_code
from builder.keras.plan import ModelError
from builder.quoting import escape_controls
from gui.background import run_in_thread
from gui.code_view import CodeView

LARGE_GRAPH = 300
WAITING = "# The code follows once the canvas has drawn the document…\n"
LARGE_GRAPH_DELAY_MS = 150
THREAD_POLL_MS = 30
STYLE_LABELS = {"layer": "layers.Concatenate()([a, b])", "function": "layers.concatenate([a, b])",
                "ops": "keras.ops.concatenate([a, b])"}
# What each style makes of a merge (builder/catalog/ops/forms.py says what differs).
STYLE_HELP = {"layer": "The layer class called on a list: a named layer in model.summary(), reusable.",
              "function": "The layer's functional shortcut: the same named layer, in one call.",
              "ops": "keras.ops: an operation, not a layer: no name, not in model.summary(); Average and Dot stay "
                     "layers (no op of a list)."}


def code_or_errors(graph, style: str, results: dict | None = None) -> tuple[str, bool]:
    """(text, ok): the exported script, or the reasons there is none, as Python comments. Everything export
    refuses is a ModelError (builder.keras.code_export.ExportError for a value no script can hold), so a document the
    reader accepted shows a message here, never a traceback."""
    try:
        return export_code(graph, style, results), True
    except ModelError as exc:
        lines = ["# No code yet: the graph cannot become a Keras model.", "#"]
        lines += [f"# - {escape_controls(error)}" for error in exc.errors]
        return "\n".join(lines) + "\n", False


class CodePreview(QWidget):
    copied = Signal(str)  # a status message

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.regenerations = 0  # how often the code was rebuilt; tests check the coalescing with it
        self.ok = False
        self._stale = True  # the document changed since the code was last generated
        self._version = 0  # counts changes, so code written in the background for an older state is dropped
        self._thread: threading.Thread | None = None
        self._again = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Style"))
        self.style_combo = QComboBox()
        for index, style in enumerate(STYLES):
            self.style_combo.addItem(STYLE_LABELS[style], style)
            self.style_combo.setItemData(index, STYLE_HELP[style], Qt.ItemDataRole.ToolTipRole)
        self.style_combo.setToolTip("How merge layers are written: the layer class called on a list, the "
                                    f"functional shortcut, or a keras.ops call. {DIFFERENCE}")
        self.style_combo.currentIndexChanged.connect(self.schedule)
        bar.addWidget(self.style_combo)
        bar.addStretch(1)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the code to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        bar.addWidget(self.copy_button)
        layout.addLayout(bar)
        self.view = CodeView()
        layout.addWidget(self.view, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.regenerate)
        controller.edited.connect(self._on_edit)
        self._on_reset()

    @property
    def style(self) -> str:
        return self.style_combo.currentData()

    def set_style(self, style: str):
        self.style_combo.setCurrentIndex(max(0, self.style_combo.findData(style)))

    @property
    def text(self) -> str:
        return self.view.text()

    def _on_reset(self):
        ui = self.controller.doc.graph.graph.get("ui") or {}
        self.set_style(ui.get("export_style") or "layer")  # a file may ask for the function style
        if self.controller.busy:  # a large document being drawn: the previous one's code must not stay meanwhile
            self._show(WAITING, False)
        self.schedule()

    def _on_edit(self, edit):
        if edit.reset:
            self._on_reset()
        elif any(c.kind not in ("node_moved", "ui_changed") for c in edit.changes):  # positions and frames
            self.schedule()  # do not appear in the code

    def schedule(self):
        self._stale = True
        self._version += 1
        # Small graphs regenerate at once; on large ones (about 75 ms for 1,000 nodes) a short pause lets a
        # burst of edits, such as holding an arrow key on a spin box, share one regeneration.
        self.timer.setInterval(0 if len(self.controller.doc) < LARGE_GRAPH else LARGE_GRAPH_DELAY_MS)
        if self.isVisible():
            self.timer.start()

    @property
    def writing(self) -> bool:
        """Whether code is being written for the document, or waits to be, or is still going into the view
        piece by piece (the benchmark lets it finish)."""
        return self._thread is not None or (self._stale and self.isVisible()) or self.view.filling

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.timer.start()

    def regenerate(self):
        """Write the code again: at once for a small graph; for a large one (10,000 nodes take most of a second)
        in a background thread, the window responding meanwhile, and shown only if no edit came in between
        (else it is written again for the new state)."""
        if self.controller.busy:
            # A large document is still being drawn: writing its code meanwhile would take turns with the drawing
            # for the interpreter and make both slower (issue 18); it is written once the canvas is done.
            self.timer.start(LARGE_GRAPH_DELAY_MS)
            return
        self._stale = False
        self.regenerations += 1
        if len(self.controller.doc) < LARGE_GRAPH:
            # The results inference already computed for this document: the preview does not infer again.
            self._show(*code_or_errors(self.controller.doc, self.style, self.controller.results))
            return
        if self._thread is not None:  # one at a time: the one running is written again when it ends
            self._again = True
            return
        version, doc, style, results = self._version, self.controller.doc, self.style, self.controller.results
        self._thread = run_in_thread(lambda: code_or_errors(doc, style, results),
                                     lambda code: self._written(code, version), name="keras-canvas-code",
                                     owner=self, poll_ms=THREAD_POLL_MS)

    def _written(self, code: tuple[str, bool] | None, version: int):
        """Code written in the background is back (None: an edit changed the graph under it)."""
        self._thread = None
        if code is not None and version == self._version and not self._again:
            self._show(*code)
        else:  # the document changed while it was written
            self._again = False
            self.schedule()

    def _show(self, text: str, ok: bool):
        self.ok = ok
        self.view.show_code(text, wrap=not self.ok)
        self.copy_button.setEnabled(self.ok)

    def copy(self):
        if self._stale or self._thread is not None:
            self._stale = False
            self._show(*code_or_errors(self.controller.doc, self.style, self.controller.results))
        QGuiApplication.clipboard().setText(self.text)
        self.copied.emit("Copied the Python code to the clipboard")
