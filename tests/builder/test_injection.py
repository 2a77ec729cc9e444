"""Injection-proof export (issue 5): ids and params holding quotes, newlines, backslashes, unicode, keywords or
code are refused with a message or exported as inert text. The exported script compiles, runs as a script in a
subprocess (building the model), and does nothing else: no marker file appears. And no product code evaluates,
executes or unpickles anything (a scan of builder/, gui/ and main.py)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from builder.catalog.specs import CATALOG
from builder.keras.code_export import export_code
from builder.model.document import GraphDocument, GraphError
from tests.conftest import ROOT

MARKER = "MARKER"
CODE = f"__import__('os').system('touch {MARKER}')"
HOSTILE_TEXTS = [
    CODE, f'"); {CODE}; ("', f"'); {CODE}; ('", f'"""{CODE}"""', f"\\'; {CODE}  # ", f"\n{CODE}", f"\r{CODE}",
    f"a\u2028{CODE}", f"x\\\n{CODE}", "\\", "tail\\", 'q"uote', "q'uote", "été", "🙂", "\u202eevil", "\x00", "\t",
    "if", "lambda", "return", "def", "class", "None", "True", "__builtins__", "__import__", "os", "sys", "print",
    "eval", "exec", "keras", "layers", "{0}", "%(x)s", "f'{x}'", "a" * 300, "", " ", "x y", "0", "-1",
]
HOSTILE_VALUES = [*HOSTILE_TEXTS, [CODE], {"a": CODE}, [1, CODE], 1e308, -(2**70), float("nan")]


def _hostile_id_doc():
    """A chain Input -> Dense(id) for every hostile text the document accepts as an id; the refused ones listed."""
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [3]})
    refused, previous = [], "x"
    for text in HOSTILE_TEXTS:
        try:
            doc.add_node(text, "Dense", {"units": 2})
        except GraphError as exc:
            assert str(exc), text
            refused.append(text)
            continue
        doc.connect(previous, text)
        previous = text
    return doc, refused


def test_hostile_ids_are_refused_with_a_message_or_kept_as_text():
    doc, refused = _hostile_id_doc()
    accepted = [t for t in HOSTILE_TEXTS if t not in refused]
    assert CODE in accepted and "if" in accepted and "été" in accepted  # code is just a name here
    for text in refused:  # line breaks, invisible characters, edge spaces and long or empty names never get in
        assert not text.isprintable() or "/" in text or text != text.strip() or not text or len(text) > 100, text
    for style in ("layer", "function"):
        code = export_code(doc, style)
        tree = ast.parse(code)
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert set(accepted) <= strings | {"x"}
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not names & {"__import__", "eval", "exec", "system", "compile", "open"}
        calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and not isinstance(n.func, ast.Call)}  # layers.Dense(...)(x): the outer call calls a layer
        assert calls <= {"keras.Input", "keras.Model", "layers.Dense", "build_model", "model.summary"}, calls
        assert [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))] == \
            ["import keras", "from keras import layers"]


def test_hostile_param_values_are_refused_by_every_param_of_every_layer():
    """Only catalog values reach code: every text, list or number that is not one is refused, on every param."""
    accepted = []
    for layer, spec in sorted(CATALOG.items()):
        doc = GraphDocument()
        doc.add_node("n", layer)
        for param in spec.params:
            for value in HOSTILE_VALUES:
                try:
                    doc.set_param("n", param.name, value)
                except GraphError as exc:
                    assert param.name in str(exc) or "n" in str(exc)
                    continue
                accepted.append((layer, param.name, value))
    # Plain texts are never valid param values; the few accepted values are numbers a param allows.
    assert all(not isinstance(value, str) for _layer, _name, value in accepted), accepted


def test_the_exported_script_runs_in_a_subprocess_and_does_nothing_else(tmp_path_factory):
    tmp_path, home = tmp_path_factory.mktemp("run"), tmp_path_factory.mktemp("home")  # Keras writes ~/.keras
    doc, _refused = _hostile_id_doc()
    scripts = []
    for style in ("layer", "function"):
        path = tmp_path / f"exported_{style}.py"
        code = export_code(doc, style)
        compile(code, str(path), "exec")
        path.write_text(code, encoding="utf-8")
        scripts.append(str(path))
    # Both scripts run as __main__ (build_model() and summary()) in one interpreter, to import Keras once.
    runner = "import runpy, sys\nfor script in sys.argv[1:]:\n    runpy.run_path(script, run_name='__main__')\n"
    result = subprocess.run([sys.executable, "-c", runner, *scripts], cwd=tmp_path, capture_output=True, text=True,
                            check=False, timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow",
                                              "PATH": "/usr/bin:/bin", "HOME": str(home)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("Total params") == 2
    assert not (tmp_path / MARKER).exists() and not (ROOT / MARKER).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "__pycache__") == \
        ["exported_function.py", "exported_layer.py"]


# ---- no evaluation anywhere in the product -----------------------------------------------------------------

FORBIDDEN = re.compile(r"(?<![.\w])(eval|exec|execfile|compile)\s*\(|\b__import__\b|"
                       r"\b(pickle|cPickle|dill|marshal|shelve|jsonpickle)\b|"
                       r"\byaml\s*\.\s*(load|unsafe_load|full_load)\b")
PRODUCT = sorted([*ROOT.glob("builder/**/*.py"), *ROOT.glob("gui/**/*.py"), ROOT / "main.py"])


def _code_only(source: str) -> str:
    """The source with comments and docstrings blanked, so that a note saying "no pickle" is not a hit."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for i in range(node.lineno - 1, node.end_lineno):
                lines[i] = ""
    return "\n".join(line.split("#", 1)[0] if "#" in line and '"' not in line and "'" not in line else line
                     for line in lines)


@pytest.mark.parametrize("path", PRODUCT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_product_code_evaluates_or_unpickles_anything(path):
    hits = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for number, line in enumerate(_code_only(path.read_text(encoding="utf-8")).splitlines(), 1)
            if FORBIDDEN.search(line)]
    assert not hits, "evaluating or unpickling is not allowed in the product:\n" + "\n".join(hits)


def test_the_scan_finds_what_it_looks_for():
    for line in ["eval(text)", "x = exec(code)", "import pickle", "from marshal import loads", "yaml.load(f)",
                 "builtins.__import__('os')", "compile(src, 'f', 'exec')"]:
        assert FORBIDDEN.search(line), line
    for line in ["app.exec()", "box.exec()", "evaluate(x)", "executor", "json.loads(text)"]:
        assert not FORBIDDEN.search(line), line
