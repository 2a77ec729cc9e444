"""The evaluation after training, as a person looks at it: the held-out metrics, for a classifier the confusion
matrix as a picture and the worst-classified examples (images as images, rows as values), for a regression
predicted against true; for a model with several outputs, one such part per output under its name. Export PNG
writes the whole of it, atomically."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from builder.files.atomic_file import atomic_target

CELL = 26
WORST_COLUMNS = 4
CAPTION_STYLE = "font-size: 9px"


def confusion_image(matrix: list, classes: list) -> QImage:
    """Rows are the true classes, columns the predicted ones; darker is more examples, counts written in."""
    n = len(matrix)
    margin = 40
    image = QImage(margin + n * CELL + 4, margin + n * CELL + 4, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    most = max((max(row) for row in matrix), default=0) or 1
    painter = QPainter(image)
    painter.drawText(QRectF(margin, 0, n * CELL, 16), Qt.AlignmentFlag.AlignCenter, "predicted")
    painter.save()
    painter.translate(12, margin + n * CELL / 2)
    painter.rotate(-90)
    painter.drawText(QRectF(-40, -8, 80, 16), Qt.AlignmentFlag.AlignCenter, "true")
    painter.restore()
    for i in range(n):
        painter.drawText(QRectF(margin + i * CELL, 18, CELL, 18), Qt.AlignmentFlag.AlignCenter, str(classes[i])[:3])
        painter.drawText(QRectF(16, margin + i * CELL, 22, CELL), Qt.AlignmentFlag.AlignCenter, str(classes[i])[:3])
        for j in range(n):
            share = matrix[i][j] / most
            shade = int(255 - 200 * share)
            painter.fillRect(QRectF(margin + j * CELL, margin + i * CELL, CELL - 1, CELL - 1),
                             QColor(shade, shade, 255) if i == j else QColor(255, shade, shade))
            painter.setPen(QColor("black") if share < 0.6 else QColor("white"))
            painter.drawText(QRectF(margin + j * CELL, margin + i * CELL, CELL - 1, CELL - 1),
                             Qt.AlignmentFlag.AlignCenter, str(matrix[i][j]))
            painter.setPen(QColor("black"))
    painter.end()
    return image


def example_pixmap(pixels: list, size: int = 56) -> QPixmap:
    """An example image (rows of grey or RGB 0..255) as a pixmap of `size` pixels, pixels kept sharp."""
    rows, cols = len(pixels), len(pixels[0])
    channels = len(pixels[0][0]) if isinstance(pixels[0][0], list) else 1
    image = QImage(cols, rows, QImage.Format.Format_RGB32)
    for y in range(rows):
        for x in range(cols):
            value = pixels[y][x]
            r, g, b = (value * 3)[:3] if channels == 1 else value[:3]
            image.setPixelColor(x, y, QColor(r, g, b))
    return QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation)


class TrainingResults(QWidget):
    def __init__(self, dialogs, parent=None):
        super().__init__(parent)
        self.dialogs = dialogs
        self.summary = QLabel("The evaluation on the held-out examples appears here after training.")
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("Export PNG…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_png)
        top = QHBoxLayout()  # the button first: a wide confusion matrix must not push it out of sight
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.summary, 1)
        self.body = QVBoxLayout()  # one part per output, made afresh for each evaluation
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(self.body)
        layout.addStretch(1)
        self.picture = QLabel()  # the first output's confusion matrix (what a one-output model shows)
        self.scatter = None  # the first regression's predicted-against-true plot
        self.evaluation: dict = {}

    def show_evaluation(self, evaluation: dict):
        self.evaluation = evaluation
        while self.body.count():
            self.body.takeAt(0).widget().deleteLater()
        self.picture, self.scatter = QLabel(), None
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in (evaluation.get("metrics") or {}).items())
        self.summary.setText(f"Held out: {evaluation.get('examples', 0)} examples. {metrics}")
        parts = evaluation.get("outputs") or [evaluation]
        for i, part in enumerate(parts):
            self.body.addWidget(self._part(part, part.get("output") if len(parts) > 1 else None, first=i == 0))
        kinds = {part.get("kind") for part in parts}
        self.export_button.setEnabled(bool(kinds & {"classification", "regression"}))

    def _part(self, part: dict, title: str | None, first: bool) -> QWidget:
        """One output's evaluation: its confusion matrix and worst examples, or predicted against true."""
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 6, 0, 0)
        if title:
            heading = QLabel(f"<b>{html.escape(title)}</b> ({part.get('kind')})")
            layout.addWidget(heading)
        if part.get("kind") == "classification":
            picture = self.picture if first else QLabel()
            pixmap = QPixmap.fromImage(confusion_image(part["confusion"], part["classes"]))
            picture.setPixmap(pixmap)
            picture.setMinimumSize(pixmap.size())  # the scroll area scrolls; the matrix is never clipped
            layout.addWidget(picture)
            layout.addLayout(self._worst(part.get("worst") or []))
        elif part.get("kind") == "regression":
            scatter = self._scatter(part["true"], part["predicted"])
            self.scatter = self.scatter or scatter
            layout.addWidget(scatter)
        return widget

    def _worst(self, examples: list) -> QGridLayout:
        grid = QGridLayout()
        grid.addWidget(QLabel("Worst classified:"), 0, 0, 1, WORST_COLUMNS)
        for i, example in enumerate(examples):
            cell = QLabel()
            caption = f"{example['true']} → {example['predicted']} ({example['confidence']:.0%})"
            if "image" in example:
                cell.setPixmap(example_pixmap(example["image"]))
                cell.setToolTip(f"true {example['true']}, predicted {example['predicted']}")
            else:
                cell.setText(", ".join(map(str, example.get("values", [])[:6])))
            text = QLabel(caption)
            text.setStyleSheet(CAPTION_STYLE)
            cell.setMinimumWidth(64)
            text.setMinimumWidth(text.sizeHint().width())
            row, column = 1 + 2 * (i // WORST_COLUMNS), i % WORST_COLUMNS
            grid.addWidget(cell, row, column)
            grid.addWidget(text, row + 1, column)
        return grid

    def _scatter(self, true: list, predicted: list):
        import pyqtgraph as pg

        scatter = pg.PlotWidget(title="predicted against true")
        scatter.setLabel("bottom", "true")
        scatter.setLabel("left", "predicted")
        scatter.setMinimumSize(220, 180)
        scatter.setBackground(self.palette().color(self.palette().ColorRole.Base))
        scatter.plot(true, predicted, pen=None, symbol="o", symbolSize=5)
        if true:
            low, high = min(true + predicted), max(true + predicted)
            scatter.plot([low, high], [low, high], pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))
        return scatter

    def export_png(self, path: str | None = None) -> str | None:
        path = path or self.dialogs.save_path("Export Evaluation", "evaluation.png", "PNG images (*.png)", ".png")
        if not path:
            return None
        try:
            with atomic_target(path, keep_suffix=True) as tmp:
                if not self.grab().save(tmp, "PNG"):
                    raise OSError(f"cannot write {path}")
        except OSError as exc:
            self.dialogs.error("Export PNG", str(exc))
            return None
        return path
