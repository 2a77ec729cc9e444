"""The import rules of the house (pyproject.toml's [tool.importlinter] contracts), checked by import-linter, and
the two it cannot express: imports of Keras inside functions only (so importing builder never loads
TensorFlow), and main.py importing the GUI only where it opens a window or takes screenshots."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is not installed (pip install -e '.[test]')"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_importing_builder_loads_no_qt_and_no_tensorflow():
    probe = ("import sys, builder, builder.keras.build, builder.keras.code_export, builder.keras.worker, "
             "builder.inference.report, builder.layout.auto_layout\n"
             "print([m for m in ('tensorflow', 'keras', 'PySide6', 'gui') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _module_level_imports(path: Path):
    for node in ast.parse(path.read_text()).body:  # module level only; imports inside functions are deferred
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""


def test_keras_is_imported_inside_functions_only():
    for path in (ROOT / "builder").rglob("*.py"):
        for name in _module_level_imports(path):
            assert not name.startswith(("keras", "tensorflow")), f"{path} imports {name} at module level"


def test_main_imports_the_gui_only_inside_the_functions_that_open_a_window_or_take_screenshots():
    for path in (ROOT / "main.py", *sorted((ROOT / "cli").glob("*.py"))):  # main.py and the commands it runs
        assert not [n for n in _module_level_imports(path) if n.split(".")[0] in ("gui", "PySide6")], path
