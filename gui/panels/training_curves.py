"""Live training curves: the loss and one metric at a time (chosen above its plot: every metric Keras logs, so a
model with several outputs shows each output's loss and metrics, `digit_accuracy`, `size_loss`, ...), per batch
(thin) and per epoch (training and validation, with markers), against epochs. Every series is kept, so choosing
another metric draws its whole history. pyqtgraph draws them; this module is imported only when the Training dock
is first shown (gui/panels/training_panel.py), so the window's start-up never loads it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

BATCH_PEN = pg.mkPen("#7f8c8d", width=1)
TRAIN_PEN = pg.mkPen("#1f77b4", width=2)
VALIDATION_PEN = pg.mkPen("#d62728", width=2)


class TrainingCurves(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.loss_plot = pg.PlotWidget(title="loss")
        self.metric_plot = pg.PlotWidget(title="metric")
        base, text = self.palette().color(QPalette.ColorRole.Base), self.palette().color(QPalette.ColorRole.Text)
        for plot in (self.loss_plot, self.metric_plot):
            plot.setBackground(base)  # the window's theme, not pyqtgraph's black
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(text)
                plot.getAxis(axis).setPen(text)
            plot.setLabel("bottom", "epoch")
            plot.showGrid(x=True, y=True, alpha=0.25)
            # small, on a backing of the plot's own colour: in a narrow dock the legend sits over the curves
            backing = pg.mkColor(base)
            backing.setAlpha(210)
            plot.addLegend(offset=(-5, 5), labelTextSize="7pt", brush=pg.mkBrush(backing),
                           labelTextColor=text)
            plot.setMinimumHeight(120)
        self.metric_choice = QComboBox()
        self.metric_choice.setToolTip("The metric drawn on the right: every metric Keras logs, per output for a "
                                      "model with several")
        self.metric_choice.currentTextChanged.connect(self.show_metric)
        self.metric_choice.hide()  # until Keras logs a metric
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.metric_choice)
        right.addWidget(self.metric_plot)
        layout = QHBoxLayout(self)  # side by side: the dock is wider than it is tall
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addLayout(right)
        self.points: dict[str, tuple[list, list]] = {}
        self.lines: dict[str, object] = {}
        self.metric = None

    def clear(self):
        self.points.clear()
        self.metric = None
        for plot in (self.loss_plot, self.metric_plot):
            plot.clear()
        self.metric_plot.setTitle("metric")
        self.lines.clear()
        self.metric_choice.blockSignals(True)
        self.metric_choice.clear()
        self.metric_choice.blockSignals(False)
        self.metric_choice.hide()

    def metrics(self) -> list[str]:
        return [self.metric_choice.itemText(i) for i in range(self.metric_choice.count())]

    def add(self, info: dict):
        logs = info.get("logs") or {}
        names = [k for k in logs if k != "loss" and not k.startswith("val_")]
        new = [n for n in names if n not in self.metrics()]
        if new:  # the first is the first output's first metric (Keras logs losses after it for several outputs)
            self.metric_choice.addItems(sorted(new, key=lambda n: (n.endswith("_loss"), names.index(n))))
            self.metric_choice.show()
            if self.metric is None:
                self.show_metric(self.metric_choice.itemText(0))
        epoch = int(info.get("epoch") or 1)
        if info.get("phase") == "batch":
            steps = info.get("steps") or 1
            x = epoch - 1 + (info.get("batch") or 0) / steps
            for name in ["loss", *names]:
                self._extend(name, "batch", x, logs.get(name))
            return
        for name in ["loss", *names]:
            self._extend(name, "train", epoch, logs.get(name))
            self._extend(name, "validation", epoch, logs.get(f"val_{name}"))

    def show_metric(self, name: str):
        """Draw `name`'s whole history on the metric plot (chosen in the combo, or the first one logged)."""
        if not name:
            return
        self.metric = name
        if self.metric_choice.currentText() != name:
            self.metric_choice.setCurrentText(name)
        self.metric_plot.clear()
        self.metric_plot.setTitle(name)
        for key in [k for k in self.lines if not k.startswith("loss/")]:
            del self.lines[key]
        for kind in ("batch", "train", "validation"):
            if f"{name}/{kind}" in self.points:
                self._draw(name, kind)

    def _extend(self, name: str, kind: str, x: float, y):
        if y is None:
            return
        xs, ys = self.points.setdefault(f"{name}/{kind}", ([], []))
        xs.append(x)
        ys.append(float(y))
        if name in ("loss", self.metric):
            self._draw(name, kind)

    def _draw(self, name: str, kind: str):
        key = f"{name}/{kind}"
        line = self.lines.get(key)
        if line is None:
            plot = self.loss_plot if name == "loss" else self.metric_plot
            pen = {"batch": BATCH_PEN, "train": TRAIN_PEN, "validation": VALIDATION_PEN}[kind]
            symbol = None if kind == "batch" else "o"
            line = self.lines[key] = plot.plot(name=f"{kind}", pen=pen, symbol=symbol, symbolSize=6,
                                               symbolBrush=pen.color())
        line.setData(*self.points[key])

    def values(self, name: str, kind: str) -> list:
        return list(self.points.get(f"{name}/{kind}", ([], []))[1])
