"""The one ThemeManager: shows a theme on the whole application at once (Fusion's palette, the stylesheet in
resources/style.qss filled with the theme's colours, and the current canvas palette), and follows the
desktop's colour scheme, live, while the mode is 'system'.

The mode is 'system', 'light' or 'dark'; View > Theme sets it and QSettings ("view/theme") remembers it.
Widgets that paint colours themselves (the canvas, the code view, the shapes panel) listen to
`theme_manager().changed` and read the current palette again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QToolTip

from builder.files.resources import style_sheet_path
from gui.theme.current import MODES, current_theme, use_theme
from gui.theme.window_palette import is_dark_palette

STYLE_SHEET = style_sheet_path()
SETTINGS_KEY = "view/theme"
_OLD_CANVAS_KEY = "canvas/theme"  # the canvas-only choice that came before the window theme


class ThemeManager(QObject):
    changed = Signal(str)  # the theme now shown: 'light' or 'dark'

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.mode = "system"
        self.name: str | None = None  # None until a theme is shown
        # What the platform gave before our palette replaced it: the fallback where it reports no scheme.
        self._platform_dark = is_dark_palette(app.palette())
        self._scheme = QGuiApplication.styleHints().colorScheme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        try:
            self._template = STYLE_SHEET.read_text(encoding="utf-8")
        except OSError:
            self._template = ""  # an installation without resources still works, with plain Fusion

    def system_theme(self) -> str:
        if self._scheme == Qt.ColorScheme.Dark:
            return "dark"
        if self._scheme == Qt.ColorScheme.Light:
            return "light"
        return "dark" if self._platform_dark else "light"

    def set_mode(self, mode: str):
        if mode not in MODES:
            raise ValueError(f"unknown theme mode {mode!r}; expected one of {', '.join(MODES)}")
        self.mode = mode
        self._show(self.system_theme() if mode == "system" else mode)

    def _on_system_scheme(self, scheme):
        self._scheme = scheme
        if self.mode == "system":
            self._show(self.system_theme())

    def _show(self, name: str):
        if name == self.name and current_theme().name == name:
            return  # restyling re-polishes every widget alive: costly, and the result would be the same
        self.name = name
        theme = use_theme(name)
        palette = theme.window.qpalette()
        self.app.setPalette(palette)
        QToolTip.setPalette(palette)  # tooltips keep the platform's palette unless told
        if self._template:
            self.app.setStyleSheet(theme.window.stylesheet(self._template))
        self.changed.emit(name)


_manager: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    """The application's one ThemeManager (created on first use; apply_style also shows a theme)."""
    global _manager
    app = QApplication.instance()
    if _manager is None or _manager.app is not app:
        _manager = ThemeManager(app)
    return _manager


def saved_mode(settings: QSettings) -> str:
    mode = settings.value(SETTINGS_KEY, settings.value(_OLD_CANVAS_KEY, "system"))
    return mode if mode in MODES else "system"


def apply_style(app: QApplication, settings: QSettings | None = None):
    """Fusion, and the theme saved in the settings (the application's own settings by default)."""
    if not app.property("keras_canvas_styled"):
        app.setProperty("keras_canvas_styled", True)
        app.setStyle("Fusion")
    manager = theme_manager()
    manager.set_mode(saved_mode(settings if settings is not None else QSettings()))
    return manager
