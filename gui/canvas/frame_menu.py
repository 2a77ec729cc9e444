"""A frame's menu (right-click its title) and the edits that ask a person first: rename (a text question) and
colour (a named colour, or any colour from the colour dialog). Questions go through the view's Dialogs, so
tests answer them (tests/gui/fakes.py); each change is one undoable SetFrames command in the file's ui part.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu

from builder.editing.frame_edits import recolour_frame, remove_frames
from builder.model.document import GraphError
from builder.model.frames import NAMED_COLOURS, frame_by_id


def ask_rename(view, frame_id: str) -> bool:
    """Ask for a new title; cancelling changes nothing, an empty title is refused with a message."""
    current = frame_by_id(view.controller.doc, frame_id)["title"]
    title = view.dialogs.ask_text("Rename Frame", "Title:", current)
    if title is None or title == current:
        return False
    return view.edits.rename_frame(frame_id, title)


def recolour(view, frame_id: str, colour: str) -> bool:
    doc = view.controller.doc
    if frame_by_id(doc, frame_id)["colour"] == colour.lower():
        return False  # the same colour again: nothing to undo
    try:
        command = recolour_frame(doc, frame_id, colour)
    except GraphError as exc:
        view.status_message.emit(str(exc))
        return False
    return view.controller.push(command)


def ask_colour(view, frame_id: str) -> bool:
    current = frame_by_id(view.controller.doc, frame_id)["colour"]
    colour = view.dialogs.ask_colour("Frame Colour", current)
    return colour is not None and recolour(view, frame_id, colour)


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(colour).darker(140))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def frame_menu(view, frame_id: str) -> QMenu:
    """Rename…, Colour ▸ (the named colours, the current one checked, and Custom…), Delete Frame."""
    menu = QMenu(view)
    menu.addAction("&Rename…", lambda: ask_rename(view, frame_id)).setObjectName("rename")
    colours = menu.addMenu("&Colour")
    colours.setObjectName("colour")
    current = frame_by_id(view.controller.doc, frame_id)["colour"]
    for name, value in NAMED_COLOURS.items():
        action = colours.addAction(swatch(value), name, lambda _=False, v=value: recolour(view, frame_id, v))
        action.setObjectName(name)
        action.setCheckable(True)
        action.setChecked(value == current)
    colours.addSeparator()
    colours.addAction("&Custom…", lambda: ask_colour(view, frame_id)).setObjectName("custom")
    menu.addSeparator()
    menu.addAction("&Delete Frame", lambda: _delete(view, frame_id)).setObjectName("delete")
    return menu


def _delete(view, frame_id: str) -> bool:
    return view.controller.push(remove_frames(view.controller.doc, [frame_id]))
