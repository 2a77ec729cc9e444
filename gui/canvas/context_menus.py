"""Right-click menus of the canvas (frames have their own: frame_menu.py). Each entry is an edit that already
exists elsewhere (Edit menu, inspector, builder.editing.insert_with_room), offered where the person points:

    node_menu(view, node_id)      Rename…, Duplicate, Duplicate Keeping Inputs, Delete, Delete Keeping Wires,
                                  Insert Layer After ▸ (layers that accept its output; with several nodes
                                  selected, the merge layers join them all), Select Upstream / Downstream,
                                  Frame Selection, Copy as Python
    wire_menu(view, wire)         its shape as the title, Insert Layer ▸ (layers that accept the tensor), Delete Wire
    canvas_menu(view, scene_pos)  Add Layer… (the search popup there), Paste, Auto-Layout, Fit to View, Select All

Every action has an objectName, so tests trigger them as a person would pick them.
"""

from __future__ import annotations

import networkx as nx
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.editing.commands import Delete, Rename
from builder.editing.compound import layers_accepting
from builder.editing.insert_with_room import add_after, add_on_wire, merge_after
from builder.keras.code_export import export_code
from builder.keras.plan import ModelError
from builder.model.blocks import block_of
from builder.model.document import GraphError
from gui.canvas import geometry
from gui.canvas.block_menu import block_menu, create_block_from_selection

INSERT_GAP = 60.0  # scene units between a node and a layer inserted after it


def _action(menu: QMenu, name: str, text: str, slot, shortcut: str = ""):
    action = menu.addAction(text, slot)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(shortcut)  # shown as a reminder; the window's own action handles the key
        action.setShortcutVisibleInContextMenu(True)
    return action


def _title(menu: QMenu, text: str):
    """A first line that says what the menu is about (Qt's section titles do not show in every style)."""
    title = menu.addAction(text)
    title.setObjectName("title")
    title.setEnabled(False)
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    menu.addSeparator()


def card_sizes(view) -> dict:
    """Card sizes as drawn, so making room clears real heights (merge layers grow)."""
    return {item.node_id: (item.card_rect().width(), item.card_rect().height())
            for item in view.canvas_scene.node_items()}


def _push_new(view, build, *args) -> str | None:
    """Build an insert-with-room edit and push it; the new node is selected. Refusals go to the status bar."""
    try:
        node, command = build(view.controller.doc, *args, sizes=card_sizes(view))
    except (GraphError, UnknownLayerError, ValueError) as exc:
        view.status_message.emit(str(exc))
        return None
    if view.controller.push(command):
        view.controller.select([node])
        return node
    return None


def _layer_menu(menu: QMenu, name: str, text: str, layers, choose) -> QMenu:
    sub = menu.addMenu(text)
    sub.setObjectName(name)
    for layer in layers:
        sub.addAction(layer, lambda _=False, chosen=layer: choose(chosen)).setObjectName(layer)
    if not layers:
        sub.addAction("No layer accepts this tensor").setEnabled(False)
    return sub


# ---- a node ------------------------------------------------------------------------------------------------------

def node_menu(view, node_id: str) -> QMenu:
    controller, edits = view.controller, view.edits
    if node_id not in controller.selected:
        controller.select([node_id])  # as everywhere: a right-click acts on what it points at
    selected = list(controller.selected)
    many = len(selected) > 1
    menu = QMenu(view)
    _title(menu, f"{len(selected)} nodes selected" if many else f"{node_id} ({controller.doc.layer(node_id)})")
    result = controller.results.get(node_id)
    if not many and result is not None and (result.error or result.warnings):
        # The lightbulb's fixes, first: they are why one right-clicks a node with a problem.
        from gui.fix_actions import add_fix_actions, bulb_icon

        fixes = menu.addMenu(bulb_icon(), "&Fixes")
        fixes.setObjectName("fixes")
        add_fix_actions(fixes, controller, node_id, view.fix_preview)
        menu.addSeparator()
    if not many:
        _action(menu, "rename", "&Rename…", lambda: ask_rename(view, node_id), "F2")
    _action(menu, "duplicate", "D&uplicate", edits.duplicate, "Ctrl+D")
    _action(menu, "duplicate_keep_inputs", "Duplicate Keeping &Inputs", edits.duplicate_keeping_inputs, "Ctrl+Shift+D")
    _action(menu, "delete", "&Delete", edits.delete_selection, "Del")
    _action(menu, "delete_keep_wires", "Delete &Keeping Wires", edits.delete_keeping_wires, "Ctrl+Del")
    menu.addSeparator()
    result = controller.results.get(node_id)
    accepted = layers_accepting(None if result is None else result.shape)
    if many:
        merges = [layer for layer in accepted if spec_for(layer).is_merge]
        _layer_menu(menu, "merge_into", "&Merge Selected Into", merges, lambda layer: merge_selected(view, layer))
    _layer_menu(menu, "insert_after", "Insert Layer &After", accepted,
                lambda layer: insert_after(view, node_id, layer))
    menu.addSeparator()
    _action(menu, "select_upstream", "Select &Upstream", lambda: select_connected(view, node_id, upstream=True))
    _action(menu, "select_downstream", "Select Do&wnstream", lambda: select_connected(view, node_id, upstream=False))
    _action(menu, "frame", "&Frame Selection", lambda: edits.frame_selection(), "Ctrl+Shift+G")
    _action(menu, "create_block", "Create &Block from Selection", lambda: create_block_from_selection(view), "Ctrl+B")
    block = block_of(controller.doc.graph, node_id)
    if block is not None:  # the menu of the block it is in, as its card or frame title gives
        sub = block_menu(view, block)
        sub.setTitle(f"Bloc&k {block}")
        sub.setObjectName("block_menu")
        menu.addMenu(sub)
    menu.addSeparator()
    _action(menu, "copy_python", "Copy as &Python", lambda: copy_as_python(view))
    return menu


def ask_rename(view, node_id: str) -> bool:
    new_id = view.dialogs.ask_text("Rename Node", "Id (the Keras layer name):", node_id)
    if new_id is None or new_id == node_id:
        return False
    if not view.controller.push(Rename(node_id, new_id)):
        return False
    view.controller.select([new_id])
    return True


def insert_after(view, node_id: str, layer: str) -> str | None:
    item = view.canvas_scene.node_item(node_id)
    at = (item.pos().x() + item.card_rect().width() + INSERT_GAP, item.pos().y()) if item else (0.0, 0.0)
    return _push_new(view, add_after, node_id, layer, at)


def merge_selected(view, layer: str) -> str | None:
    scene = view.canvas_scene
    items = [scene.node_item(n) for n in view.controller.selected if scene.node_item(n)]
    right = max(item.sceneBoundingRect().right() for item in items)
    middle = sum(item.sceneBoundingRect().center().y() for item in items) / len(items)
    at = (right + INSERT_GAP, middle - geometry.HEADER_HEIGHT)
    return _push_new(view, merge_after, list(view.controller.selected), layer, at)


def select_connected(view, node_id: str, upstream: bool):
    graph = view.controller.doc.graph
    found = nx.ancestors(graph, node_id) if upstream else nx.descendants(graph, node_id)
    view.controller.select([n for n in view.controller.doc.node_ids() if n in found or n == node_id])


def copy_as_python(view) -> bool:
    """The selected nodes and everything that feeds them, as a script that runs as it is."""
    doc = view.controller.doc
    wanted = set(view.controller.selected)
    for node in list(wanted):
        wanted |= nx.ancestors(doc.graph, node)
    try:
        code = export_code(doc.graph.subgraph([n for n in doc.node_ids() if n in wanted]).copy())
    except ModelError as exc:
        view.status_message.emit(f"Cannot copy as Python: {exc}")
        return False
    QGuiApplication.clipboard().setText(code)
    view.status_message.emit(f"Copied the Python code of {len(wanted)} node{'s' if len(wanted) != 1 else ''}")
    return True


# ---- a wire --------------------------------------------------------------------------------------------------------

def wire_menu(view, wire: tuple[str, str, int]) -> QMenu:
    source, target, _port = wire
    result = view.controller.results.get(source)
    shape = None if result is None else result.shape
    menu = QMenu(view)
    _title(menu, f"{source} → {target}: {fmt(shape)}" if shape is not None else f"{source} → {target}: no shape")
    _layer_menu(menu, "insert", "&Insert Layer", layers_accepting(shape), lambda layer: insert_on_wire(view, wire, layer))
    menu.addSeparator()
    _action(menu, "delete_wire", "&Delete Wire", lambda: view.controller.push(Delete((), [wire])), "Del")
    return menu


def insert_on_wire(view, wire, layer: str) -> str | None:
    scene = view.canvas_scene
    edge = scene.edge_item(*wire)
    middle = edge.path().pointAtPercent(0.5) if edge is not None else QPointF()
    at = (middle.x() - geometry.NODE_WIDTH / 2, middle.y() - geometry.HEADER_HEIGHT)
    return _push_new(view, add_on_wire, layer, at, wire)


# ---- empty canvas ----------------------------------------------------------------------------------------------------

def canvas_menu(view, scene_pos: QPointF) -> QMenu:
    menu = QMenu(view)
    _action(menu, "add_layer", "&Add Layer…", lambda: view.open_add_popup(scene_pos), "Tab")
    paste = _action(menu, "paste", "&Paste", lambda: view.edits.paste(scene_pos), "Ctrl+V")
    paste.setEnabled(bool(QGuiApplication.clipboard().text()))
    menu.addSeparator()
    _action(menu, "auto_layout", "Auto-&Layout", view.auto_layout, "Ctrl+L")
    _action(menu, "fit", "&Fit to View", view.fit_all, "F")
    _action(menu, "select_all", "Select &All", view.select_all, "Ctrl+A")
    return menu
