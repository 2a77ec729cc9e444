"""Shared test set-up: Qt runs offscreen, TensorFlow is quiet, and Keras is imported once per session."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Windows made by tests autosave (gui/recovery.py) into a throwaway folder, never the person's own.
os.environ.setdefault("KC_RECOVERY_DIR", tempfile.mkdtemp(prefix="kc-test-recovery-"))

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


def pytest_collection_modifyitems(config, items):
    """Long runs (@pytest.mark.slow) are skipped unless asked for with `-m slow`."""
    expr = config.getoption("markexpr") or ""
    if "slow" in expr and "not slow" not in expr:
        return
    skip = pytest.mark.skip(reason="a long run: select it with -m slow (see the test's docstring)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
