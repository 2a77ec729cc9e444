"""Keras model files and facts for the GUI tests, made by tests/keras_probe.py in a process of its own, so the
GUI test process never imports TensorFlow (the window's process never does).

One probe process serves the whole GUI test session (`keras_probe serve`): each request used to start a Python
that imported TensorFlow again, seconds each on 2 busy cores, a dozen times a run. It starts on the first
request; tests/gui/conftest.py closes it when the session ends. A probe that died is started again."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile

from tests.conftest import ROOT
from tests.keras_probe import ANSWER

PROBE_TIMEOUT_S = 600  # only catches a hang: a busy machine imports TensorFlow in seconds, not minutes


class Probe:
    """The serving probe process: one request at a time, one answer line each."""

    def __init__(self):
        # Its stderr, for the failure message (a pipe could fill up); open for the probe's life, closed in close().
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, "-m", "tests.keras_probe", "serve"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                        bufsize=0)
        self._read = b""  # read from its stdout, not yet a whole line

    def ask(self, args: list[str]) -> dict:
        self.process.stdin.write(json.dumps(args).encode() + b"\n")
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while True:
                *lines, self._read = self._read.split(b"\n")
                answers = [line for line in lines if line.startswith(ANSWER.encode())]
                if answers:
                    return json.loads(answers[0][len(ANSWER):])
                assert selector.select(PROBE_TIMEOUT_S), f"the Keras probe gave no answer to {args} in time"
                chunk = os.read(self.process.stdout.fileno(), 1 << 20)
                assert chunk, f"the Keras probe stopped while answering {args}:\n{self.stderr_tail()}"
                self._read += chunk

    def stderr_tail(self) -> str:
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace")[-4000:]

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.errors.close()


_probe: Probe | None = None


def run_probe(*args) -> dict:
    global _probe
    if _probe is None or _probe.process.poll() is not None:
        _probe = Probe()
    answer = _probe.ask([str(a) for a in args])
    assert "probe_error" not in answer, answer["probe_error"]
    return answer


def close_probe():
    global _probe
    if _probe is not None:
        _probe.close()
        _probe = None


def keras_facts(*paths) -> list[dict]:
    """Facts of .keras files and exported scripts, loaded (or run) by Keras: {"params", "layers", "outputs"}."""
    answers = run_probe("facts", *paths)
    return [answers[str(p)] for p in paths]
