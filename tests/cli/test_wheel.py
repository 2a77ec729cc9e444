"""A wheel that works: built from the project's own files, installed (not editable) into a fresh virtual
environment that sees this one's packages (so nothing is downloaded but the build backend), it runs the command
line and opens the window with its stylesheet, from a folder far from the checkout, with the examples and the
stylesheet found through importlib.resources."""

import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

TIMEOUT_S = 600  # only catches a hang: building and installing take seconds


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh venv with the project's wheel installed, seeing this venv's site-packages."""
    base = tmp_path_factory.mktemp("wheel")
    # Without PYTHONPATH: with the checkout on it, pip sees the checkout's keras_canvas.egg-info (left by the wheel
    # build) as keras-canvas "already installed" and installs nothing into the fresh venv.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(base / "dist")],
                   check=True, timeout=TIMEOUT_S, capture_output=True, env=clean)
    (wheel,) = (base / "dist").glob("keras_canvas-*.whl")
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    ours = next(p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir())
    (site / "test_venv.pth").write_text(str(ours) + "\n")  # PySide6, TensorFlow, networkx: already here
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, timeout=TIMEOUT_S, capture_output=True, env=clean)
    return env_dir / "bin"


def _run(bin_dir: Path, args, cwd: Path, **env):
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment.update(env)
    return subprocess.run([str(bin_dir / "keras-canvas"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=environment, check=False)


def test_the_installed_command_line_lists_writes_and_checks_the_examples(installed, tmp_path):
    listed = _run(installed, ["examples"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "cnn_28x28_three_kernels" in listed.stdout and "two_inputs" in listed.stdout
    written = _run(installed, ["example", "cnn_28x28_three_kernels", "-o", "f.json"], tmp_path)
    assert written.returncode == 0 and (tmp_path / "f.json").is_file(), written.stderr
    checked = _run(installed, ["check", "f.json", "--json"], tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["total_params"] == 9_637_962


def test_the_installed_window_opens_with_its_stylesheet_and_code_from_the_wheel(installed, tmp_path):
    probe = ("import sys, builder, gui, keras_canvas_resources\n"
             "from PySide6.QtWidgets import QApplication\n"
             "from gui.theme import apply_style\n"
             "app = QApplication([])\n"
             "apply_style(app)\n"
             "print(len(app.styleSheet()), builder.__file__, keras_canvas_resources.__file__)")
    result = subprocess.run([str(installed / "python"), "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            timeout=TIMEOUT_S, check=False,
                            env={**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                                 "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    length, builder_file, resources_file = result.stdout.split()
    assert int(length) > 500  # resources/style.qss, filled with the theme's colours
    assert str(installed.parent) in builder_file and str(installed.parent) in resources_file  # not the checkout
    window = _run(installed, [], tmp_path, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit")
    assert window.returncode == 0, window.stderr
    assert "'Keras Canvas — cnn_28x28_three_kernels.json (example)', 8 nodes" in window.stdout


def test_the_wheel_lists_every_package_in_the_tree():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    in_tree = {".".join(init.parent.relative_to(ROOT).parts) for top in ("builder", "cli", "gui")
               for init in (ROOT / top).rglob("__init__.py")}
    assert in_tree == listed - {"keras_canvas_resources"}
