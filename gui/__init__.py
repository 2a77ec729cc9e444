"""Keras Canvas's desktop window (PySide6). Imported only when a window is asked for."""
