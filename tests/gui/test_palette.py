"""The palette: catalog layers by category, search, drags that carry the layer name, double-click/Enter adds
at the centre of the view."""

import pytest
from PySide6.QtCore import QPoint, Qt

from builder.catalog.ops import OP_SPECS
from builder.catalog.specs import CATALOG
from gui.panels.palette import LAYER_MIME
from tests.gui.canvas_driver import drop_layer

OPS = [spec.name for spec in OP_SPECS]


def test_every_catalog_layer_is_listed_under_its_category(palette):
    tree = palette.tree
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    assert set(groups) == {spec.category for spec in CATALOG.values()} | {"Operations"}  # keras.ops after the layers
    for spec in (*CATALOG.values(), *OP_SPECS):
        group = groups[spec.category]
        names = [group.child(i).text(0) for i in range(group.childCount())]
        assert spec.name in names
    assert palette.visible_layers() == [*CATALOG, *OPS]
    assert "Joins its inputs along one axis" in palette.items["Concatenate"].toolTip(0)


@pytest.mark.parametrize("text, expected", [
    ("conv", [name for name, spec in CATALOG.items() if spec.category == "Convolution"]),
    ("POOL", [name for name, spec in CATALOG.items() if spec.category == "Pooling"]),
    # keras.ops joins come up with the merge layers: their search words include "merge" and "join".
    ("merg", [*(name for name, spec in CATALOG.items() if spec.category == "Merging"), "ops.concatenate", "ops.stack",
              "ops.add"]),
    ("join axis", ["Concatenate", "ops.concatenate", "ops.stack"]),
    ("zzz", []),
    ("", [*CATALOG, *OPS]),
])
def test_search_filters_by_name_category_and_description(palette, text, expected):
    palette.search.setText(text)
    assert palette.visible_layers() == expected
    tree = palette.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        visible = [group.child(j) for j in range(group.childCount()) if not group.child(j).isHidden()]
        assert group.isHidden() == (not visible)


def test_dragged_entry_carries_the_layer_mime_type(palette):
    item = palette.items["Conv2D"]
    data = palette.tree.mimeData([item])
    assert LAYER_MIME in data.formats() and bytes(data.data(LAYER_MIME)).decode() == "Conv2D"
    assert palette.tree.mimeData([palette.tree.topLevelItem(0)]) is None  # a heading drags nothing
    assert item.flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_double_click_and_enter_ask_to_add(palette, qtbot):
    tree = palette.tree
    with qtbot.waitSignal(palette.add_requested) as signal:
        tree.itemActivated.emit(palette.items["Dense"], 0)
    assert signal.args == ["Dense"]
    tree.setCurrentItem(palette.items["Flatten"])
    with qtbot.waitSignal(palette.add_requested) as signal:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert signal.args == ["Flatten"]
    palette.search.setText("dropout")
    with qtbot.waitSignal(palette.add_requested) as signal:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert signal.args == ["Dropout"]


def test_palette_add_places_the_layer_at_the_view_centre_and_selects_it(window):
    window.palette.tree.itemActivated.emit(window.palette.items["Conv2D"], 0)
    doc = window.controller.doc
    assert doc.node_ids() == ["conv_1"] and doc.layer("conv_1") == "Conv2D"
    assert window.controller.selected == ["conv_1"] and window.inspector.node_id == "conv_1"
    centre = window.canvas.mapToScene(window.canvas.viewport().rect().center())
    x, y = doc.positions["conv_1"]
    assert abs(x - centre.x()) < 400 and abs(y - centre.y()) < 400
    assert window.controller.undo_stack.undoText() == "Add Conv2D conv_1"


def test_palette_drag_data_drops_onto_the_canvas(window):
    mime = window.palette.tree.mimeData([window.palette.items["Dense"]])
    assert bytes(mime.data(LAYER_MIME)).decode() == "Dense"
    node = drop_layer(window.canvas, "Dense", QPoint(200, 150))  # the same mime type and payload
    assert node is not None and window.controller.doc.layer(node) == "Dense"
