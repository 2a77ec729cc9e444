"""A readable default zoom (issue 13): fitting the view never goes below the zoom where node labels read at about
10 pixels (a graph too large for that shows its beginning, and the minimap the rest); under the zoom where a
card's own 9-point text would be smaller than that, cards draw a simplified label instead: the id and the
output shape, set LABEL_PIXELS high on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

import builder
from gui.canvas import geometry
from gui.canvas.face import short_shape
from gui.canvas.node_item import NodeItem
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import make_canvas, node_item
from tests.gui.test_canvas_large_graph import _long_graph


def labels_painted(view, monkeypatch) -> list[tuple]:
    """Render the view and record each simplified label: (node id, shape text, label height in pixels)."""
    drawn = []
    original = NodeItem._paint_label

    def spy(item, painter, face, lod, blocked):
        original(item, painter, face, lod, blocked)
        drawn.append((face.title, face.short_shape, painter.font().pixelSize() * lod))

    monkeypatch.setattr(NodeItem, "_paint_label", spy)
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    return drawn


def test_a_large_graph_fits_at_a_readable_zoom_showing_its_beginning(qtbot, monkeypatch):
    _controller, view = make_canvas(qtbot, _long_graph(100), size=(1000, 700))
    view.fit_all()
    assert view.zoom() == geometry.FIT_MIN_ZOOM
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(node_item(view, "x").sceneBoundingRect())  # the input, top left
    assert not visible.contains(node_item(view, "add_99").sceneBoundingRect())  # the rest: see the minimap
    assert view.minimap.isVisible()
    drawn = labels_painted(view, monkeypatch)
    assert drawn and all(pixels >= 10 for _id, _shape, pixels in drawn)
    assert ("x", "32", drawn[0][2]) in drawn or any(node == "dense_0" and shape == "32" for node, shape, _ in drawn)


def test_a_small_graph_fits_whole_and_zoomed_out_cards_show_id_and_shape_large(qtbot, monkeypatch):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"), size=(700, 450))
    view.fit_all()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(node_item(view, n).sceneBoundingRect()) for n in controller.doc.node_ids())
    assert geometry.FIT_MIN_ZOOM <= view.zoom() < geometry.LABEL_BELOW  # a small window: labels, not full cards
    drawn = labels_painted(view, monkeypatch)
    assert {node for node, _shape, _px in drawn} == set(controller.doc.node_ids())
    assert all(pixels >= 10 for _node, _shape, pixels in drawn)
    merged = controller.results["merged"].shape
    assert ("merged", short_shape(merged)) in {(node, shape) for node, shape, _px in drawn}
    view.resetTransform()  # at 100% the full card again, no label
    assert labels_painted(view, monkeypatch) == []


def test_short_shapes_drop_the_batch_and_mark_unknown_sizes():
    assert short_shape((None, 28, 28, 32)) == "28×28×32"
    assert short_shape((None, None, 16)) == "?×16"
    assert short_shape((None,)) == "(batch,)"


def test_zoomed_out_a_node_in_error_still_shows_its_lightbulb_and_a_click_there_opens_the_fixes(qtbot, monkeypatch):
    # The fitted view of a small graph draws labels; the lightbulb is the door to the fixes, so it is drawn too.
    _controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "shape_mismatch.json"), size=(700, 450))
    view.fit_all()
    assert view.zoom() < geometry.LABEL_BELOW
    bulbs = []
    original = NodeItem._paint_bulb
    monkeypatch.setattr(NodeItem, "_paint_bulb", lambda item, painter, rect: (bulbs.append(item.node_id),
                                                                              original(item, painter, rect)))
    labels_painted(view, monkeypatch)
    assert bulbs == ["merged"]
    opened = []
    monkeypatch.setattr(type(view), "open_fix_menu", lambda self, node, where: opened.append(node))
    merged = node_item(view, "merged")
    point = view.mapFromScene(merged.mapToScene(merged.bulb_rect().center()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened == ["merged"]
