"""Keras model files and facts for the GUI tests, made by tests/keras_probe.py in a process of its own, so the
GUI test process never imports TensorFlow (the window's process never does)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

PROBE_TIMEOUT_S = 600  # only catches a hang: a busy machine imports TensorFlow in seconds, not minutes


def run_probe(*args) -> dict:
    result = subprocess.run([sys.executable, "-m", "tests.keras_probe", *map(str, args)], cwd=ROOT,
                            capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def keras_facts(*paths) -> list[dict]:
    """Facts of .keras files and exported scripts, loaded (or run) by Keras: {"params", "layers", "outputs"}."""
    answers = run_probe("facts", *paths)
    return [answers[str(p)] for p in paths]
