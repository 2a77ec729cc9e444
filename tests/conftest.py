"""Shared test set-up: Qt runs offscreen, TensorFlow is quiet, Keras is imported once per session (outside
tests/gui, whose process never imports it), and the GUI tests are kept in a process of their own."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Windows made by tests autosave (gui/recovery.py) into a throwaway folder, never the person's own.
os.environ.setdefault("KC_RECOVERY_DIR", tempfile.mkdtemp(prefix="kc-test-recovery-"))
# ... and keep their settings (QSettings, the windows and apps the tests launch) away from the person's own.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="kc-test-config-")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest

EXAMPLES = ROOT / "resources" / "examples"


@pytest.fixture(scope="session")
def keras():
    """Keras, imported once for the whole session (importing TensorFlow costs seconds)."""
    import keras as keras_module

    return keras_module


GUI_TESTS = ROOT / "tests" / "gui"


def pytest_collection_modifyitems(config, items):
    """The GUI tests run in a process of their own, which never imports Keras (as the window's process never
    does); the others import it. Long runs (@pytest.mark.slow) are skipped unless asked for with `-m slow`."""
    gui = [item for item in items if GUI_TESTS in item.path.parents]
    if gui and len(gui) != len(items):
        raise pytest.UsageError("tests/gui runs in a pytest process of its own, without Keras, as the window "
                                "runs: `pytest tests/gui`, and `pytest tests --ignore=tests/gui` for the rest "
                                "(`make test` runs both)")
    expr = config.getoption("markexpr") or ""
    if "slow" in expr and "not slow" not in expr:
        return
    skip = pytest.mark.skip(reason="a long run: select it with -m slow (see the test's docstring)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
