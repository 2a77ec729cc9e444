"""The command line of issue 14: check --json's explain/cost/fixes/totals/budgets, explain, fix."""

from __future__ import annotations

import json

from tests.cli.test_cli import _fresh_python, run_main
from tests.conftest import EXAMPLES

MISMATCH = EXAMPLES / "shape_mismatch.json"


def test_check_json_has_explanations_costs_fixes_and_totals(capsys):
    code, out, _ = run_main(capsys, "check", "--json", str(MISMATCH))
    assert code == 1
    data = json.loads(out)
    conv = data["nodes"]["conv_3x3"]
    assert conv["explain"]["shape"][1] == "26 = floor((28 − 3) / 1) + 1"
    assert conv["explain"]["params"] == ["320 = 3 × 3 kernel × 1 input channel × 32 filters + 32 biases"]
    assert conv["cost"] == {"macs": 26 * 26 * 9 * 32, "flops": 2 * 26 * 26 * 9 * 32 + 26 * 26 * 32,
                            "param_bytes": 1280, "activation_bytes": 26 * 26 * 32 * 4}
    merged = data["nodes"]["merged"]
    assert merged["explain"] is None and merged["cost"]["macs"] is None
    first = merged["fixes"][0]
    assert first["title"] == "set padding='same' on conv_3x3, conv_5x5 and conv_7x7"
    assert first["edits"][0] == {"op": "set_param", "node": "conv_3x3", "param": "padding", "value": "same"}
    assert first["preview"]["merged"] == [None, 28, 28, 96]
    assert "fixes" not in conv
    assert data["total_macs"] == sum(n["cost"]["macs"] or 0 for n in data["nodes"].values())
    assert data["total_flops"] > 2 * data["total_macs"] and data["budget_problems"] == []


def test_check_exits_1_over_budget(capsys, tmp_path):
    project = json.loads((EXAMPLES / "cnn_28x28_three_kernels.json").read_text())
    project["budgets"] = {"max_params": 1_000_000, "max_activation_bytes": 10_000_000}
    path = tmp_path / "budget.json"
    path.write_text(json.dumps(project))
    code, out, _ = run_main(capsys, "check", str(path))
    assert code == 1
    assert "Over budget (1):" in out and "9,637,962 parameters, more than budgets.max_params = 1,000,000" in out
    code, out, _ = run_main(capsys, "check", "--json", str(path))
    assert code == 1 and len(json.loads(out)["budget_problems"]) == 1
    project["budgets"] = {"max_params": 10_000_000}
    path.write_text(json.dumps(project))
    assert run_main(capsys, "check", str(path))[0] == 0


def test_explain_prints_the_derivations_and_unknown_nodes_are_refused(capsys):
    code, out, _ = run_main(capsys, "explain", str(EXAMPLES / "cnn_28x28_three_kernels.json"), "flatten")
    assert code == 0 and "axis 1: 75,264 = 28 × 28 × 96" in out and "Cost per sample:" in out
    code, out, _ = run_main(capsys, "explain", str(MISMATCH), "merged")
    assert code == 0 and "1. set padding='same' on conv_3x3, conv_5x5 and conv_7x7" in out
    assert "Sizes in conflict, axis 1: 26 vs 24 vs 22" in out and "conv_5x5, axis 1: 24 = floor((28 − 5) / 1) + 1" in out
    code, _out, err = run_main(capsys, "explain", str(MISMATCH), "nope")
    assert code == 2 and "there is no node 'nope'" in err


def test_fix_writes_the_fixed_project_and_exits_by_what_is_left(capsys, tmp_path):
    out_path = tmp_path / "fixed.json"
    code, out, _ = run_main(capsys, "fix", str(MISMATCH), "-o", str(out_path))
    assert code == 0 and "fixed merged: set padding='same'" in out
    assert run_main(capsys, "check", str(out_path))[0] == 0
    code, _out, _ = run_main(capsys, "fix", str(MISMATCH), "-o", str(out_path), "--pick", "2")
    assert code == 0 and any(n["layer"] == "Cropping2D" for n in json.loads(out_path.read_text())["nodes"])
    unfixable = tmp_path / "unfixable.json"
    unfixable.write_text(json.dumps({"format": "keras-canvas", "version": 1, "nodes": [
        {"id": "x", "layer": "Input", "params": {"shape": [3]}},  # 3 values cannot be cut in 2 equal parts
        {"id": "s", "layer": "ops.split", "params": {"indices_or_sections": 2, "axis": -1}}], "edges": [
        {"source": "x", "target": "s", "port": 0}]}))
    code, out, _ = run_main(capsys, "fix", str(unfixable), "-o", str(out_path))
    assert code == 1 and "1 error(s) left" in out
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert run_main(capsys, "fix", str(bad), "-o", str(out_path))[0] == 2
    assert run_main(capsys, "fix", str(MISMATCH), "-o", str(tmp_path))[0] == 2  # a folder: the write fails


def test_check_json_explain_and_fix_never_import_tensorflow(tmp_path):
    probe = (
        "import io, sys, contextlib, main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main.main(['check', '--json', {str(MISMATCH)!r}]); main.main(['explain', {str(MISMATCH)!r}, 'merged'])\n"
        f"    main.main(['fix', {str(MISMATCH)!r}, '-o', {str(tmp_path / 'f.json')!r}])\n"
        "print([m for m in ('tensorflow', 'keras', 'PySide6') if m in sys.modules])\n"
    )
    result = _fresh_python(probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
