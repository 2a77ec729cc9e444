"""`python main.py screenshot`: PNGs of the main window with each example loaded, rendered offscreen.

The window has a fixed size and fresh settings (never the person's saved layout), the example is laid out
and fitted, and the node worth looking at is selected (the one with an error, else the first merge layer),
so the inspector and the shapes panel show something. Keras is not needed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from builder.files.atomic_file import atomic_target

SIZE = (1400, 860)


def _settle(app: QApplication, rounds: int = 5):
    for _ in range(rounds):
        app.processEvents()


def _node_to_show(controller) -> str | None:
    results, doc = controller.results, controller.doc
    for node in doc.node_ids():
        if results.get(node) and results[node].error:
            return node
    for node in doc.node_ids():
        if doc.layer(node) in ("Concatenate", "Add"):
            return node
    return next(iter(doc.node_ids()), None)


def _quiet_offscreen_notes(mode, context, message):
    # The offscreen platform says it "does not support propagateSizeHints()" for every window: not news.
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def write_screenshots(out_dir: Path, examples: list[str] | None = None, theme: str | None = None) -> list[Path]:
    """One PNG per example (all bundled examples by default), in the given theme ('light' or 'dark'; by default
    the desktop's) with the theme in the file name; returns the paths written. QT_SCALE_FACTOR=2 in the
    environment renders at 200% (twice the pixels)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(_quiet_offscreen_notes)
    from builder.files.project import ProjectError
    from gui.app import create_application
    from gui.files import example_files
    from gui.main_window import MainWindow
    from gui.theme import SETTINGS_KEY

    app = create_application()
    known = [name for name, _path, _description in example_files()]
    names = list(examples) if examples else known
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ProjectError(", ".join(unknown), [f"there is no such example; the examples are: {', '.join(known)}"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        if theme is not None:
            settings.setValue(SETTINGS_KEY, theme)  # the window applies it as it builds its menus
        for name in names:
            window = MainWindow(settings=settings, restore_layout=False)
            window.resize(*SIZE)
            window.files.open_example(name)
            window.show()
            _settle(app)
            node = _node_to_show(window.controller)
            if node:
                window.controller.select([node])
            window.canvas.fit_all()
            _settle(app)
            path = out_dir / (f"{name}_{theme}.png" if theme else f"{name}.png")
            with atomic_target(path) as tmp:
                if not window.grab().save(tmp, "PNG"):
                    raise OSError(f"cannot write {path}")
            written.append(path)
            window.close()
            window.deleteLater()
            _settle(app)
    return written
