"""File > Compare With File… and Compare With Last Saved Version: read the other version (a project file, refused
with a message naming it when it cannot be read), compare this document with it, and show the side by side
window; its "Overlay on Canvas" button marks the same comparison on the canvas instead, following each edit.

Keras model files are compared on the command line (`python main.py diff MODEL.keras this.json`): importing one
needs the Keras worker, and in the window that opens it as a new document (File > Import Keras Model…).
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QObject

import builder
from gui.compare.compare_window import CompareWindow
from gui.compare.overlay import CanvasOverlay
from gui.compare.session import CompareSession
from gui.files import read_for_window

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")


class CompareManager(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view: CompareWindow | None = None
        self.overlay: CanvasOverlay | None = None
        self.other = None  # (graph, name) of the version compared with

    def compare_with_file(self) -> bool:
        path = self.window.dialogs.compare_path(self.window.files.last_dir())
        return self.compare_with_path(path) if path else False

    def compare_with_saved(self) -> bool:
        path = self.window.files.path
        if path is None:
            self.window.dialogs.info("Compare With Last Saved Version",
                                     "This document has not been saved yet, so there is no saved version to "
                                     "compare with. Use Compare With File… to pick another project.")
            return False
        return self.compare_with_path(path, f"{Path(path).name} (saved)")

    def compare_with_path(self, path, name: str | None = None) -> bool:
        path = Path(path)
        if path.suffix.lower() in MODEL_SUFFIXES:
            self.window.dialogs.error(f"Cannot compare with {path.name}",
                                      f"{path.name} is a Keras model file; the window compares project files.\n"
                                      "Import it first (File > Import Keras Model…) and save it as a project\n"
                                      f"Or compare on the command line: python main.py diff {path.name} FILE.json")
            return False
        try:
            other = read_for_window(path)
        except builder.ProjectError as exc:
            self.window.dialogs.error(f"Cannot compare with {path.name}", str(exc))
            return False
        self.show(other, name or path.name)
        return True

    def canvas_positions(self) -> dict:
        return {item.node_id: (item.pos().x(), item.pos().y())
                for item in self.window.canvas.canvas_scene.node_items()}

    def show(self, other_graph, name: str):
        """Open (or refresh) the side by side window on a snapshot of this document."""
        self.other = (other_graph, name)
        this = copy.deepcopy(self.window.controller.doc.graph)  # a picture: later edits do not pull it apart
        session = CompareSession(other_graph, name, this, self.canvas_positions())
        if self.view is None:
            self.view = CompareWindow(session, self.window.files.display_name, self.window)
            self.view.overlay_toggled.connect(self.set_overlay)
        else:
            self.view.this_name = self.window.files.display_name
            self.view.show_session(session)
        self.view.show()
        self.view.raise_()
        self.window.status.show_info(f"Compared with {name}: {session.totals()}")
        if self.overlay is not None:
            self.set_overlay(True)

    def close_window(self):
        """Close the side by side window with the editor: it belongs to that document (a window of its own,
        it would stay shown, and on top, wherever the process goes on after the editor closed)."""
        if self.view is not None:
            self.view.close()

    def set_overlay(self, on: bool):
        if self.overlay is not None:
            self.overlay.close()
            self.overlay = None
        if on and self.other is not None:
            graph, name = self.other
            session = CompareSession(graph, name, self.window.controller.doc.graph, self.canvas_positions())
            self.overlay = CanvasOverlay(self.window.controller, self.window.canvas.canvas_scene, session, self)
            self.window.status.show_info(f"Changes since {name} are marked on the canvas: {session.totals()}")
        if self.view is not None and self.view.overlay_button.isChecked() != on:
            self.view.overlay_button.setChecked(on)
