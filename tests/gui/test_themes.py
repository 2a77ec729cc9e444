"""Whole-window themes: WCAG contrast of every text colour against what it is drawn on, in both themes; the
window, the canvas, the status colours and the code colours switching together; following the desktop's colour
scheme live; View > Theme remembered in the settings; and 200% rendering of both themes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QWidget

from gui.code_view import CodeView
from gui.theme import (
    DARK_CANVAS,
    LIGHT_CANVAS,
    SETTINGS_KEY,
    THEME_NAMES,
    canvas_palette,
    contrast_ratio,
    current_theme,
    status_colour,
    theme,
    theme_manager,
)
from gui.theme.window_palette import STATUS_BACKGROUNDS, TEXT_PAIRS
from tests.gui.conftest import open_example

ROOT = Path(__file__).resolve().parents[2]
BODY_TEXT = 4.5  # WCAG AA for body text


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast_ratio("#2563eb", "#ffffff") == contrast_ratio("#ffffff", "#2563eb")


@pytest.mark.parametrize("name", THEME_NAMES)
def test_palette_text_roles_are_readable(name):
    palette = theme(name).window.qpalette()
    for text, background in TEXT_PAIRS:
        ratio = contrast_ratio(palette.color(text), palette.color(background))
        assert ratio >= BODY_TEXT, f"{name}: {text.name} on {background.name} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", THEME_NAMES)
def test_status_and_code_colours_are_readable_where_they_are_shown(name):
    palette = theme(name).window.qpalette()
    for kind, colour in theme(name).window.status.items():
        for background in STATUS_BACKGROUNDS:
            ratio = contrast_ratio(colour, palette.color(background))
            assert ratio >= BODY_TEXT, f"{name}: {kind} {colour} on {background.name} is {ratio:.2f}:1"
    for role, colour in theme(name).window.code.items():
        ratio = contrast_ratio(colour, palette.color(QPalette.ColorRole.Base))
        assert ratio >= BODY_TEXT, f"{name}: code {role} {colour} is {ratio:.2f}:1"


def _over(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows on an opaque background."""
    alpha = colour.alphaF()
    mix = [alpha * a + (1 - alpha) * b for a, b in zip(colour.getRgbF()[:3], background.getRgbF()[:3])]
    return QColor.fromRgbF(*mix)


@pytest.mark.parametrize("name", THEME_NAMES)
def test_canvas_text_is_readable_on_cards_and_headers(name):
    s = theme(name).canvas
    pairs = {"text on card": (s.text, s.node_body), "dim text on card": (s.text_dim, s.node_body),
             "shape on card": (s.shape_text, s.node_body), "muted text on card": (s.text_muted, s.node_body),
             "waiting node's text": (s.text_muted, s.node_blocked_body),
             "waiting node's id": (s.text_dim, s.blocked_header),
             "waiting node's layer": (s.text_muted, s.blocked_header),
             "error text on card": (s.error_text, s.node_body),
             "shape being recomputed": (s.stale, s.node_body),
             "preview text": (s.text, _over(s.preview_background, s.background)),
             "preview shape": (s.shape_text, _over(s.preview_background, s.background)),
             "preview refusal": (s.error_text, _over(s.preview_background, s.background))}
    for category, header in {**s.category_colours, "other": s.unknown_category}.items():
        pairs[f"id on {category} header"] = (s.text_on_header, header)
        pairs[f"layer on {category} header"] = (_over(s.text_on_header_dim, header), header)
    for what, (text, background) in pairs.items():
        ratio = contrast_ratio(text, background)
        assert ratio >= BODY_TEXT, f"{name} canvas: {what} is {ratio:.2f}:1"


def test_a_switch_replaces_the_current_palette_and_changes_no_colour_in_place(manager):
    """The palettes are values: switching makes another object current, so a colour read before a switch (or a
    palette kept by a test) still says what it said."""
    dark_before = {name: colour.name(QColor.NameFormat.HexArgb) for name, colour in vars(DARK_CANVAS).items()
                   if isinstance(colour, QColor)}
    manager.set_mode("dark")
    assert canvas_palette() is DARK_CANVAS and current_theme().name == "dark"
    manager.set_mode("light")
    assert canvas_palette() is LIGHT_CANVAS and current_theme().name == "light"
    assert {name: colour.name(QColor.NameFormat.HexArgb) for name, colour in vars(DARK_CANVAS).items()
            if isinstance(colour, QColor)} == dark_before
    with pytest.raises(AttributeError):
        DARK_CANVAS.background = QColor("#ffffff")  # frozen


@pytest.fixture
def manager(qapp):
    manager = theme_manager()
    yield manager
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Unknown)  # the offscreen default
    manager.set_mode("system")


def _label_colour(label) -> str:
    label.ensurePolished()
    return label.palette().color(label.foregroundRole()).name()


def test_switching_theme_recolours_the_window_canvas_status_colours_and_code(window, manager):
    open_example(window, "shape_mismatch")
    window.controller.select(["merged"])
    status, inspector, panel = window.status, window.inspector, window.shapes_panel
    code = window.code_preview.findChild(CodeView)
    for name in ("dark", "light", "dark"):
        window.actions_by_name[f"theme_{name}"].trigger()
        assert manager.name == name and current_theme().name == name
        app_palette = QGuiApplication.palette()
        window_colour = app_palette.color(QPalette.ColorRole.Window)
        assert window_colour.name() == theme(name).window.roles[QPalette.ColorRole.Window]
        assert QWidget.palette(window).color(QPalette.ColorRole.Window) == window_colour  # .palette: the dock
        assert panel.table.palette().color(QPalette.ColorRole.Base).name() == \
            theme(name).window.roles[QPalette.ColorRole.Base]
        error = theme(name).window.status["error"]
        assert _label_colour(status.errors_label) == error  # "1 error"
        assert inspector.status_label.text().startswith("Error:") and _label_colour(inspector.status_label) == error
        assert panel.problems.item(0).foreground().color() == status_colour("error") == QColor(error)
        merged = panel.model.index(panel.model.row_of["merged"], 4)
        assert panel.model.data(merged, Qt.ItemDataRole.ForegroundRole).color() == QColor(error)
        assert code.highlighter.theme == name
        corner = window.canvas.grab().toImage().pixelColor(3, 3)
        assert (corner.lightness() < 80) == (name == "dark"), corner.name()


def test_the_code_view_recolours_its_highlighting(qtbot, manager):
    view = CodeView()
    qtbot.addWidget(view)
    view.show_code('x = "text"  # note\n')
    for name in ("dark", "light"):
        manager.set_mode(name)
        block = view.document().firstBlock()
        colours = {fmt.format.foreground().color().name() for fmt in block.layout().formats()}
        assert theme(name).window.code["string"] in colours and theme(name).window.code["comment"] in colours


def test_refusals_in_the_status_bar_take_the_themes_warning_colour(window, manager):
    for name in ("dark", "light"):
        manager.set_mode(name)
        window.status.show_refusal("Cannot connect: a cycle")
        assert window.status.palette().color(window.status.foregroundRole()).name() == theme(name).window.status["warning"]
        window.status.show_info("Saved")
        assert window.status.palette().color(window.status.foregroundRole()).name() == \
            theme(name).window.roles[QPalette.ColorRole.WindowText]


def test_following_the_system_switches_live_and_a_fixed_choice_ignores_it(window, manager):
    hints = QGuiApplication.styleHints()
    window.actions_by_name["theme_system"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop turns dark
    assert manager.name == "dark" and current_theme().name == "dark"
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert manager.name == "light" and current_theme().name == "light"
    window.actions_by_name["theme_dark"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # chosen dark: the desktop no longer decides
    assert manager.name == "dark"


def test_the_theme_choice_is_remembered(qapp, qtbot, settings, dialogs, manager):
    from gui.main_window import MainWindow

    first = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    qtbot.addWidget(first)
    assert first.actions_by_name["theme_system"].isChecked()
    first.actions_by_name["theme_dark"].trigger()
    assert settings.value(SETTINGS_KEY) == "dark"
    manager.set_mode("light")  # as another start would begin
    second = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    qtbot.addWidget(second)
    assert second.actions_by_name["theme_dark"].isChecked() and manager.name == "dark"
    with pytest.raises(ValueError, match="unknown theme mode"):
        manager.set_mode("sepia")


@pytest.mark.parametrize("name", THEME_NAMES)
def test_the_window_renders_in_each_theme_at_200_percent(tmp_path, name):
    """`main.py screenshot --theme` with QT_SCALE_FACTOR=2: twice the pixels, and the docks, the canvas and the
    status bar all in the theme's colours (not a light window around a dark canvas)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    subprocess.run([sys.executable, str(ROOT / "main.py"), "screenshot", "-o", str(tmp_path), "--theme", name,
                    "--example", "shape_mismatch"], check=True, env=env, capture_output=True, timeout=120)
    image = QImage(str(tmp_path / f"shape_mismatch_{name}.png"))
    assert (image.width(), image.height()) == (2800, 1720)
    spots = {"palette dock": (60, 1400), "canvas": (1000, 900), "inspector": (2600, 1000),
             "status bar": (1000, 1705)}
    for what, (x, y) in spots.items():
        # The background is the commonest lightness of a small patch: text may pass over any single pixel (the
        # inspector shows derivations there).
        patch = [image.pixelColor(x + dx, y + dy).lightness() for dx in range(-20, 21, 4) for dy in range(-10, 11, 4)]
        lightness = max(set(patch), key=patch.count)
        assert (lightness < 90) if name == "dark" else (lightness > 200), f"{name}: {what} is {lightness}"
