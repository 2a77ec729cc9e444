"""Fixtures for the main window and its panels: fresh settings in a temporary folder, dialogs answered by
tests/gui/fakes.py, a check after each test that no Keras worker process is left running, and one that the
test process has not imported TensorFlow or Keras: as in the app, Keras lives in the worker process only.
Model files and Keras's own facts come from tests/keras_probe.py, run in a process of its own."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

import builder
from tests.conftest import EXAMPLES
from tests.gui.fakes import FakeDialogs
from tests.gui.keras_files import close_probe, run_probe

KERAS_MODULES = ("tensorflow", "keras")


@pytest.fixture(autouse=True)
def keras_stays_out_of_this_process():
    """The window's process never imports Keras; neither may a GUI test (or it would hide crashes that only
    happen where Keras was not imported first, as one once did)."""
    yield
    loaded = [m for m in KERAS_MODULES if m in sys.modules]
    assert not loaded, f"the GUI test process imported {loaded}; Keras work belongs in the worker process"


@pytest.fixture(scope="session", autouse=True)
def keras_probe_ends_with_the_session():
    """The one Keras probe process the GUI tests share (tests/gui/keras_files.py) stops with them."""
    yield
    close_probe()


@pytest.fixture(scope="session")
def keras_models(tmp_path_factory) -> Path:
    """A folder of model files made by Keras (tests/keras_probe.py: small.keras, chain.keras and its imported
    project chain.json, leaky.keras, lambda.json, cnn.keras, mobilenetv2.keras)."""
    folder = tmp_path_factory.mktemp("keras-models")
    run_probe("models", folder)
    return folder


@pytest.fixture(scope="session")
def hand_written_facts() -> dict:
    """Keras's facts of the seed models written by hand (tests/keras_probe.py)."""
    return run_probe("hand-written")


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
    from gui.theme import apply_style

    apply_style(qapp)
    window = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    # pytest-qt closes the window before fixtures tear down; closing must not ask about unsaved test edits.
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    window.show()
    yield window
    window.close()
    assert not window.keras.running, "the Keras worker process is still running after close"
    # Its own windows close with it (a compare window left shown once took the next test's pointer moves).
    left = [w.objectName() or type(w).__name__ for w in window.findChildren(QWidget) if w.isWindow() and w.isVisible()]
    assert not left, f"windows of the main window still shown after it closed: {left}"
    assert not dialogs.unanswered, f"questions the test did not answer: {dialogs.unanswered}"


def open_example(window, name: str):
    """Open a bundled example in the window, as the Examples menu does."""
    assert window.files.open_example(name)
    return window


def load_example(name: str):
    return builder.load(EXAMPLES / f"{name}.json")


@pytest.fixture
def palette(qtbot):
    """The Layers palette, shown (its search and groups are tested in test_palette and test_op_nodes_gui)."""
    from gui.panels.palette import Palette

    widget = Palette()
    qtbot.addWidget(widget)
    widget.show()
    return widget
