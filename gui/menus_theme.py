"""View > Theme: System (follow the desktop, live), Light or Dark, for the whole window and the canvas at once.
The choice is kept in the window's QSettings and applied when the window is built."""

from __future__ import annotations

from PySide6.QtGui import QActionGroup

from gui.style import SETTINGS_KEY, saved_mode, theme_manager

ENTRIES = (("system", "Follow &System", "Ctrl+Alt+0", "Light or dark as the desktop is, switching when it does"),
           ("light", "&Light", "Ctrl+Alt+1", "Light colours for the whole window"),
           ("dark", "&Dark", "Ctrl+Alt+2", "Dark colours for the whole window"))


def add_theme_menu(window, view_menu, make_action):
    themes = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    for mode, text, key, tip in ENTRIES:
        action = make_action(window, f"theme_{mode}", text, lambda on, m=mode: on and set_theme(window, m), [key],
                             tip, checkable=True)
        group.addAction(action)
        themes.addAction(action)
    mode = saved_mode(window.settings)
    chosen = window.actions_by_name[f"theme_{mode}"]
    chosen.blockSignals(True)  # showing the saved choice is not a new choice to save
    chosen.setChecked(True)
    chosen.blockSignals(False)
    theme_manager().set_mode(mode)
    return themes


def set_theme(window, mode: str):
    theme_manager().set_mode(mode)
    window.settings.setValue(SETTINGS_KEY, mode)
