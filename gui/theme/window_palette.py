"""The window's colours for one theme, as one frozen object: the Qt palette roles, the status colours (error,
warning, ok, muted, stale), the code colours and the few stylesheet colours of resources/style.qss. There is
one instance for light (LIGHT_WINDOW) and one for dark (DARK_WINDOW); gui/theme/manager.py applies one.

Every text colour here is chosen for a WCAG contrast of at least 4.5:1 against each background it is drawn
on (tests/gui/test_themes.py computes them), so body text is readable in both themes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Template
from types import MappingProxyType

from PySide6.QtGui import QColor, QPalette

Role = QPalette.ColorRole

# The pairs whose contrast matters for body text: (text role, background role).
TEXT_PAIRS = (
    (Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button), (Role.HighlightedText, Role.Highlight), (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
)
# Where status colours are shown: Base, AlternateBase (tables, lists) and Window (status bar, inspector).
STATUS_BACKGROUNDS = (Role.Base, Role.AlternateBase, Role.Window)
STATUS_KINDS = ("error", "warning", "ok", "muted", "stale")


@dataclass(frozen=True)
class WindowPalette:
    """Colours as '#rrggbb' strings, read-only (the mappings are read-only views)."""

    name: str
    roles: Mapping[QPalette.ColorRole, str]  # active (and inactive) colour by palette role
    disabled_text: str  # dimmer than body text, so it looks unavailable, and still legible
    # error, warning, ok, muted (for "waits on ..." and hints), and stale (a generic node's Keras shape being
    # recomputed: the canvas's `stale`)
    status: Mapping[str, str]
    code: Mapping[str, str]  # exported Python in the code view (on Base): keyword, module, number, string, comment
    chrome: Mapping[str, str]  # lines and fills of resources/style.qss that are not text

    def qpalette(self) -> QPalette:
        result = QPalette()
        for role, value in self.roles.items():
            result.setColor(role, QColor(value))
        for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
            result.setColor(QPalette.ColorGroup.Disabled, role, QColor(self.disabled_text))
        return result

    def stylesheet(self, template: str) -> str:
        """resources/style.qss with this theme's colours put in for its $names."""
        return Template(template).safe_substitute({**self.chrome, **self.status})


def _palette(name, roles, disabled_text, status, code, chrome) -> WindowPalette:
    return WindowPalette(name, MappingProxyType(roles), disabled_text, MappingProxyType(status),
                         MappingProxyType(code), MappingProxyType(chrome))


# Light keeps the look Fusion's own light palette had.
LIGHT_WINDOW = _palette(
    "light",
    {Role.Window: "#eff0f2", Role.WindowText: "#1f2328", Role.Base: "#ffffff", Role.AlternateBase: "#f5f6f8",
     Role.Text: "#1f2328", Role.Button: "#e9ebee", Role.ButtonText: "#1f2328", Role.BrightText: "#ffffff",
     Role.Highlight: "#2563eb", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#fffbe6",
     Role.ToolTipText: "#1f2328", Role.PlaceholderText: "#5f6670", Role.Link: "#1d4ed8",
     Role.LinkVisited: "#6d28d9", Role.Light: "#ffffff", Role.Midlight: "#f7f7f8", Role.Mid: "#c4c8ce",
     Role.Dark: "#9ea3ab", Role.Shadow: "#5c6068"},
    disabled_text="#8b9099",
    status={"error": "#c62828", "warning": "#9a5b00", "ok": "#1b6e20", "muted": "#5f6670", "stale": "#0e7490",
            "diff_added": "#1b6e20", "diff_removed": "#c62828", "diff_changed": "#9a5b00", "diff_renamed": "#6d28d9"},
    code={"keyword": "#7b2cbf", "module": "#1565c0", "number": "#9a5b00", "string": "#1b6e20",
          "comment": "#5f6670"},
    chrome={"separator": "#e3e6ea", "dock_title": "#e4e7eb", "rule": "#d5d9df", "grid": "#e5e7eb",
            "item_rule": "#eef0f3", "invalid_fill": "#fff5f5"},
)

# Fields (Base) darker than the window, so they stand out from it as they do in the light theme.
DARK_WINDOW = _palette(
    "dark",
    {Role.Window: "#2a2c32", Role.WindowText: "#e6e8eb", Role.Base: "#1c1e22", Role.AlternateBase: "#23252a",
     Role.Text: "#e6e8eb", Role.Button: "#34373e", Role.ButtonText: "#e6e8eb", Role.BrightText: "#ffffff",
     Role.Highlight: "#2563eb", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#34373e",
     Role.ToolTipText: "#e6e8eb", Role.PlaceholderText: "#a3aab5", Role.Link: "#7cb4ff",
     Role.LinkVisited: "#c4a5ff", Role.Light: "#4a4e57", Role.Midlight: "#3d4047", Role.Mid: "#22242a",
     Role.Dark: "#16181c", Role.Shadow: "#0c0d0f"},
    disabled_text="#7b8089",
    status={"error": "#f87171", "warning": "#fbbf24", "ok": "#4ade80", "muted": "#a3aab5", "stale": "#38bdf8",
            "diff_added": "#4ade80", "diff_removed": "#f87171", "diff_changed": "#fbbf24", "diff_renamed": "#c4a5ff"},
    code={"keyword": "#c792ea", "module": "#82aaff", "number": "#f78c6c", "string": "#c3e88d",
          "comment": "#a3aab5"},
    chrome={"separator": "#1a1c20", "dock_title": "#32353c", "rule": "#40444c", "grid": "#33363c",
            "item_rule": "#2c2f35", "invalid_fill": "#3a2024"},
)


def is_dark_palette(palette: QPalette) -> bool:
    """Whether a QPalette is dark (light text on a dark window), as a dark desktop theme gives."""
    return palette.window().color().lightness() < palette.windowText().color().lightness()
