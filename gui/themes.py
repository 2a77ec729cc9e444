"""The window's two colour themes, light and dark, as plain data: the palette roles, the status colours (error,
warning, ok, muted), the code colours and the few stylesheet colours. gui/style.py applies one of them; the
canvas has its own pair in gui/canvas/style.py and switches with the window.

Every text colour here is chosen for a WCAG contrast of at least 4.5:1 against each background it is drawn
on (tests/gui/test_themes.py computes them), so body text is readable in both themes.
"""

from __future__ import annotations

from string import Template

from PySide6.QtGui import QColor, QPalette

THEMES = ("light", "dark")
MODES = ("system", "light", "dark")  # what a person chooses; "system" follows the desktop

Role = QPalette.ColorRole

# Active (and inactive) colours by palette role. Light keeps the look Fusion's own light palette had.
PALETTES = {
    "light": {
        Role.Window: "#eff0f2", Role.WindowText: "#1f2328", Role.Base: "#ffffff", Role.AlternateBase: "#f5f6f8",
        Role.Text: "#1f2328", Role.Button: "#e9ebee", Role.ButtonText: "#1f2328", Role.BrightText: "#ffffff",
        Role.Highlight: "#2563eb", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#fffbe6",
        Role.ToolTipText: "#1f2328", Role.PlaceholderText: "#5f6670", Role.Link: "#1d4ed8",
        Role.LinkVisited: "#6d28d9", Role.Light: "#ffffff", Role.Midlight: "#f7f7f8", Role.Mid: "#c4c8ce",
        Role.Dark: "#9ea3ab", Role.Shadow: "#5c6068",
    },
    "dark": {
        # Fields (Base) darker than the window, so they stand out from it as they do in the light theme.
        Role.Window: "#2a2c32", Role.WindowText: "#e6e8eb", Role.Base: "#1c1e22", Role.AlternateBase: "#23252a",
        Role.Text: "#e6e8eb", Role.Button: "#34373e", Role.ButtonText: "#e6e8eb", Role.BrightText: "#ffffff",
        Role.Highlight: "#2563eb", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#34373e",
        Role.ToolTipText: "#e6e8eb", Role.PlaceholderText: "#a3aab5", Role.Link: "#7cb4ff",
        Role.LinkVisited: "#c4a5ff", Role.Light: "#4a4e57", Role.Midlight: "#3d4047", Role.Mid: "#22242a",
        Role.Dark: "#16181c", Role.Shadow: "#0c0d0f",
    },
}
# Disabled text is meant to look unavailable: dimmer than body text, still legible.
DISABLED_TEXT = {"light": "#8b9099", "dark": "#7b8089"}

# The pairs whose contrast matters for body text: (text role, background role).
TEXT_PAIRS = [
    (Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button), (Role.HighlightedText, Role.Highlight), (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
]

# Status colours: error, warning, ok, muted (for "waits on ..." and hints), and stale (a generic node's Keras
# shape being recomputed: the canvas's STALE). Shown on Base, AlternateBase (tables, lists) and Window (status
# bar, inspector).
STATUS = {
    "light": {"error": "#c62828", "warning": "#9a5b00", "ok": "#1b6e20", "muted": "#5f6670", "stale": "#0e7490"},
    "dark": {"error": "#f87171", "warning": "#fbbf24", "ok": "#4ade80", "muted": "#a3aab5", "stale": "#38bdf8"},
}
STATUS_BACKGROUNDS = (Role.Base, Role.AlternateBase, Role.Window)

# Exported Python in the code view (on Base).
CODE = {
    "light": {"keyword": "#7b2cbf", "module": "#1565c0", "number": "#9a5b00", "string": "#1b6e20",
              "comment": "#5f6670"},
    "dark": {"keyword": "#c792ea", "module": "#82aaff", "number": "#f78c6c", "string": "#c3e88d",
             "comment": "#a3aab5"},
}

# Lines and fills of resources/style.qss that are not text.
CHROME = {
    "light": {"separator": "#e3e6ea", "dock_title": "#e4e7eb", "rule": "#d5d9df", "grid": "#e5e7eb",
              "item_rule": "#eef0f3", "invalid_fill": "#fff5f5"},
    "dark": {"separator": "#1a1c20", "dock_title": "#32353c", "rule": "#40444c", "grid": "#33363c",
             "item_rule": "#2c2f35", "invalid_fill": "#3a2024"},
}


def check_name(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    return name


def palette(name: str) -> QPalette:
    result = QPalette()
    for role, value in PALETTES[check_name(name)].items():
        result.setColor(role, QColor(value))
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT[name]))
    return result


def stylesheet(template: str, name: str) -> str:
    """resources/style.qss with this theme's colours put in for its $names."""
    values = {**CHROME[check_name(name)], **STATUS[name]}
    return Template(template).safe_substitute(values)


# ---- contrast (WCAG 2.x) ------------------------------------------------------------------------------------

def relative_luminance(colour) -> float:
    colour = QColor(colour)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(foreground, background) -> float:
    """From 1 (the same) to 21 (black on white); body text wants at least 4.5."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text_on(background) -> QColor:
    """White or black, whichever reads better on this background (one of them always reaches 4.58:1)."""
    white, black = QColor("#ffffff"), QColor("#000000")
    return white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black
