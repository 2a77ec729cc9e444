"""Fixes in the window: the menu that lists a node's verified fixes (the canvas's lightbulb, the node's
right-click menu and the Shapes & Errors panel all use it), and applying one as a single undo step.

The fixes come from builder.fixes (each verified on a copy before it is listed); hovering an entry asks the
canvas to draw its ghost preview (the nodes it changes and their new shapes), closing the menu removes it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu

from builder.catalog.rules import fmt
from builder.fixes import Fix, fixes_for
from builder.fixes.edits import fix_command

NO_FIX = "No fix found that removes this problem without causing another"


def apply_fix(controller, fix: Fix) -> bool:
    """Push the fix as one undoable command; the fixed node is selected."""
    pushed = controller.push(fix_command(controller.doc, f"Fix {fix.node}: {fix.title}", fix.edits))
    if pushed and fix.node in controller.doc:
        controller.select([fix.node])
    return bool(pushed)


def bulb_icon() -> QIcon:
    """The lightbulb the canvas draws on a node with a problem, as a menu icon (no emoji font needed)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#a16207"), 1.0))
    painter.setBrush(QColor("#facc15"))
    painter.drawEllipse(QRectF(2.5, 0.5, 11, 10))
    painter.setBrush(QColor("#475569"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(5, 11, 6, 4), 1.5, 1.5)
    painter.end()
    return QIcon(pixmap)


def preview_text(fix: Fix) -> str:
    return "\n".join(f"{node} → {fmt(shape)}" for node, shape in fix.preview.items())


def add_fix_actions(menu: QMenu, controller, node: str, preview=None) -> list[Fix]:
    """Add one entry per verified fix of the node (least change first); `preview` (show(fix), clear()) draws
    the ghost while an entry is hovered. Returns the fixes listed."""
    result = controller.results.get(node)
    if result is None or not (result.error or result.warnings):
        return []
    fixes = fixes_for(controller.doc.graph, node, controller.results)
    menu.setToolTipsVisible(True)
    for index, fix in enumerate(fixes):
        action = menu.addAction(bulb_icon(), fix.title, lambda _=False, f=fix: apply_fix(controller, f))
        action.setObjectName(f"fix_{index}")
        action.setToolTip(preview_text(fix))
        if preview is not None:
            action.hovered.connect(lambda f=fix: preview.show(f))
    if not fixes:
        none = menu.addAction(NO_FIX)
        none.setObjectName("no_fix")
        none.setEnabled(False)
    if preview is not None:
        menu.aboutToHide.connect(preview.clear)
    return fixes


def fix_menu(parent, controller, node: str, preview=None) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("fix_menu")
    title = menu.addAction(f"Fixes for {node}")
    title.setEnabled(False)
    menu.addSeparator()
    add_fix_actions(menu, controller, node, preview)
    return menu
