"""Zoomed far out, frames come from a picture of the canvas (gui/canvas/overview_cache.py): it looks like the
live canvas, follows every change, and is used only where it is up to date."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor

from builder.editing.commands import SetParam
from gui.canvas import geometry
from gui.canvas.overview_cache import REBUILD_AFTER_MS
from tests.gui.canvas_driver import make_canvas
from tests.gui.test_canvas_large_graph import _long_graph


def zoomed_out(qtbot, blocks=250):
    controller, view = make_canvas(qtbot, _long_graph(blocks), size=(900, 600))
    view.fit_all(whole=True)
    assert view.zoom() < geometry.PLAIN_BELOW
    qtbot.waitUntil(lambda: view.overview.pixmap is not None, timeout=5000)
    return controller, view


def painted_from_picture(view) -> bool:
    """Repaint the viewport and say whether the picture painted it."""
    used = []
    original = view.overview.paint

    def spy(event):
        used.append(original(event))
        return used[-1]

    view.overview.paint = spy
    try:
        view.viewport().repaint()
    finally:
        view.overview.paint = original
    return used[-1]


def differing_share(a, b, tolerance=40) -> float:
    """The share of pixels whose colours differ by more than `tolerance` in some channel, seen at a sixth of
    the size (a one-pixel line drawn half a pixel further is the same picture)."""
    assert a.size() == b.size()
    size = a.size() / 6
    a, b = (image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
            for image in (a, b))
    step, differing, total = 1, 0, 0
    for y in range(0, a.height(), step):
        for x in range(0, a.width(), step):
            p, q = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            total += 1
            differing += max(abs(p.red() - q.red()), abs(p.green() - q.green()), abs(p.blue() - q.blue())) > tolerance
    return differing / total


def test_far_out_frames_come_from_a_picture_that_looks_like_the_live_canvas(qtbot, monkeypatch):
    _controller, view = zoomed_out(qtbot)
    assert painted_from_picture(view)
    from_picture = view.viewport().grab().toImage()
    monkeypatch.setattr(view.overview, "wanted", lambda: False)
    assert not painted_from_picture(view)
    live = view.viewport().grab().toImage()
    assert differing_share(from_picture, live) < 0.03


def test_panning_and_zooming_use_the_picture_and_zooming_redraws_it_sharp_once_it_stops(qtbot):
    _controller, view = zoomed_out(qtbot)
    builds = view.overview.builds
    view.pan_by(30, 10)
    assert painted_from_picture(view)
    view.zoom_by(1 / 1.1)
    assert painted_from_picture(view)  # scaled for now
    assert view.overview.builds == builds
    qtbot.waitUntil(lambda: view.overview.builds == builds + 1, timeout=5000)
    assert view.overview.zoom == view.zoom()
    qtbot.wait(3 * REBUILD_AFTER_MS)
    assert view.overview.builds == builds + 1  # no rebuild without a reason


def test_an_edit_drops_the_picture_until_it_is_drawn_again_with_the_edit(qtbot):
    controller, view = zoomed_out(qtbot, blocks=120)
    builds = view.overview.builds
    controller.push(SetParam("dense_3", "units", 16))  # add_3 now adds 16 to 32: an error, drawn in red
    qtbot.waitUntil(lambda: view.overview.pixmap is None, timeout=2000)
    assert not painted_from_picture(view)
    qtbot.waitUntil(lambda: view.overview.builds > builds and view.overview.pixmap is not None, timeout=5000)
    assert controller.results["add_3"].error
    assert painted_from_picture(view)


def test_closer_than_plain_zoom_or_outside_the_picture_paints_live(qtbot):
    _controller, view = zoomed_out(qtbot)
    view.pan_by(view.overview.pixmap.width() * 3, 0)  # far past what the picture covers
    assert not painted_from_picture(view)
    view.zoom_by(geometry.PLAIN_BELOW * 2 / view.zoom())
    qtbot.wait(3 * REBUILD_AFTER_MS)
    assert view.overview.pixmap is None or not painted_from_picture(view)
    assert not painted_from_picture(view)


def test_a_rubber_band_is_painted_live(qtbot, monkeypatch):
    _controller, view = zoomed_out(qtbot)
    monkeypatch.setattr(view, "rubberBandRect", lambda: QRect(10, 10, 50, 50))
    assert not painted_from_picture(view)


def test_zooming_draws_the_content_read_since_the_last_change_and_an_edit_reads_it_again(qtbot):
    """What the picture shows is read from the items once per change of the scene (issue 18): a zoom draws
    the same content at another scale; an edit drops it, and the next picture reads the edit's colours."""
    controller, view = zoomed_out(qtbot, blocks=120)
    content, builds = view.overview.content, view.overview.builds
    assert content is not None and content.bodies[False]
    view.zoom_by(1 / 1.1)
    qtbot.waitUntil(lambda: view.overview.builds > builds, timeout=5000)
    assert view.overview.content is content
    controller.push(SetParam("dense_3", "units", 16))  # add_3 in error: outlined in the error colour
    qtbot.waitUntil(lambda: view.overview.content is not content and view.overview.pixmap is not None,
                    timeout=5000)
    assert len(view.overview.content.outlines.get("error", [])) >= 1
