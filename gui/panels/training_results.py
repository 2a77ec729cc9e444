"""The evaluation after training, as a person looks at it: the held-out metrics, for a classifier the confusion
matrix as a picture and the worst-classified examples (images as images, rows as values), for a regression
predicted against true; Export PNG writes the whole of it, atomically."""

from __future__ import annotations

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
        self.picture = QLabel()
        self.worst = QGridLayout()
        self.export_button = QPushButton("Export PNG…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_png)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        body = QVBoxLayout()  # the matrix above the worst examples: narrow enough for the dock, it scrolls down
        body.addWidget(self.picture)
        body.addLayout(self.worst)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(body)
        self.scatter = None
        self.evaluation: dict = {}

    def show_evaluation(self, evaluation: dict):
        self.evaluation = evaluation
        while self.worst.count():
            self.worst.takeAt(0).widget().deleteLater()
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in (evaluation.get("metrics") or {}).items())
        self.summary.setText(f"Held out: {evaluation.get('examples', 0)} examples. {metrics}")
        self.picture.clear()
        if evaluation.get("kind") == "classification":
            picture = QPixmap.fromImage(confusion_image(evaluation["confusion"], evaluation["classes"]))
            self.picture.setPixmap(picture)
            self.picture.setMinimumSize(picture.size())  # the scroll area scrolls; the matrix is never clipped
            self.worst.addWidget(QLabel("Worst classified:"), 0, 0, 1, WORST_COLUMNS)
            for i, example in enumerate(evaluation.get("worst") or []):
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
                self.worst.addWidget(cell, row, column)
                self.worst.addWidget(text, row + 1, column)
        elif evaluation.get("kind") == "regression":
            self._show_scatter(evaluation["true"], evaluation["predicted"])
        self.export_button.setEnabled(evaluation.get("kind") in ("classification", "regression"))

    def _show_scatter(self, true: list, predicted: list):
        import pyqtgraph as pg

        if self.scatter is None:
            self.scatter = pg.PlotWidget(title="predicted against true")
            self.scatter.setLabel("bottom", "true")
            self.scatter.setLabel("left", "predicted")
            self.scatter.setMinimumSize(220, 180)
            self.scatter.setBackground(self.palette().color(self.palette().ColorRole.Base))
            self.worst.addWidget(self.scatter, 0, 0)
        self.scatter.clear()
        self.scatter.plot(true, predicted, pen=None, symbol="o", symbolSize=5)
        low, high = min(true + predicted), max(true + predicted)
        self.scatter.plot([low, high], [low, high], pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))

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
