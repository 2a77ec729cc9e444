"""The block's right-click menu (on its card or its frame's title) and the block actions the node menu and the
Edit menu offer. Each entry is one of the block edits of builder/editing/block_edits.py, one undo step:

    Expand / Collapse, Rename Block…, Ungroup, Use Again as Copy, Use Again Shared, Detach Into Own Copy,
    Select Its Layers

Every action has an objectName, so tests trigger them as a person would pick them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from builder.editing.block_edits import UseAgain, create_block, detach, rename_block, ungroup
from builder.editing.block_room import open_or_close
from builder.model.blocks import blocks_of, members
from builder.model.document import GraphError


def _action(menu: QMenu, name: str, text: str, slot, enabled: bool = True):
    action = menu.addAction(text, slot)
    action.setObjectName(name)
    action.setEnabled(enabled)
    return action


def _push_built(view, build, *args) -> bool:
    """Build a block edit (its refusal is a GraphError with the reason) and push it."""
    try:
        command = build(*args)
    except GraphError as exc:
        view.controller.refused.emit(str(exc))
        return False
    return bool(view.controller.push(command))


def block_menu(view, block: str) -> QMenu:
    controller = view.controller
    meta = blocks_of(controller.doc.graph).get(block, {})
    menu = QMenu(view)
    kind = {"model": "nested model", "sequential": "nested Sequential"}.get(meta.get("kind"), "block")
    title = menu.addAction(f"{block} ({kind})")
    title.setObjectName("title")
    title.setEnabled(False)
    menu.addSeparator()
    _action(menu, "toggle", "&Collapse" if not meta.get("collapsed") else "&Expand",
            lambda: _push_built(view, open_or_close, controller.doc, block, _shown(view)))
    _action(menu, "rename_block", "&Rename Block…", lambda: ask_rename_block(view, block))
    _action(menu, "ungroup", "&Ungroup", lambda: _push_built(view, ungroup, controller.doc, block))
    menu.addSeparator()
    shared = meta.get("shared")
    has_definition = meta.get("definition") is not None
    _action(menu, "use_copy", "Use Again as &Copy", lambda: use_again(view, block, False),
            not (has_definition and shared))
    _action(menu, "use_shared", "Use Again &Shared (same weights)", lambda: use_again(view, block, True),
            not has_definition or bool(shared))
    _action(menu, "detach", "&Detach Into Own Copy", lambda: _push_built(view, detach, controller.doc, block),
            has_definition)
    menu.addSeparator()
    _action(menu, "select_layers", "Select Its &Layers", lambda: controller.select(members(controller.doc.graph, block)))
    return menu


def _shown(view) -> dict:
    """Where the canvas shows each node (a node the document has not placed too)."""
    return {item.node_id: (item.pos().x(), item.pos().y()) for item in view.canvas_scene.node_items()}


def use_again(view, block: str, shared: bool) -> bool:
    command = UseAgain(block, shared)
    return view.controller.push(command)


def ask_rename_block(view, block: str) -> bool:
    new = view.dialogs.ask_text("Rename Block", "Name (a nested model's Keras name):", block)
    if new is None or new == block:
        return False
    return _push_built(view, rename_block, view.controller.doc, block, new)


def create_block_from_selection(view, kind: str = "group") -> bool:
    selected = list(view.controller.selected)
    if not selected:
        view.controller.refused.emit("select the nodes the block should hold first")
        return False
    try:
        _block, command = create_block(view.controller.doc, selected, kind=kind)
    except GraphError as exc:
        view.controller.refused.emit(f"cannot make a block: {exc}")
        return False
    return bool(view.controller.push(command))
