"""`python main.py ...` run in the test's own process: the same exit code, stdout and stderr as the command,
without starting a Python that imports TensorFlow again (seconds per command on 2 cores). Tests that must see
a fresh process (no TensorFlow loaded, a crash, a kill) still start one."""

from __future__ import annotations

import subprocess

import main


def run_main(capsys, *argv) -> subprocess.CompletedProcess:
    """main.main(argv) with its output captured, as a CompletedProcess (returncode, stdout, stderr)."""
    capsys.readouterr()  # what the test printed before is not the command's
    args = [str(a) for a in argv]
    code = main.main(args)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["main.py", *args], code, out, err)
