"""View: Fit to View, Auto-Layout, Snap to Grid, Minimap, Theme (Follow System, Light, Dark, for the whole window and the
canvas at once), the docks' show/hide entries, Reset Window Layout.

The theme choice is kept in the window's QSettings and applied when the window builds its menus.
"""

from __future__ import annotations

from PySide6.QtGui import QActionGroup

from gui.menus.actions import canvas_only, make_action, unless_typing
from gui.theme import SETTINGS_KEY, saved_mode, theme_manager

THEME_ENTRIES = (("system", "Follow &System", "Ctrl+Alt+0", "Light or dark as the desktop is, switching when it does"),
                 ("light", "&Light", "Ctrl+Alt+1", "Light colours for the whole window"),
                 ("dark", "&Dark", "Ctrl+Alt+2", "Dark colours for the whole window"))


def build_view_menu(window, bar):
    canvas = window.canvas
    menu = bar.addMenu("&View")
    fit = make_action(window, "fit", "&Fit to View", unless_typing(canvas.fit_all), ["Ctrl+0", "F"],
                      "Zoom so every node is visible")
    canvas_only(fit, canvas)  # F works after a menu command too, unless a text field is being edited
    menu.addAction(fit)
    menu.addAction(make_action(window, "auto_layout", "Auto-&Layout", canvas.auto_layout, ["Ctrl+L"],
                               "Arrange the nodes left to right by their order in the model, then fit the view"))
    menu.addAction(make_action(window, "snap", "&Snap to Grid", window.set_snap_to_grid, ["Ctrl+G"],
                               "Nodes snap to the grid while you drag them", checkable=True))
    minimap = make_action(window, "minimap", "&Minimap", canvas.minimap.setVisible, ["Ctrl+Shift+M"],
                          "Show an overview of the whole graph in the corner; click or drag it to pan",
                          checkable=True)
    minimap.setChecked(True)
    menu.addAction(minimap)
    add_theme_menu(window, menu)
    add_cost_menu(window, menu)
    menu.addSeparator()
    for dock in window.docks.values():
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    menu.addAction(make_action(window, "reset_layout", "Reset Window &Layout", window.reset_layout,
                               tip="Put every panel back where it started"))
    return menu


COST_ENTRIES = ((None, "&Off", "No colouring by cost"),
                ("macs", "&MACs", "Colour the nodes by multiply-accumulates per sample (log scale)"),
                ("params", "&Parameters", "Colour the nodes by the bytes of their weights (log scale)"),
                ("activations", "&Activation Memory", "Colour the nodes by the bytes of their output per sample"))


def add_cost_menu(window, view_menu):
    """View > Cost Overlay: colour the canvas's nodes by a cost, with a legend (gui/canvas/cost_overlay.py)."""
    costs = view_menu.addMenu("&Cost Overlay")
    group = QActionGroup(window)
    for mode, text, tip in COST_ENTRIES:
        action = make_action(window, f"cost_{mode or 'off'}", text,
                             lambda on, m=mode: on and window.canvas.set_cost_mode(m), [], tip, checkable=True)
        group.addAction(action)
        costs.addAction(action)
    window.actions_by_name["cost_off"].setChecked(True)
    return costs


def add_theme_menu(window, view_menu):
    themes = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    for mode, text, key, tip in THEME_ENTRIES:
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
