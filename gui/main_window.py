"""The main window: the canvas in the centre, docks for the palette, inspector, shapes & errors, code preview
and undo history, the menus, and a status bar. It wires the parts together; each part does its own job.

One EditorController owns the document and the undo stack; everything else listens to it or pushes commands
through it. Keras is never imported in the window's process: `start_background_work` starts the Keras worker
process (gui/keras_service/) once the window is on screen.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QRectF, QSettings, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QUndoView

from gui.canvas.geometry import NODE_WIDTH
from gui.canvas.view import CanvasView
from gui.compare.manager import CompareManager
from gui.controller import EditorController
from gui.dialogs import Dialogs
from gui.export import ExportManager
from gui.files import MODEL_SUFFIXES, FileManager
from gui.generic_refresh import GenericShapeRefresher
from gui.importing import ImportManager
from gui.keras_service import KerasService, memory_limit
from gui.loading import DocumentLoader
from gui.menus import build_menus
from gui.panels.code_preview import CodePreview
from gui.panels.inspector import Inspector
from gui.panels.palette import Palette
from gui.panels.shapes_panel import ShapesPanel
from gui.panels.training_panel import TrainingPanel
from gui.recovery import Autosaver
from gui.status_bar import EditorStatusBar

APP_TITLE = "Keras Canvas"
DEFAULT_SIZE = (1400, 860)
KERAS_IMPORT_DELAY_MS = 400  # let the first frames paint before the import competes for the CPU
NEW_NODE_HEIGHT = 100.0  # about a node's height, to find a free spot for a new one
LAYOUT_VERSION = 1  # bump when the dock arrangement changes, so an old saved state is not applied


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, dialogs: Dialogs | None = None,
                 restore_layout: bool = True):
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.dialogs = dialogs if dialogs is not None else Dialogs(self)
        self.controller = EditorController(parent=self)
        self.controller.ask_detach = self.dialogs.ask_detach  # an edit one use of a block cannot share
        self.keras = KerasService(self, self.settings)
        self.canvas = CanvasView(self.controller, self)
        self.canvas.dialogs = self.dialogs  # frame rename and colour ask through the window's dialogs
        self.setCentralWidget(self.canvas)
        self.files = FileManager(self.controller, self.dialogs, self.settings, self)
        self.loader = DocumentLoader(self.controller, self.canvas.canvas_scene, self)
        self.files.loader = self.loader
        self.exports = ExportManager(self.controller, self.dialogs, self.keras, self.files, self)
        self.imports = ImportManager(self.files, self.dialogs, self.keras, self)
        self.files.import_model = self.imports.import_path  # File > Open or the command line given a .keras
        self.generic_shapes = GenericShapeRefresher(self.controller, self.keras, self)
        self.autosaver = Autosaver(self.controller, self.files, self)
        self.compare = CompareManager(self)  # File > Compare With…
        self._fitted_once = False
        self._fit_waiting = False  # a fit asked for while the canvas is still being drawn
        self._load_stage: str | None = None  # what the status bar says a load is doing
        self._closed = False
        self.setAcceptDrops(True)  # project files dropped from a file manager

        self.palette = Palette()
        self.inspector = Inspector(self.controller)
        self.shapes_panel = ShapesPanel(self.controller)
        self.code_preview = CodePreview(self.controller)
        self.history = QUndoView(self.controller.undo_stack)
        self.history.setEmptyLabel("<opened>")
        self.history.setWordWrap(True)  # long entries ("Set padding of conv_3x3, conv_5x5, …") wrap, not cut off
        self.training = TrainingPanel(self.controller, self.keras, self.dialogs, self.files)
        self._build_docks()
        self.status = EditorStatusBar(self)
        self.setStatusBar(self.status)
        build_menus(self)
        self._connect()

        self.resize(*DEFAULT_SIZE)
        self._default_state = self.saveState(LAYOUT_VERSION)
        if restore_layout:
            self._restore_layout()
        snap = self.settings.value("canvas/snap_to_grid", False)
        self.actions_by_name["snap"].setChecked(snap in (True, "true"))
        self.update_title()
        self.status.document = self.controller.doc  # its blocks: a shared block's weights are counted once
        self.status.counts = self.controller.counts
        self.status.show_counts(self.controller.results)

    # ---- layout -------------------------------------------------------------------------------------------

    def _dock(self, name: str, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")  # saveState/restoreState find docks by object name
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def _build_docks(self):
        self.docks: dict[str, QDockWidget] = {}
        left, right, bottom = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                               Qt.DockWidgetArea.BottomDockWidgetArea)
        # The left column runs the full height; the bottom row spans the canvas and the inspector, so the
        # table and the code get the width they need.
        self.setCorner(Qt.Corner.TopLeftCorner, left)
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, bottom)
        self.setDockNestingEnabled(True)
        palette = self._dock("palette", "Layers", self.palette, left)
        history = self._dock("history", "History", self.history, left)
        self.splitDockWidget(palette, history, Qt.Orientation.Vertical)
        self._dock("inspector", "Inspector", self.inspector, right)
        shapes = self._dock("shapes", "Shapes && Errors", self.shapes_panel, bottom)
        code = self._dock("code", "Python Code", self.code_preview, bottom)
        self.splitDockWidget(shapes, code, Qt.Orientation.Horizontal)
        # A tab beside the code, hidden until Keras > Train… (so its plotting library loads only then)
        self.tabifyDockWidget(code, self._dock("training", "Training", self.training, bottom))
        self.docks["training"].hide()
        self.resizeDocks([palette, history], [520, 200], Qt.Orientation.Vertical)
        self.resizeDocks([palette, self.docks["inspector"]], [210, 330], Qt.Orientation.Horizontal)
        self.resizeDocks([shapes], [270], Qt.Orientation.Vertical)
        self.resizeDocks([shapes, code], [640, 540], Qt.Orientation.Horizontal)

    def reset_layout(self):
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()

    def _restore_layout(self):
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)

    def _save_layout(self):
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))

    # ---- wiring -------------------------------------------------------------------------------------------

    def _connect(self):
        controller, status = self.controller, self.status
        self.palette.add_requested.connect(self.add_layer_at_center)
        self.shapes_panel.node_clicked.connect(self.canvas.center_on_node)
        # A size link of an error (issue 14): the inspector keeps the size's derivation open on its node.
        self.shapes_panel.size_opened.connect(self.inspector.keep_size_derivation)
        self.inspector.node_focus_requested.connect(self.canvas.center_on_node)
        self.shapes_panel.fix_preview = self.canvas.fix_preview  # its fix menu draws the same ghosts
        # After Enter in an inspector field the keyboard goes back to the canvas (its keys work at once); later,
        # so the field finishes its own editing first.
        self.inspector.enter_pressed.connect(lambda: QTimer.singleShot(0, self.canvas, self.canvas.setFocus))
        self.canvas.status_message.connect(status.show_info)
        controller.refused.connect(status.show_refusal)
        for source in (self.files.status, self.exports.status, self.imports.status, self.code_preview.copied):
            source.connect(status.show_info)
        self.files.name_changed.connect(self.update_title)
        self.files.document_opened.connect(self._fit_soon)
        controller.undo_stack.cleanChanged.connect(self.update_title)
        controller.edited.connect(lambda _edit: status.show_counts(controller.results))
        self.keras.state_changed.connect(status.set_keras_state)
        self.keras.busy_changed.connect(self._keras_busy)
        self.keras.progress.connect(status.set_progress)
        status.cancel_requested.connect(self._cancel)
        self.loader.failed.connect(self.files._on_load_failed)
        self.loader.progress.connect(self._show_load_progress)
        self.loader.finished.connect(self._load_finished)
        self.canvas.canvas_scene.built.connect(self._fit_if_waiting)

    def update_title(self, *_):
        star = "*" if self.files.modified else ""
        self.setWindowTitle(f"{APP_TITLE} — {self.files.display_name}{star}")

    # ---- actions ------------------------------------------------------------------------------------------

    def add_layer_at_center(self, layer: str) -> str | None:
        """Add a layer in the middle of the view, stepping aside from nodes already there so that it does not
        hide under (or cover) one of them."""
        center = self.canvas.mapToScene(self.canvas.viewport().rect().center())
        spot = QRectF(center.x() - NODE_WIDTH / 2, center.y() - NEW_NODE_HEIGHT / 2, NODE_WIDTH, NEW_NODE_HEIGHT)
        taken = [item.sceneBoundingRect() for item in self.canvas.canvas_scene.node_items()]
        for _ in range(40):
            if not any(spot.intersects(rect) for rect in taken):
                break
            spot.translate(0, NEW_NODE_HEIGHT / 2)
        node_id = self.canvas.add_node_at(layer, spot.topLeft())
        if node_id:
            self.canvas.setFocus()
        return node_id

    def set_snap_to_grid(self, on: bool):
        self.canvas.snap_to_grid = on
        self.settings.setValue("canvas/snap_to_grid", bool(on))

    def show_about(self):
        self.dialogs.info(f"About {APP_TITLE}",
                          "Keras Canvas builds Keras functional models on a canvas: every node shows its output "
                          "shape and parameter count while you edit, every mistake is shown on the node that "
                          "causes it, and the graph exports to Python code or a .keras file.\n\n"
                          f"Keras: {self.keras.detail}")

    def ask_keras_memory_limit(self) -> bool:
        """Keras > Memory Limit…: the most the worker process may use, kept in the settings."""
        keras = self.keras
        text = self.dialogs.ask_text(
            "Keras memory limit",
            f"The most memory the Keras worker process may use, in MB (at least {memory_limit.MIN_MB}; the "
            f"default is half of this machine's, {memory_limit.default_mb():,} MB). A model that needs more is "
            "stopped with a message instead of slowing the whole machine down.",
            str(keras.memory_limit_mb))
        if text is None:
            return False
        mb = memory_limit.parse_mb(text.replace(",", ""))
        machine = memory_limit.machine_mb()
        if mb is None or (machine and mb > machine):
            most = f"{machine:,}" if machine else "the machine's memory"
            self.dialogs.error("Keras memory limit", f"{text[:40]!r} is not a limit in MB between "
                               f"{memory_limit.MIN_MB} and {most}; the limit stays {keras.memory_limit_mb:,} MB")
            return False
        keras.set_memory_limit(mb)
        note = (f" (the environment variable {memory_limit.ENV_VAR} overrides it at the next start)"
                if memory_limit.ENV_VAR in os.environ else "")
        self.status.show_info(f"Keras memory limit: {mb:,} MB{note}")
        return True

    def start_background_work(self, delay_ms: int = KERAS_IMPORT_DELAY_MS):
        """Start the Keras worker process shortly after the window is on screen."""
        QTimer.singleShot(delay_ms, self, self.keras.start_loading)

    def _fit_soon(self):
        # The canvas rebuilds its items on a reset edit; fit once they exist and the view has its size. A large
        # document's are made in slices, those in view first (gui/canvas/scene_build.py): fit at once on where
        # its cards will stand, so the view shows where they are made, and again once the last exists (its
        # true card heights), unless the person has panned or zoomed meanwhile.
        if self.canvas.canvas_scene.building:
            self.canvas.fit_all()
            self._fit_waiting = True
        else:
            QTimer.singleShot(0, self, self.canvas.fit_all)

    def _fit_if_waiting(self):
        if self._fit_waiting:
            self._fit_waiting = False
            QTimer.singleShot(0, self, self.canvas.refit_if_kept)

    # ---- loading a large document (gui/loading.py) ----------------------------------------------------------

    def _show_load_progress(self, stage: str, fraction: float):
        if not self.status.busy_text.startswith(self.loader.label):
            self.status.set_busy(True, self.loader.label)
            self.status.cancel_button.setToolTip("Stop opening it; the document open before stays")
        self.status.set_fraction(fraction)
        if stage != self._load_stage:  # the label's text is set (and the bar laid out) once per stage
            self._load_stage = stage
            self.status.set_progress(stage)

    def _load_finished(self, _shown: bool):
        self._load_stage = None
        if self.status.busy_text.startswith(self.loader.label):
            self.status.cancel_button.setToolTip("Stop what Keras is doing (its process is restarted)")
            if self.keras.busy:
                self.status.set_fraction(None)
            self.status.set_busy(self.keras.busy, self.keras.busy_text)

    def _keras_busy(self, busy: bool):
        if self.loader.busy and self.loader.shown_progress:
            return  # the load's progress keeps the status bar; Keras's shows when it ends (_load_finished)
        if busy:
            self.status.set_fraction(None)  # Keras reports stages, not fractions: the moving bar
        self.status.set_busy(busy, self.keras.busy_text)

    def _cancel(self):
        """The status bar's Cancel: the load under way if there is one, else what Keras is doing."""
        if not self.loader.cancel():
            self.keras.cancel()

    # ---- Qt events ----------------------------------------------------------------------------------------

    def showEvent(self, event):
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            self._fit_soon()

    def dragEnterEvent(self, event):
        # Files dragged from a file manager; the canvas takes palette drags itself and passes these on.
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event):
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        if not any(p.lower().endswith(".json") for p in paths):
            models = [p for p in paths if p.lower().endswith(MODEL_SUFFIXES)]
            if models:  # a .keras or .h5 file: import it, as File > Import Keras Model… does
                self.imports.import_path(models[0])
                return
        self.files.open_dropped(paths)

    def closeEvent(self, event):
        if not self._closed and not self.files.maybe_save():
            event.ignore()
            return
        if not self._closed:
            self._closed = True
            self.autosaver.stop()  # saved or discarded: nothing left to recover
            self._save_layout()
            self.files.remember_session()
            self.hide()  # close visibly at once, whatever the worker is doing
            self.compare.close_window()
            self.shutdown()
        event.accept()

    def shutdown(self):
        """Stop background work (a Keras task in progress is abandoned with its process). Safe to call twice."""
        self.autosaver.timer.stop()  # ended by a signal with unsaved changes: the recovery file stays
        self.keras.stop()
