"""The look of the whole window, as a leaf of gui/: it imports nothing of gui/, only PySide6, the standard library
and builder's resources lookup (the stylesheet's file).

Each theme (light, dark) is a pair of frozen palette objects: a WindowPalette (Qt palette roles, status, code and
stylesheet colours: window_palette.py) and a CanvasPalette (canvas colours: canvas_palette.py). current.py holds
which Theme is shown; a switch replaces that object and never rewrites a colour in place, and everything that
paints reads `canvas_palette()` / `window_palette()` at paint time. manager.py applies a theme to the
application and follows the desktop; status.py colours labels by status; contrast.py has the WCAG arithmetic the
palettes are checked with.
"""

from gui.theme.canvas_palette import DARK_CANVAS, LIGHT_CANVAS, CanvasPalette
from gui.theme.contrast import contrast_ratio, readable_text_on
from gui.theme.current import (
    MODES,
    THEME_NAMES,
    THEMES,
    Theme,
    canvas_palette,
    current_theme,
    theme,
    use_theme,
    window_palette,
)
from gui.theme.manager import SETTINGS_KEY, ThemeManager, apply_style, saved_mode, theme_manager
from gui.theme.status import set_status, status_colour
from gui.theme.window_palette import DARK_WINDOW, LIGHT_WINDOW, WindowPalette

__all__ = [
    "DARK_CANVAS", "DARK_WINDOW", "LIGHT_CANVAS", "LIGHT_WINDOW", "MODES", "SETTINGS_KEY", "THEMES", "THEME_NAMES",
    "CanvasPalette", "Theme", "ThemeManager", "WindowPalette", "apply_style", "canvas_palette", "contrast_ratio",
    "current_theme", "readable_text_on", "saved_mode", "set_status", "status_colour", "theme", "theme_manager",
    "use_theme", "window_palette",
]
