"""Keras: Memory Limit… (the most memory the Keras worker process may use, kept in the settings) and Restart
Keras (a fresh worker process)."""

from __future__ import annotations

from gui.menus.actions import make_action
from gui.panels.training_panel import show_training_dock


def build_keras_menu(window, bar):
    menu = bar.addMenu("&Keras")
    menu.addAction(make_action(window, "keras_train", "&Train…", lambda: show_training_dock(window),
                               tip="Show the Training dock"))
    menu.addAction(make_action(window, "keras_memory_limit", "&Memory Limit…", window.ask_keras_memory_limit,
                               tip="The most memory the Keras worker process may use"))
    menu.addAction(make_action(window, "keras_restart", "&Restart Keras", window.keras.restart,
                               tip="Start a new Keras worker process (stops what it is doing)"))
    return menu
