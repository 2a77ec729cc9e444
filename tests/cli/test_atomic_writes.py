"""Every file the command line writes (export -o, build -o, import -o, example -o) is written atomically: on a
failure (the target is a folder, its folder is missing, the disk is full, permission) the old file is intact,
no temporary file is left, and the person gets one line and exit 2."""

from __future__ import annotations

import errno
import json
import os

import pytest

import main
from tests.cli.capped import one_clean_message, run_main_capped
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "cnn_two_kernels.json")
OLD = b"the old file, which a failed write must leave as it was\n"


def _model_json(folder) -> str:
    from tests.cli.hostile_models import dense_model, write_json

    return str(write_json(folder, "m.json", dense_model()))


# command -> (argv before -o, output name, needs Keras)
COMMANDS = {
    "export": (lambda d: ["export", EXAMPLE], "out.py", False),
    "example": (lambda d: ["example", "cnn_two_kernels"], "out.json", False),
    "import": (lambda d: ["import", _model_json(d)], "out.json", True),
    "build": (lambda d: ["build", str(EXAMPLES / "relu_tanh_fusion.json")], "out.keras", True),
}


def _disk_full(monkeypatch):
    def fail(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "fsync", fail)


def _permission(monkeypatch):
    import tempfile

    def fail(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    monkeypatch.setattr(tempfile, "mkstemp", fail)


FAILURES = {
    "target is a folder": (None, "it is a folder"),
    "folder missing": (None, "No such file or directory"),
    "disk full": (_disk_full, "No space left on device"),
    "permission denied": (_permission, "Permission denied"),
}


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, capsys, monkeypatch, request, command,
                                                                 failure):
    argv, name, needs_keras = COMMANDS[command]
    if needs_keras:
        request.getfixturevalue("keras")
    args = argv(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    patch, fragment = FAILURES[failure]
    if failure == "target is a folder":
        target.mkdir()
    elif failure == "folder missing":
        target = out / "missing" / name
    else:
        target.write_bytes(OLD)
        patch(monkeypatch)
    before = _files(out)
    code = main.main([*args, "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err, err
    assert _files(out) == before  # no temporary file left beside it
    if target.is_file():
        assert target.read_bytes() == OLD


def test_a_real_full_disk_in_a_child_process(tmp_path):
    """The kernel's own refusal: the child may write files of at most 100 bytes (RLIMIT_FSIZE), so the export fails
    in the write itself."""
    target = tmp_path / "model.py"
    target.write_bytes(OLD)
    result = run_main_capped("export", EXAMPLE, "-o", target, file_size=100)
    err = one_clean_message(result)
    assert result.returncode == 2 and "cannot write" in err and str(target) in err, err
    assert target.read_bytes() == OLD and _files(tmp_path) == ["model.py"]


@pytest.mark.parametrize("command", ["export", "example"])
def test_successful_writes_replace_the_old_file(tmp_path, capsys, command):
    argv, name, _ = COMMANDS[command]
    target = tmp_path / name
    target.write_bytes(OLD)
    assert main.main([*argv(tmp_path), "-o", str(target)]) == 0
    assert target.read_bytes() != OLD and _files(tmp_path) == [name]
    if name.endswith(".json"):
        json.loads(target.read_text())
