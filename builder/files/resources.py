"""Where the bundled resources are (the example projects, the window's stylesheet): in an installed wheel they
are the package `keras_canvas_resources` (pyproject.toml maps the project's resources/ folder to it), found with
importlib.resources; run from a checkout as it is, they are the resources/ folder beside builder/.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGE = "keras_canvas_resources"


def resources_dir() -> Path:
    try:
        return Path(str(importlib.resources.files(PACKAGE)))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


def examples_dir() -> Path:
    return resources_dir() / "examples"


def style_sheet_path() -> Path:
    return resources_dir() / "style.qss"
