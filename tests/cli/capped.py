"""Run `python main.py ...` in a child process under resource limits, so that a case that would blow up
(a file that inflates to gigabytes, a model that allocates them, a device that never ends) fails that child
instead of taking the test run or the machine with it."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

from tests.conftest import ROOT

MEMORY_CAP = 1536 * 1024 * 1024  # address space: python + builder take about 300 MB; TensorFlow is never loaded
TIMEOUT = 120  # seconds; only catches a hang (a FIFO read), never judges speed


def run_main_capped(*argv, memory: int = MEMORY_CAP, file_size: int | None = None,
                    cwd=None) -> subprocess.CompletedProcess:
    """`python main.py ARGV` with its address space capped at `memory` bytes and, with file_size, the largest
    file it may write (the kernel's "disk full" for one process: writes beyond it fail with EFBIG)."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # ignored: the write fails instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, argv)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=limit, check=False)


def one_clean_message(result: subprocess.CompletedProcess) -> str:
    """The child's stderr, after asserting that it is one message (no traceback, no raw control character)."""
    err = result.stderr
    assert "Traceback" not in err and "MemoryError" not in err, err[-2000:]
    assert err.startswith("keras-canvas: "), err[-2000:]
    assert not any(ord(c) < 32 and c != "\n" for c in err), repr(err[:500])
    assert len(err) < 5000, len(err)
    return err
