"""Shared test set-up: Qt runs offscreen, TensorFlow is quiet, and Keras is imported once per session."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

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
