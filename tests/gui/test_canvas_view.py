"""The canvas view: selection in sync with the controller, keys, the add popup, zoom, pan, fit, layout."""

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

import builder
from builder.catalog.ops import OP_SPECS
from builder.editing.commands import Move
from builder.layout.auto_layout import auto_layout
from gui.canvas import geometry
from gui.theme import canvas_palette
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, click_node, make_canvas, node_item, snapshot


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def _scene_selection(view):
    return sorted(item.node_id for item in view.canvas_scene.selectedItems() if hasattr(item, "node_id"))


def _viewport_mouse(view, kind, pos, button, buttons):
    event = QMouseEvent(kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def _wheel(view, pos, delta):
    event = QWheelEvent(QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0), QPoint(0, delta),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


# ---- selection ----------------------------------------------------------------------------------------------

def test_controller_selection_selects_on_the_canvas(cnn, qtbot):
    controller, view = cnn
    controller.select(["conv_5x5", "dense"])
    assert _scene_selection(view) == ["conv_5x5", "dense"]
    controller.select([])
    assert _scene_selection(view) == []


def test_canvas_clicks_select_in_the_controller(cnn, qtbot):
    controller, view = cnn
    with qtbot.waitSignal(controller.selection_changed) as blocker:
        click_node(view, "merged")
    assert blocker.args[0] == ["merged"] and controller.selected == ["merged"]
    click_node(view, "image", ctrl=True)
    assert controller.selected == ["image", "merged"]  # document order
    click_node(view, "dense")
    assert controller.selected == ["dense"]


def test_ctrl_a_selects_everything(cnn, qtbot):
    controller, view = cnn
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert controller.selected == controller.doc.node_ids()
    assert _scene_selection(view) == sorted(controller.doc.node_ids())
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert controller.selected == []


def test_rubber_band_selects_the_nodes_it_touches(cnn):
    controller, view = cnn
    view.resetTransform()
    view.centerOn(500, 50)
    top_left = view.mapFromScene(QPointF(260, -170))
    bottom_right = view.mapFromScene(QPointF(520, 320))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _viewport_mouse(view, QEvent.Type.MouseButtonPress, top_left, left, left)
    _viewport_mouse(view, QEvent.Type.MouseMove, (top_left + bottom_right) / 2, none, left)
    _viewport_mouse(view, QEvent.Type.MouseMove, bottom_right, none, left)
    _viewport_mouse(view, QEvent.Type.MouseButtonRelease, bottom_right, left, none)
    assert controller.selected == ["conv_3x3", "conv_5x5", "conv_7x7"]
    assert not any(edge.isSelected() for edge in view.canvas_scene.edge_items())  # wires it crossed
    assert view.canvas_scene.rubber_band_active is False


def test_selected_node_is_drawn_with_the_selection_outline(cnn):
    controller, view = cnn
    controller.select(["dense"])
    assert node_item(view, "dense").outline_pen().color() == canvas_palette().node_selected
    assert node_item(view, "flatten").outline_pen().color() == canvas_palette().node_border


# ---- add popup ------------------------------------------------------------------------------------------------

def test_tab_opens_the_popup_and_enter_adds_at_its_position(cnn, qtbot):
    controller, view = cnn
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    popup = view.add_popup
    assert popup is not None and popup.isVisible()
    popup.close()
    before = snapshot(controller)
    popup = view.open_add_popup(QPointF(1500, 300))
    qtbot.keyClicks(popup.search, "drop")
    assert popup.visible_layers()[0] == "Dropout"  # first of the dropouts (issue 17 added five more)
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert controller.doc.layer("dropout_1") == "Dropout"
    assert controller.doc.positions["dropout_1"] == (1500, 300)
    assert controller.selected == ["dropout_1"]
    check_undo_redo(controller, before)


def test_popup_filters_ranks_and_closes_on_escape(cnn, qtbot):
    controller, view = cnn
    popup = view.open_add_popup(QPointF(0, 0))
    assert len(popup.visible_layers()) == len(builder.CATALOG) + len(OP_SPECS)  # the layers, then keras.ops
    qtbot.keyClicks(popup.search, "pool")
    assert popup.visible_layers()[:2] == ["MaxPooling2D", "AveragePooling2D"]
    assert "GlobalAveragePooling2D" in popup.visible_layers()
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    assert popup.list.currentRow() == 1
    popup.search.clear()
    qtbot.keyClicks(popup.search, "merg")  # a category
    assert popup.visible_layers() == [name for name, spec in builder.CATALOG.items() if spec.category == "Merging"]
    count = len(controller.doc)
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible() and len(controller.doc) == count


def test_clicking_a_popup_entry_adds_it(cnn, qtbot):
    controller, view = cnn
    popup = view.open_add_popup(QPointF(40, 400))
    item = next(popup.list.item(i) for i in range(popup.list.count()) if popup.list.item(i).text().split()[0] == "Add")
    popup.list.itemClicked.emit(item)
    assert controller.doc.layer("add_1") == "Add" and controller.doc.positions["add_1"] == (40, 400)


def test_double_click_on_empty_canvas_opens_the_popup(cnn):
    _controller, view = cnn
    empty_spot = view.mapFromScene(QPointF(-3000, -3000))
    view.centerOn(-3000, -3000)
    empty_spot = view.mapFromScene(QPointF(-3000, -3000))
    left = Qt.MouseButton.LeftButton
    _viewport_mouse(view, QEvent.Type.MouseButtonDblClick, empty_spot, left, left)
    assert view.add_popup is not None and view.add_popup.isVisible()
    view.add_popup.close()


# ---- zoom, pan, fit -------------------------------------------------------------------------------------------

def test_wheel_zooms_around_the_cursor_and_is_clamped(cnn):
    _controller, view = cnn
    view.resetTransform()
    cursor = QPoint(200, 150)
    anchor = view.mapToScene(cursor)
    _wheel(view, cursor, 120)
    assert view.zoom() > 1.0
    assert (view.mapToScene(cursor) - anchor).manhattanLength() < 2  # the point under the cursor stays
    for _ in range(40):
        _wheel(view, cursor, 120)
    assert view.zoom() == pytest.approx(geometry.MAX_ZOOM)
    for _ in range(80):
        _wheel(view, cursor, -120)
    assert view.zoom() == pytest.approx(geometry.MIN_ZOOM)


def test_middle_drag_and_space_drag_pan(cnn, qtbot):
    _controller, view = cnn
    view.resetTransform()
    view.centerOn(0, 0)
    middle, none = Qt.MouseButton.MiddleButton, Qt.MouseButton.NoButton
    before = view.mapToScene(view.viewport().rect().center())
    _viewport_mouse(view, QEvent.Type.MouseButtonPress, QPoint(300, 300), middle, middle)
    _viewport_mouse(view, QEvent.Type.MouseMove, QPoint(200, 250), none, middle)
    _viewport_mouse(view, QEvent.Type.MouseButtonRelease, QPoint(200, 250), middle, none)
    after = view.mapToScene(view.viewport().rect().center())
    assert (after - before).toTuple() == pytest.approx((100, 50), abs=1)

    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    left = Qt.MouseButton.LeftButton
    _viewport_mouse(view, QEvent.Type.MouseButtonPress, QPoint(300, 300), left, left)
    _viewport_mouse(view, QEvent.Type.MouseMove, QPoint(350, 300), none, left)
    _viewport_mouse(view, QEvent.Type.MouseButtonRelease, QPoint(350, 300), left, none)
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    moved = view.mapToScene(view.viewport().rect().center())
    assert (moved - after).toTuple() == pytest.approx((-50, 0), abs=1)
    assert view.canvas_scene.selectedItems() == []  # panning is not a rubber band


def test_fit_all_shows_every_node(cnn):
    controller, view = cnn
    view.resetTransform()
    view.scale(3, 3)
    view.centerOn(-5000, -5000)
    view.fit_all()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for node_id in controller.doc.node_ids():
        assert visible.contains(node_item(view, node_id).sceneBoundingRect())
    assert geometry.MIN_ZOOM <= view.zoom() <= 1.25


def test_a_fitted_view_stays_fitted_as_the_canvas_resizes_until_the_person_moves_it(cnn):
    """A file opens fitted, and then the window settles its docks: the whole graph must stay in view."""
    controller, view = cnn

    def everything_visible() -> bool:
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        return all(visible.contains(node_item(view, n).sceneBoundingRect()) for n in controller.doc.node_ids())

    view.resize(1200, 800)
    view.fit_all()
    view.resize(500, 300)
    assert everything_visible()
    view.resize(1400, 900)
    assert everything_visible() and view.zoom() <= 1.25
    for move in (lambda: view.pan_by(40, 0), lambda: view.zoom_by(1.5), lambda: view.center_on_node("dense")):
        view.fit_all()
        move()
        transform = view.transform()
        view.resize(420, 260)
        assert view.transform() == transform  # the person's zoom is kept; no refit
        view.resize(1400, 900)


def test_fit_all_and_center_on_node_with_few_or_no_nodes(qtbot):
    _controller, view = make_canvas(qtbot)
    view.fit_all()
    assert view.zoom() == 1.0
    node_id = view.add_node_at("Dense", QPointF(2000, 1000))
    view.fit_all()
    assert view.zoom() <= 1.25
    view.centerOn(0, 0)
    view.center_on_node(node_id)
    centre = view.mapToScene(view.viewport().rect().center())
    assert node_item(view, node_id).sceneBoundingRect().contains(centre)
    view.center_on_node("missing")  # ignored


# ---- layout -------------------------------------------------------------------------------------------------------

def test_auto_layout_is_one_undo_step(cnn):
    controller, view = cnn
    controller.push(Move({"flatten": (10, 900), "image": (-400, 700)}))
    before = snapshot(controller)
    view.auto_layout()
    assert controller.undo_stack.undoText() == "Auto-layout"
    expected = auto_layout(controller.doc.graph)
    for node_id, (x, y) in expected.items():
        assert node_item(view, node_id).pos().toTuple() == (x, y)
    check_undo_redo(controller, before)


def test_snap_to_grid_property(cnn):
    _controller, view = cnn
    assert view.snap_to_grid is False
    view.snap_to_grid = True
    assert view.snap_to_grid is True and view.canvas_scene.snap_to_grid is True


def test_deleting_a_selected_node_drops_it_from_the_controller_selection(cnn, qtbot):
    controller, view = cnn
    controller.select(["flatten", "dense"])
    with qtbot.waitSignal(controller.selection_changed):
        view.delete_selection()
    assert controller.selected == [] and view.canvas_scene.selectedItems() == []
    controller.undo_stack.undo()
    assert "flatten" in controller.doc and controller.selected == []
