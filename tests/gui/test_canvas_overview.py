"""Minimap (click or drag to pan), image export (PNG and SVG, whole graph or selection, shapes visible), the
shortcuts list and the menus' shortcuts, and canvas colours that follow the window theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

import builder
from builder.catalog.rules import fmt
from gui.canvas.image_export import export_image
from gui.theme import canvas_palette, current_theme, theme_manager
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import make_canvas, node_item


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def _visible_centre(view):
    return view.mapToScene(view.viewport().rect().center())


def test_minimap_shows_the_visible_area_and_pans_on_click_and_drag(cnn, qtbot):
    controller, view = cnn
    view.fit_all()
    view.zoom_by(3.0)
    minimap = view.minimap
    assert minimap.isVisible()
    assert minimap.geometry().right() < view.viewport().width()  # in the corner, inside the canvas
    last = controller.doc.node_ids()[-1]
    target = node_item(view, last).sceneBoundingRect().center()
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=minimap.to_map(target).toPoint())
    assert (_visible_centre(view) - target).manhattanLength() < 20
    first = node_item(view, controller.doc.node_ids()[0]).sceneBoundingRect().center()
    start = minimap.to_map(target).toPoint()
    qtbot.mousePress(minimap, Qt.MouseButton.LeftButton, pos=start)
    end = minimap.to_map(first).toPoint()
    qtbot.mouseMove(minimap, end)
    qtbot.mouseRelease(minimap, Qt.MouseButton.LeftButton, pos=end)
    assert (_visible_centre(view) - first).manhattanLength() < 40
    minimap.grab()  # paints without error


def test_minimap_colours_nodes_and_catches_up_with_edits_after_a_short_pause(cnn, qtbot):
    from builder.catalog.specs import spec_for
    from builder.editing.commands import SetParam
    from gui.canvas.minimap import REDRAW_AFTER_MS

    controller, view = cnn
    view.fit_all()
    minimap = view.minimap
    centre = node_item(view, "merged").sceneBoundingRect().center()

    def strongest(colour: QColor) -> str:
        return max(("red", colour.red()), ("green", colour.green()), ("blue", colour.blue()), key=lambda c: c[1])[0]

    def strongest_channel_at_merged() -> str:
        """The node is a few pixels there, scaled and blended: its strongest channel tells the colour."""
        return strongest(minimap.grab().toImage().pixelColor(minimap.to_map(centre).toPoint()))

    merging = strongest(canvas_palette().category_colour(spec_for("Concatenate").category))
    assert merging != strongest(canvas_palette().error)
    assert strongest_channel_at_merged() == merging
    controller.push(SetParam("conv_5x5", "padding", "valid"))  # merged now joins mismatched sizes
    assert controller.results["merged"].error
    qtbot.wait(REDRAW_AFTER_MS * 3)
    assert strongest_channel_at_merged() == strongest(canvas_palette().error)
    controller.undo_stack.undo()
    qtbot.wait(REDRAW_AFTER_MS * 3)
    assert strongest_channel_at_merged() == merging


def test_export_png_and_svg_of_the_whole_graph_with_shapes(cnn, tmp_path):
    controller, view = cnn
    png = export_image(view.canvas_scene, tmp_path / "model.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 400
    svg = export_image(view.canvas_scene, tmp_path / "model.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    shapes = [fmt(r.shape) for r in controller.results.values() if r.shape is not None]
    assert any(shape in svg or shape.replace("×", "&#215;") in svg for shape in shapes)
    for node in controller.doc.node_ids():
        assert node in svg


def test_export_of_the_selection_only(cnn, tmp_path):
    controller, view = cnn
    nodes = controller.doc.node_ids()
    controller.select(nodes[:2])
    svg = export_image(view.canvas_scene, tmp_path / "part.svg", selection_only=True).read_text(encoding="utf-8")
    assert nodes[0] in svg and nodes[-1] not in svg
    assert controller.selected == nodes[:2]  # the selection is back, and everything is shown again
    assert all(item.isVisible() for item in view.canvas_scene.node_items())
    controller.select([])
    with pytest.raises(ValueError):
        export_image(view.canvas_scene, tmp_path / "none.png", selection_only=True)


def test_export_image_from_the_menu(window, dialogs, tmp_path):
    from tests.gui.conftest import open_example

    open_example(window, "dense_branches")
    dialogs.answers["save_path"].append(str(tmp_path / "graph.png"))
    window.actions_by_name["export_image_png"].trigger()
    assert (tmp_path / "graph.png").exists()
    dialogs.answers["save_path"].append(str(tmp_path / "graph.svg"))
    window.actions_by_name["export_image_svg"].trigger()
    assert (tmp_path / "graph.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_every_shortcut_is_listed_and_none_is_shared(window):
    from gui.menus.help import shortcut_rows, show_shortcuts

    seen = {}
    for name, action in window.actions_by_name.items():
        for sequence in action.shortcuts():
            key = sequence.toString()
            assert key not in seen, f"{key} is used by both {seen[key]} and {name}"
            seen[key] = name
    rows = shortcut_rows(window)
    listed = " ".join(keys for keys, _text in rows)
    for key in ("Ctrl+C", "Ctrl+V", "Ctrl+D", "Ctrl+F", "Ctrl+Z"):
        assert key in listed
    dialog = show_shortcuts(window)
    from PySide6.QtWidgets import QTableWidget

    assert dialog.isVisible() and dialog.findChild(QTableWidget).rowCount() == len(rows)
    dialog.close()
    for name in ("copy", "paste", "find", "minimap", "export_image_png", "shortcuts"):
        assert window.actions_by_name[name].shortcuts(), name  # shown next to the entry in the menu


def test_canvas_colours_follow_the_window_theme(cnn):
    """The canvas has no theme of its own: it switches with the window's (gui/theme/manager.py ThemeManager)."""
    _controller, view = cnn
    manager = theme_manager()
    try:
        manager.set_mode("light")
        assert current_theme().name == "light" and canvas_palette().background.lightness() > 200
        assert view.grab().toImage().pixelColor(5, 5).lightness() > 200
        manager.set_mode("dark")
        assert current_theme().name == "dark" and canvas_palette().background == QColor("#1c1e24")
        assert view.grab().toImage().pixelColor(5, 5).lightness() < 80
    finally:
        manager.set_mode("system")


@pytest.mark.parametrize("failure", ["save fails", "target is a folder", "missing folder"])
def test_a_failed_image_export_leaves_the_old_picture_and_no_temp_file(window, dialogs, tmp_path, monkeypatch,
                                                                        failure):
    from tests.gui.conftest import open_example

    open_example(window, "dense_branches")
    target = tmp_path / "graph.png"
    target.write_bytes(b"yesterday's picture")
    if failure == "save fails":  # a full disk: Qt says only that the write failed
        monkeypatch.setattr(QImage, "save", lambda *args, **kwargs: False)
    elif failure == "target is a folder":
        target = tmp_path / "a_folder.png"
        target.mkdir()
    else:
        target = tmp_path / "missing" / "graph.png"
    dialogs.answers["save_path"].append(str(target))
    window.actions_by_name["export_image_png"].trigger()
    title, message = dialogs.errors[-1]
    assert target.name in title + message
    if failure == "save fails":
        assert target.read_bytes() == b"yesterday's picture"
    leftovers = [p.name for p in tmp_path.rglob("*") if ".tmp" in p.name]
    assert leftovers == []


def test_the_minimap_fades_when_nodes_lie_under_it(cnn):
    """Issue 13: the minimap never hides a node; it fades while one lies under it."""
    _controller, view = cnn
    view.minimap.show()
    view.minimap.place()
    view.resetTransform()
    view.centerOn(-5000, -5000)  # nothing under the minimap
    view.minimap.repaint()
    assert not view.minimap.faded
    corner = view.mapToScene(view.minimap.geometry().center())
    item = view.canvas_scene.node_item("classes")
    view.centerOn(view.mapToScene(view.viewport().rect().center()) + (item.sceneBoundingRect().center() - corner))
    view.minimap.repaint()
    assert view.minimap.faded
