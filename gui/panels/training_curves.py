"""Live training curves: loss and the first metric, per batch (thin) and per epoch (training and validation,
with markers), against epochs. pyqtgraph draws them; this module is imported only when the Training dock is
first shown (gui/panels/training_panel.py), so the window's start-up never loads it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QWidget

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
            plot.addLegend(offset=(-10, 10))
            plot.setMinimumHeight(120)
        layout = QHBoxLayout(self)  # side by side: the dock is wider than it is tall
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.metric_plot)
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

    def add(self, info: dict):
        logs = info.get("logs") or {}
        if self.metric is None:
            self.metric = next((k for k in logs if k != "loss" and not k.startswith("val_")), None)
            if self.metric:
                self.metric_plot.setTitle(self.metric)
        epoch = int(info.get("epoch") or 1)
        if info.get("phase") == "batch":
            steps = info.get("steps") or 1
            x = epoch - 1 + (info.get("batch") or 0) / steps
            self._extend("loss", "batch", x, logs.get("loss"))
            if self.metric:
                self._extend(self.metric, "batch", x, logs.get(self.metric))
            return
        for name in ("loss", self.metric):
            if name is None:
                continue
            self._extend(name, "train", epoch, logs.get(name))
            self._extend(name, "validation", epoch, logs.get(f"val_{name}"))

    def _extend(self, name: str, kind: str, x: float, y):
        if y is None:
            return
        key = f"{name}/{kind}"
        xs, ys = self.points.setdefault(key, ([], []))
        xs.append(x)
        ys.append(float(y))
        line = self.lines.get(key)
        if line is None:
            plot = self.loss_plot if name == "loss" else self.metric_plot
            pen = {"batch": BATCH_PEN, "train": TRAIN_PEN, "validation": VALIDATION_PEN}[kind]
            symbol = None if kind == "batch" else "o"
            line = self.lines[key] = plot.plot(name=f"{kind}", pen=pen, symbol=symbol, symbolSize=6,
                                               symbolBrush=pen.color())
        line.setData(xs, ys)

    def values(self, name: str, kind: str) -> list:
        return list(self.points.get(f"{name}/{kind}", ([], []))[1])
