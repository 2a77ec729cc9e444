"""The house rule DESIGN.md sets: builder/ is pure Python, with no Qt and no TensorFlow at import time."""

import ast
import subprocess
import sys

from tests.conftest import ROOT


def test_importing_builder_loads_no_qt_and_no_tensorflow():
    probe = ("import sys, builder, builder.keras_build, builder.codegen, builder.report, builder.layout\n"
             "print([m for m in ('tensorflow', 'keras', 'PySide6', 'gui') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_builder_source_never_imports_qt_or_gui():
    for path in (ROOT / "builder").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("PySide6", "PyQt", "gui")), f"{path.name} imports {name}"


def test_no_module_level_keras_import_outside_functions():
    for folder in ("builder", "gui"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in tree.body:  # module level only; imports inside functions are deferred on purpose
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                for name in names:
                    assert not name.startswith(("keras", "tensorflow")), f"{path} imports {name} at module level"
