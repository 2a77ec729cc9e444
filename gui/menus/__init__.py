"""The menu bar, one module per menu: File (file.py), Edit (edit.py), View with its Theme submenu (view.py), Keras
(keras.py) and Help (help.py), built in that order by `build_menus(window)`. Every entry is made by
actions.make_action, which keeps it in `window.actions_by_name` under a stable name, so tests, the shortcuts table
and the keyboard user all reach the same actions; texts, shortcuts and order are what a person sees, so a change
to them is a change to the app.
"""

from __future__ import annotations

from gui.menus.edit import build_edit_menu
from gui.menus.file import build_file_menu
from gui.menus.help import build_help_menu
from gui.menus.keras import build_keras_menu
from gui.menus.view import build_view_menu


def build_menus(window):
    window.actions_by_name = {}
    bar = window.menuBar()
    build_file_menu(window, bar)
    build_edit_menu(window, bar)
    build_view_menu(window, bar)
    build_keras_menu(window, bar)
    build_help_menu(window, bar)
