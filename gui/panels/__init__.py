"""Dock panels of the main window: palette, inspector, shapes & errors, code preview."""
