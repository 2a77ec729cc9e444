"""Fixtures for the main window and its panels: fresh settings in a temporary folder, dialogs answered by
tests/gui/fakes.py, and a check after each test that no Keras worker thread is left running."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSettings

import builder
from tests.conftest import EXAMPLES
from tests.gui.fakes import FakeDialogs


@pytest.fixture(autouse=True)
def collect_garbage_only_between_tests(qapp):
    """As the app does (gui/gc_guard.py): no automatic collection in the middle of Qt's event processing,
    where finalising a leftover wrapper from an earlier test once crashed a paint; collect here instead."""
    from gui import gc_guard

    gc_guard.install(qapp)
    gc.collect()
    yield


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialogs():
    return FakeDialogs()


@pytest.fixture
def window(qapp, qtbot, settings, dialogs):
    """A shown main window with an empty document."""
    from gui.main_window import MainWindow
    from gui.style import apply_style

    apply_style(qapp)
    window = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    # pytest-qt closes the window before fixtures tear down; closing must not ask about unsaved test edits.
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    window.show()
    yield window
    window.close()
    assert not window.keras.running, "the Keras worker thread is still running after close"
    assert not dialogs.unanswered, f"questions the test did not answer: {dialogs.unanswered}"


def open_example(window, name: str):
    """Open a bundled example in the window, as the Examples menu does."""
    assert window.files.open_example(name)
    return window


def load_example(name: str):
    return builder.load(EXAMPLES / f"{name}.json")
