"""Export the canvas as a PNG or SVG picture, for papers and slides: the whole graph, or only the selected
nodes (with their frames and the wires between them), drawn as on screen with shapes and parameter counts,
without the selection highlight."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from builder.files.atomic_file import atomic_target
from gui.theme import canvas_palette

MARGIN = 30.0
PNG_SCALE = 2.0  # twice the on-screen size: sharp when printed or shown on a large screen
MAX_PNG_SIDE = 16_000  # pixels; a huge graph is scaled down rather than failing to allocate


def export_rect(scene, selection_only: bool) -> QRectF:
    """The scene rectangle to export: around the selected nodes, or around every node and frame."""
    nodes = [scene.node_item(n) for n in scene.selected_node_ids()] if selection_only else scene.node_items()
    items = [i for i in nodes if i is not None]
    if not selection_only:
        items += scene.frame_items()
    rect = QRectF()
    for item in items:
        rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN) if not rect.isNull() else rect


def export_image(scene, path, selection_only: bool = False) -> Path:
    """Write the picture to path (.svg for SVG, anything else PNG). Raises ValueError when there is nothing to
    draw, OSError when the file cannot be written."""
    path = Path(path)
    rect = export_rect(scene, selection_only)
    if rect.isNull():
        raise ValueError("nothing to export: the canvas has no nodes" if not selection_only
                         else "nothing to export: select the nodes to export first")
    selected = scene.selectedItems()
    hidden = []
    if selection_only:
        keep = set(scene.selected_node_ids())
        hidden = [e for e in scene.edge_items() if not (e.source in keep and e.target in keep) and e.isVisible()]
        hidden += [n for n in scene.node_items() if n.node_id not in keep and n.isVisible()]
        hidden += [f for f in scene.frame_items() if not rect.contains(f.sceneBoundingRect()) and f.isVisible()]
    caches = {item: item.cacheMode() for item in scene.node_items()}
    try:
        for item in selected:
            item.setSelected(False)
        for item in hidden:
            item.setVisible(False)
        for item in caches:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # vector output, not cached pixmaps
        with atomic_target(path) as tmp:  # a failed export leaves the old picture, not half of a new one
            if path.suffix.lower() == ".svg":
                _write_svg(scene, rect, tmp)
            else:
                _write_png(scene, rect, tmp)
    finally:
        for item, mode in caches.items():
            item.setCacheMode(mode)
        for item in hidden:
            item.setVisible(True)
        for item in selected:
            item.setSelected(True)
    return path


def _write_png(scene, rect: QRectF, path: str):
    scale = min(PNG_SCALE, MAX_PNG_SIDE / max(rect.width(), rect.height()))
    image = QImage(QSize(round(rect.width() * scale), round(rect.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(canvas_palette().background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(image.rect()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


def _write_svg(scene, rect: QRectF, path: str):
    from PySide6.QtSvg import QSvgGenerator  # a separate Qt module: loaded only when an SVG is asked for

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(rect.width()), round(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle("Keras Canvas model")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot write {path}")
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not Path(path).stat().st_size:  # QSvgGenerator reports no write error of its own
        raise OSError(f"cannot write {path}")
