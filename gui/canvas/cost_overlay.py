"""The cost overlay: nodes coloured by their MACs, parameters or activation memory (per sample), on a log scale
from the lightest to the heaviest node, with a legend in the view's corner. Off by default (View > Cost Overlay);
while it is on, the costs are recomputed after each edit (builder.cost, the same numbers as `check --json`)."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from builder.cost import graph_costs

MODES = {"macs": ("MACs per sample", "macs"), "params": ("parameter bytes", "param_bytes"),
         "activations": ("activation bytes per sample", "activation_bytes")}
LOW, HIGH = QColor("#2563eb"), QColor("#dc2626")  # light to heavy: blue to red, readable in both themes


def heat(fraction: float) -> QColor:
    """The overlay colour at a place from 0 (lightest) to 1 (heaviest)."""
    f = min(max(fraction, 0.0), 1.0)
    return QColor.fromRgbF(LOW.redF() + (HIGH.redF() - LOW.redF()) * f, LOW.greenF() + (HIGH.greenF() - LOW.greenF()) * f,
                           LOW.blueF() + (HIGH.blueF() - LOW.blueF()) * f)


def short_number(value: int) -> str:
    for limit, suffix in ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return str(value)


class CostOverlay(QObject):
    changed = Signal()

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.mode: str | None = None
        self.values: dict[str, int | None] = {}
        self.fractions: dict[str, float] = {}
        self.low = self.high = 0
        controller.edited.connect(lambda _edit: self.refresh() if self.mode else None)

    def set_mode(self, mode: str | None):
        self.mode = mode if mode in MODES else None
        self.refresh()

    def refresh(self):
        self.values, self.fractions = {}, {}
        if self.mode is not None:
            field = MODES[self.mode][1]
            costs = graph_costs(self.controller.doc.graph, self.controller.results)
            self.values = {n: getattr(c, field) for n, c in costs.items() if c is not None}
            known = [v for v in self.values.values() if v]
            self.low, self.high = (min(known), max(known)) if known else (0, 0)
            span = math.log10(self.high) - math.log10(self.low) if known and self.high > self.low else 0
            for node, value in self.values.items():
                if value:
                    self.fractions[node] = (math.log10(value) - math.log10(self.low)) / span if span else 1.0
                elif value == 0:
                    self.fractions[node] = -1.0  # costs nothing: drawn plain, with a note in the legend
        self.changed.emit()

    def heaviest(self, count: int = 5) -> list[tuple[str, int]]:
        ranked = sorted(((n, v) for n, v in self.values.items() if v), key=lambda kv: -kv[1])
        return ranked[:count]


class CostLegend(QFrame):
    """The legend in the view's corner: what is coloured, the gradient, the lightest and heaviest values."""

    def __init__(self, overlay: CostOverlay, parent: QWidget):
        super().__init__(parent)
        self.overlay = overlay
        self.setObjectName("cost_legend")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel()
        self.bar = _GradientBar()
        self.range = QLabel()
        for widget in (self.title, self.bar, self.range):
            layout.addWidget(widget)
        overlay.changed.connect(self.refresh)
        self.refresh()

    def refresh(self):
        mode = self.overlay.mode
        self.setVisible(mode is not None)
        if mode is None:
            return
        self.title.setText(f"<b>Cost overlay</b>: {MODES[mode][0]} (log scale)")
        self.range.setText(f"{short_number(self.overlay.low)}  …  {short_number(self.overlay.high)}"
                           "   (uncoloured: none or unknown)")
        self.adjustSize()
        self.place()

    def place(self):
        parent = self.parentWidget()
        if parent is not None:
            self.move(10, parent.height() - self.height() - 10)


class _GradientBar(QWidget):
    def __init__(self):
        super().__init__()
        self.setFixedHeight(12)
        self.setMinimumWidth(200)

    def paintEvent(self, event):
        painter = QPainter(self)
        gradient = QLinearGradient(0, 0, self.width(), 0)
        for stop in (0.0, 0.5, 1.0):
            gradient.setColorAt(stop, heat(stop))
        painter.fillRect(self.rect(), gradient)
        painter.setPen(Qt.PenStyle.NoPen)
