"""Which theme is shown now. A Theme pairs a window palette with a canvas palette; `use_theme` makes another
Theme the current one (the palette objects themselves never change), and everything that paints asks
`current_theme()`, `canvas_palette()` or `window_palette()` at paint time, so it follows the switch.

Before a theme is shown (gui/theme/manager.py shows one as the application starts) the current theme is dark,
the canvas's original look.
"""

from __future__ import annotations

from dataclasses import dataclass

from gui.theme.canvas_palette import DARK_CANVAS, LIGHT_CANVAS, CanvasPalette
from gui.theme.window_palette import DARK_WINDOW, LIGHT_WINDOW, WindowPalette

THEME_NAMES = ("light", "dark")
MODES = ("system", "light", "dark")  # what a person chooses; "system" follows the desktop


@dataclass(frozen=True)
class Theme:
    name: str
    window: WindowPalette
    canvas: CanvasPalette


THEMES = {"light": Theme("light", LIGHT_WINDOW, LIGHT_CANVAS), "dark": Theme("dark", DARK_WINDOW, DARK_CANVAS)}

_current = THEMES["dark"]


def theme(name: str) -> Theme:
    """The Theme called 'light' or 'dark'."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEME_NAMES)}")
    return THEMES[name]


def use_theme(name: str) -> Theme:
    """Make the theme called `name` the current one and return it; the caller repaints what shows it."""
    global _current
    _current = theme(name)
    return _current


def current_theme() -> Theme:
    return _current


def canvas_palette() -> CanvasPalette:
    """The canvas colours of the theme shown now (read it when painting, not once at import)."""
    return _current.canvas


def window_palette() -> WindowPalette:
    return _current.window
