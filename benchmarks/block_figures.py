"""Blocks (issue 20): MobileNetV2 and DenseNet121 (keras.applications, weights=None: nothing downloaded) are
imported once, saved as projects, and opened as a person opens them: the project file read, inference, the
canvas built with the blocks collapsed and the window painted. Printed: the top-level items each shows (budget
<= 30) and the seconds from the file to a painted window, in this process (budget <= 1 s) and as a fresh app
process (main.py FILE, the probe line: that includes starting Python and Qt).

    .venv/bin/python -m benchmarks.block_figures            # all
    .venv/bin/python -m benchmarks.block_figures --edits    # only the edit made in every use (no Keras)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.builder_figures import Figure, median_ms

APPLICATIONS = ("MobileNetV2", "DenseNet121")


def imported_projects() -> dict[str, Path]:
    """name -> a project file of the imported application (built and imported in a child-free way here)."""
    import keras

    from builder import save
    from builder.keras.importer import model_to_graph

    folder = Path(tempfile.mkdtemp(prefix="kc_bench_blocks_"))
    out = {}
    for name in APPLICATIONS:
        doc = model_to_graph(getattr(keras.applications, name)(weights=None))
        out[name] = folder / f"{name}.json"
        save(doc, out[name])
    return out


def _open_in_window(path: Path, runs: int) -> float:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import builder
    from gui.app import create_application
    from gui.main_window import MainWindow

    app = QApplication.instance() or create_application()
    settings = QSettings(str(Path(tempfile.mkdtemp(prefix="kc_bench_")) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, restore_layout=False)
    window.show()
    app.processEvents()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        window.controller.replace_document(builder.load(path))
        window.canvas.fit_all()
        window.repaint()
        app.processEvents()
        times.append(time.perf_counter() - start)
    window.controller.undo_stack.setClean()
    window.shutdown()
    window.close()
    return statistics.median(times)


def every_use_figures(quick: bool) -> list[Figure]:
    """A structural edit inside one use of a definition, made in every use (builder/editing/every_use.py): a
    layer deleted in one of 10 uses of a 20-layer block, in a 2,000-node model, done and undone; beside the same
    Delete done alone in the same document (the ratio is what following the uses costs)."""
    from builder.editing.block_edits import UseAgain, create_block
    from builder.editing.commands import Connect, Delete, History
    from builder.editing.every_use import in_every_use
    from builder.model.document import GraphDocument

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [16]}, position=(0.0, 0.0))
    previous = "x"
    for i in range(2000):
        doc.add_node(f"d{i}", "Dense", {"units": 16}, position=(200.0 * (i + 1), 0.0))
        doc.connect(previous, f"d{i}")
        previous = f"d{i}"
    history = History(doc)
    history.push(create_block(doc, [f"d{i}" for i in range(100, 120)], "stage")[1])
    for n in range(9):
        use = UseAgain("stage", offset=(0.0, 400.0 * (n + 1)))
        history.push(use)
        history.push(Connect("x", use.paste.renamed["d100"]))

    def edit(wrapped: bool):
        command = in_every_use(doc, Delete(["d110"])) if wrapped else Delete(["d110"])
        command.do(doc)
        command.undo(doc)

    repeat = 5 if quick else 15
    every = median_ms(lambda: edit(True), repeat)
    alone = median_ms(lambda: edit(False), repeat)
    return [Figure("delete a layer in 1 of 10 uses (2,000 nodes), made in every use: do + undo", every, "ms",
                   "<= 100 ms", every <= 100),
            Figure("the same, the one use alone (plain Delete): do + undo", alone, "ms"),
            Figure("every use / one use", every / alone if alone else 0.0, "x")]


def block_figures(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import builder
    from benchmarks.gui_figures import _launch
    from builder.model.blocks import top_level_items

    figures = every_use_figures(quick)
    for name, path in imported_projects().items():
        items = len(top_level_items(builder.load(path)))
        figures.append(Figure(f"{name} imported: top-level items (blocks collapsed)", items, "items", "<= 30",
                              items <= 30))
        seconds = _open_in_window(path, 3 if quick else 7)
        figures.append(Figure(f"{name}: open the project to a painted window (in process)", seconds, "s", "<= 1.0 s",
                              seconds <= 1.0))
        cold, _mb, _tf = _launch([str(path)], 2 if quick else 3)
        figures.append(Figure(f"{name}: main.py FILE to a painted window (new process)", cold, "s"))
    return figures


if __name__ == "__main__":
    from benchmarks.run import table

    quick = "--quick" in sys.argv
    print(table(every_use_figures(quick) if "--edits" in sys.argv else block_figures(quick)))
