"""`python main.py diff A B [--json]` and `summary FILE`: exit codes (0 same, 1 different, 2 unreadable, with a message
naming the file and no traceback), the JSON form, the report, no TensorFlow for projects, and the git recipe
(a textconv diff driver on `summary`) in a temporary repository."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys

import pytest

import main
from builder.files import project
from tests.builder.diff_edits import relabel
from tests.conftest import EXAMPLES, ROOT

CNN = EXAMPLES / "cnn_28x28_three_kernels.json"


def run_main(capsys, *argv):
    code = main.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def edited(tmp_path):
    """The CNN with conv_3x3 renamed, dense's units halved and its positions moved (presentation only)."""
    graph = project.read(CNN)
    changed = relabel(graph, {"conv_3x3": "conv_small"})
    changed.nodes["dense"]["params"]["units"] = 64
    positions = changed.graph["ui"]["positions"]
    changed.graph["ui"]["positions"] = {n: [x + 40, y] for n, (x, y) in positions.items()}
    path = tmp_path / "edited.json"
    project.write(changed, path)
    return path


def test_identical_files_are_the_same_and_exit_0(capsys, tmp_path):
    copy_path = tmp_path / "copy.json"
    shutil.copy(CNN, copy_path)
    code, out, _ = run_main(capsys, "diff", CNN, copy_path)
    assert code == 0 and "are the same model (8 nodes, 9,637,962 params)" in out
    code, out, _ = run_main(capsys, "diff", CNN, copy_path, "--json")
    assert code == 0 and json.loads(out)["same"] is True


def test_json_follows_the_documented_form(capsys, edited):
    code, out, _ = run_main(capsys, "diff", CNN, edited, "--json")
    data = json.loads(out)
    assert code == 1
    assert {"same", "added", "removed", "renamed", "changed", "rewired", "shape_changes", "param_changes",
            "total_params"} <= data.keys()
    assert data["same"] is False and data["added"] == data["removed"] == []
    assert data["renamed"] == {"conv_3x3": "conv_small"}
    assert data["changed"] == {"dense": {"units": [128, 64]}}
    assert data["rewired"] == {}
    assert data["shape_changes"] == {"dense": [[None, 128], [None, 64]]}
    assert data["param_changes"] == {"dense": [9_633_920, 4_816_960], "classes": [1_290, 650]}
    assert data["total_params"] == [9_637_962, 9_637_962 - 4_816_960 - 640]
    assert "moved" not in data  # presentation only when asked for


def test_the_report_reads_as_the_issue_writes_it(capsys, edited):
    code, out, _ = run_main(capsys, "diff", CNN, edited)
    assert code == 1
    assert "renamed (1):\n  'conv_3x3' → 'conv_small'" in out
    assert "'dense': units 128 → 64" in out
    assert "'dense': (None, 128) → (None, 64), params 9,633,920 → 4,816,960" in out
    assert "total params: 9,637,962 → 4,820,362 (−4,817,600)" in out


def test_positions_are_reported_only_when_asked(capsys, tmp_path):
    graph = project.read(CNN)
    moved = copy.deepcopy(graph)
    moved.graph["ui"]["positions"]["dense"] = [5, 5]
    path = tmp_path / "moved.json"
    project.write(moved, path)
    assert run_main(capsys, "diff", CNN, path)[0] == 0
    code, out, _ = run_main(capsys, "diff", CNN, path, "--json", "--ui")
    assert code == 1 and json.loads(out)["moved"] == ["dense"]


@pytest.mark.parametrize("content, fragment", [
    (None, "No such file"),
    ("not json", "not valid JSON"),
    ('{"format": "keras-canvas", "version": 1, "nodes": [{"id": "d", "layer": "Nope", "params": {}}]}', "Nope"),
    ('{"class_name": "Functional", "config": {"layers": "x"}}', "bad.json"),
])
def test_unreadable_input_exits_2_naming_the_file(capsys, tmp_path, content, fragment):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    for argv in (("diff", CNN, bad), ("diff", bad, CNN), ("summary", bad)):
        code, out, err = run_main(capsys, *argv)
        assert code == 2 and out == "", argv
        assert str(bad) in err and fragment in err and "Traceback" not in err


def test_summary_is_canonical_one_line_per_node(capsys, tmp_path):
    code, out, _ = run_main(capsys, "summary", CNN)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 + 8
    assert lines[0] == "# keras-canvas summary: 8 nodes, 9,637,962 params (trainable 9,637,962, non-trainable 0)"
    assert 'conv_3x3 = Conv2D(filters=32, kernel_size=3, padding="same", activation="relu") <- image  ' \
           "# (None, 28, 28, 32), 320 params" in lines
    # The same model written differently (params reordered, a default spelled out, no positions) reads the same.
    data = json.loads(CNN.read_text())
    data["nodes"][1]["params"] = dict(reversed(list(data["nodes"][1]["params"].items())), strides=1)
    del data["ui"]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    assert run_main(capsys, "summary", other)[1] == out


def test_summary_or_raw_prints_other_files_as_they_are(capsys, tmp_path):
    other = tmp_path / "package.json"
    other.write_text('{"name": "not a model"}\n')
    assert run_main(capsys, "summary", other)[0] == 2
    code = main.main(["summary", str(other), "--or-raw"])
    assert code == 0  # written to the binary stdout, which capsys does not see; the git test reads it


def test_diff_and_summary_of_projects_never_import_tensorflow_or_qt():
    probe = (
        "import io, sys, contextlib, main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main.main(['diff', {str(CNN)!r}, {str(EXAMPLES / 'shape_mismatch.json')!r}, '--json'])\n"
        f"    main.main(['summary', {str(CNN)!r}])\n"
        "print([m for m in ('tensorflow', 'keras', 'PySide6') if m in sys.modules])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _git(repo, *args) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True,
                          timeout=120).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_recipe_makes_git_diff_semantic(tmp_path):
    """README, "Comparing models": a .gitattributes diff driver whose textconv is `main.py summary --or-raw`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".gitattributes").write_text("*.json diff=keras-canvas\n")
    _git(repo, "config", "diff.keras-canvas.textconv", f"{sys.executable} {ROOT / 'main.py'} summary --or-raw")
    shutil.copy(CNN, repo / "model.json")
    (repo / "package.json").write_text('{"name": "other", "version": 1}\n')
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    graph = project.read(CNN)
    graph.nodes["dense"]["params"]["units"] = 64
    graph.graph["ui"]["positions"]["image"] = [-500, 0]  # presentation: not in the semantic diff
    project.write(graph, repo / "model.json")
    (repo / "package.json").write_text('{"name": "other", "version": 2}\n')
    out = _git(repo, "diff")
    assert '-dense = Dense(units=128, activation="relu") <- flatten  # (None, 128), 9,633,920 params' in out
    assert '+dense = Dense(units=64, activation="relu") <- flatten  # (None, 64), 4,816,960 params' in out
    assert "+classes = Dense(units=10" in out and "650 params" in out
    assert "positions" not in out and "-500" not in out
    assert '-{"name": "other", "version": 1}' in out and '+{"name": "other", "version": 2}' in out
