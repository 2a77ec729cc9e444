"""Fuzzed loading (issue 5): damaged copies of the bundled examples (tests/builder/fuzz_files.py) are each
refused with a ProjectError or loaded into a graph that infers, exports and saves back identically; nothing
else is ever raised, and no file takes a second. The command line exits 2 on every refused one.

The default suite reads KC_FUZZ_FILES (300) files. The long run reads 10,000:

    KC_FUZZ_LONG=10000 .venv/bin/python -m pytest -m slow tests/builder/test_fuzz_loading.py -s

(the hypothesis tests in test_project.py take KC_FUZZ_EXAMPLES for their own long run).
"""

from __future__ import annotations

import os
import time

import pytest

import main
from builder.files import project
from builder.files.project import ProjectError
from builder.inference.engine import infer
from builder.keras.code_export import export_code
from builder.keras.plan import ModelError
from tests.builder.fuzz_files import damaged_file

FILES = int(os.environ.get("KC_FUZZ_FILES", "300"))
LONG = int(os.environ.get("KC_FUZZ_LONG", "10000"))


def load_one(path) -> str:
    """'refused' or 'loaded'; raises (failing the test) on anything else."""
    try:
        graph = project.read(path)
    except ProjectError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        outcome = "refused"
    else:
        results = infer(graph)
        assert set(results) == set(graph)
        try:
            export_code(graph)
        except ModelError:
            pass  # a graph with errors is refused by the exporter with a message, as the GUI shows
        saved = project.dumps(graph)
        assert project.dumps(project.parse(saved)) == saved
        outcome = "loaded"
    return outcome


def run_corpus(seeds, folder) -> dict:
    counts = {"refused": 0, "loaded": 0}
    path = folder / "damaged.json"
    for seed in seeds:
        path.write_bytes(damaged_file(seed))
        try:
            counts[load_one(path)] += 1
        except BaseException as exc:
            raise AssertionError(f"damaged file seed {seed}: {type(exc).__name__}: {exc}") from exc
    return counts


def test_damaged_examples_are_refused_or_loaded(tmp_path):
    counts = run_corpus(range(FILES), tmp_path)
    assert counts["refused"] > FILES / 2 and counts["loaded"] > 0, counts  # the corpus hits both sides


@pytest.mark.slow
def test_long_run_of_damaged_examples(tmp_path):
    began = time.perf_counter()
    counts = run_corpus(range(100_000, 100_000 + LONG), tmp_path)
    print(f"\nfuzzed loading: {LONG} files, {counts['refused']} refused, {counts['loaded']} loaded, "
          f"{time.perf_counter() - began:.1f} s")


def test_the_command_line_exits_2_on_every_refused_file(tmp_path, capsys):
    path = tmp_path / "damaged.json"
    codes = []
    for seed in range(60):
        path.write_bytes(damaged_file(seed))
        try:
            project.read(path)
            expected = (0, 1)
        except ProjectError:
            expected = (2,)
        capsys.readouterr()
        code = main.main(["check", str(path)])
        err = capsys.readouterr().err
        assert code in expected, (seed, code, err)
        assert "Traceback" not in err
        if code == 2:
            assert "damaged.json" in err
        codes.append(code)
    assert 2 in codes
