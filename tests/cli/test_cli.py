"""The command line: outputs, exit codes (0 ok, 1 graph errors, 2 bad file or usage, 3 no display), no tracebacks."""

import json
import os
import subprocess
import sys

import pytest

import main
from tests.conftest import EXAMPLES, ROOT


def run_main(capsys, *argv):
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_table_and_totals(capsys):
    code, out, _ = run_main(capsys, "check", str(EXAMPLES / "cnn_28x28_three_kernels.json"))
    assert code == 0
    assert "conv_7x7" in out and "(None, 28, 28, 96)" in out
    assert "Total params: 9,637,962" in out
    assert "valid: the graph builds a Keras model" in out


def test_check_json_matches_issue_schema(capsys):
    code, out, _ = run_main(capsys, "check", str(EXAMPLES / "two_inputs.json"), "--json")
    data = json.loads(out)
    assert code == 0
    assert {"valid", "total_params", "inputs", "outputs", "nodes"} <= data.keys()
    assert data["inputs"] == ["input_a", "input_b"] and data["outputs"] == ["output"]
    merged = dict(data["nodes"]["merged"])
    assert merged.pop("explain")["params"] == ["0: Concatenate only joins tensors; it has no weights"]  # issue 14
    assert merged.pop("cost") == {"macs": 0, "flops": 0, "param_bytes": 0, "activation_bytes": 24 * 4}
    assert merged == {"layer": "Concatenate", "status": "ok", "shape": [None, 24], "params": 0,
                      "error": None, "warnings": []}
    assert data["total_params"] == 16 * 16 + 16 + 8 * 8 + 8 + 24 + 1


def test_check_of_graph_with_error_exits_1_and_names_node(capsys):
    code, out, _ = run_main(capsys, "check", str(EXAMPLES / "shape_mismatch.json"), "--json")
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    assert data["nodes"]["merged"]["error"].startswith("merged: Concatenate needs equal sizes")
    assert data["nodes"]["flatten"]["shape"] is None and data["nodes"]["flatten"]["error"] is None
    assert (data["nodes"]["merged"]["status"], data["nodes"]["flatten"]["status"]) == ("error", "blocked")
    assert data["nodes"]["flatten"]["blocked_by"] == "merged"


@pytest.mark.parametrize("content, fragment", [
    ("not json at all", "not valid JSON"),
    ('{"format": "keras-canvas", "version": 99, "nodes": []}', "newer Keras Canvas"),
    ('{"format": "keras-canvas", "version": 1, "nodes": [{"id": "d", "layer": "Dense", "params": {"units": "ten"}}]}',
     'nodes[0].params.units: expected a positive integer, got "ten"'),
])
def test_unreadable_file_exits_2_with_located_message(capsys, tmp_path, content, fragment):
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run_main(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert fragment in err and str(path) in err and "Traceback" not in err


def test_missing_file_and_bad_usage_exit_2(capsys, tmp_path):
    assert run_main(capsys, "check", str(tmp_path / "nope.json"))[0] == 2
    assert run_main(capsys, "export")[0] == 2
    assert run_main(capsys, "check", "a.json", "b.json")[0] == 2
    code, _, err = run_main(capsys, "example", "no_such_example", "-o", str(tmp_path / "x.json"))
    assert code == 2 and "dense_branches" in err


def test_export_uses_file_style_and_flag(capsys, tmp_path):
    function_file = str(EXAMPLES / "dense_branches_function.json")
    _, out, _ = run_main(capsys, "export", function_file)
    assert 'merged = layers.concatenate([dense_64, dense_32], axis=-1, name="merged")' in out
    _, out, _ = run_main(capsys, "export", function_file, "--style", "layer")
    assert 'merged = layers.Concatenate(axis=-1, name="merged")([dense_64, dense_32])' in out
    target = tmp_path / "model.py"
    code, _, _ = run_main(capsys, "export", function_file, "-o", str(target))
    assert code == 0 and "def build_model():" in target.read_text()


def test_export_of_graph_with_errors_exits_1(capsys):
    code, out, err = run_main(capsys, "export", str(EXAMPLES / "shape_mismatch.json"))
    assert code == 1 and out == "" and "merged: Concatenate needs equal sizes" in err


def test_examples_list_and_write(capsys, tmp_path):
    code, out, _ = run_main(capsys, "examples")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == sorted(p.stem for p in EXAMPLES.glob("*.json"))
    target = tmp_path / "cnn.json"
    assert run_main(capsys, "example", "cnn_two_kernels", "-o", str(target))[0] == 0
    assert target.read_text() == (EXAMPLES / "cnn_two_kernels.json").read_text()


def test_build_writes_keras_file(capsys, tmp_path, keras):
    target = tmp_path / "model.keras"
    code, out, _ = run_main(capsys, "build", str(EXAMPLES / "relu_tanh_fusion.json"), "-o", str(target))
    assert code == 0 and "relu_features" in out
    assert keras.saving.load_model(target).count_params() == 97
    assert run_main(capsys, "build", str(EXAMPLES / "relu_tanh_fusion.json"), "-o", str(tmp_path / "m.h5"))[0] == 2
    assert run_main(capsys, "build", str(EXAMPLES / "shape_mismatch.json"), "-o", str(target))[0] == 1


def _fresh_python(code: str, env_extra=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_check_and_export_never_import_tensorflow_or_qt():
    example = EXAMPLES / "cnn_28x28_three_kernels.json"
    probe = (
        "import io, sys, contextlib, main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main.main(['check', {str(example)!r}]); main.main(['export', {str(example)!r}])\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'PySide6') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = _fresh_python(probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_display_gives_clear_message_and_exit_3():
    result = _fresh_python("import main, sys; sys.exit(main.main([]))")
    assert result.returncode == 3
    assert "xvfb-run" in result.stderr and "Traceback" not in result.stderr
