"""New, Open, Save, Save As, Open Recent and Examples: where the document comes from and goes to (File >
Import… runs on the Keras worker, gui/importing.py, and opens its result here).

Opening reads the whole file first; an unreadable one gets a dialog with the reader's message and the open
document stays exactly as it was. Unsaved changes (the undo stack is not clean) are offered for saving before
New, Open and closing. A bundled example opens as an unsaved copy, so Save never overwrites it.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

import builder
from builder.files.project import ProjectError
from builder.files.resources import examples_dir
from builder.layout.auto_layout import auto_layout
from builder.model.document import ui_of
from gui.dialogs import PROJECT_FILTER, Dialogs
from gui.loading import SYNC_NODES, DocumentLoader, prepare_graph

EXAMPLES_DIR = examples_dir()
DEFAULT_EXAMPLE = "cnn_28x28_three_kernels"
MAX_RECENT = 8
RECENT_KEY = "files/recent"
LAST_DIR_KEY = "files/last_dir"  # projects; other kinds of file have their own: last_dir(kind)
FILE_KINDS = ("projects", "imports", "exports")
LAST_DOCUMENT_KEY = "files/last_document"
# The window opens large graphs in the background and draws them in slices (gui/loading.py): 10,000 nodes take
# a few seconds and about 200 MB. Past MAX_WINDOW_NODES it would need gigabytes and minutes, so such a file is
# refused with a message (the command line checks and exports graphs of any size); the nodes are counted
# before the file is even parsed.
MAX_WINDOW_NODES = 100_000
MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")  # Keras model files: imported through the Keras worker, not opened


def is_model_file(path) -> bool:
    """A Keras model file (imported through the worker) rather than a project (opened)."""
    return str(path).lower().endswith(MODEL_SUFFIXES)


def refuse_too_large(raw: bytes, path: Path) -> int:
    """The quick count of a project file's nodes (its "layer" keys); ProjectError past MAX_WINDOW_NODES."""
    estimate = raw.count(b'"layer"')
    if estimate > MAX_WINDOW_NODES:
        raise ProjectError(str(path), [too_large_message(estimate, f"python main.py check {path.name}, export or "
                                                                   "build", approximate=True)])
    return estimate


def parse_for_window(raw: bytes, path: Path) -> nx.MultiDiGraph:
    """A project file's bytes as a graph the window can show, or ProjectError (see read_for_window)."""
    refuse_too_large(raw, path)
    graph = builder.files.project.from_bytes(raw, str(path))  # refuses too many JSON values before decoding
    if len(graph) > MAX_WINDOW_NODES:
        raise ProjectError(str(path), [too_large_message(len(graph), f"python main.py check {path.name}, export "
                                                                     "or build")])
    return graph


def read_for_window(path) -> nx.MultiDiGraph:
    """builder.load, refusing graphs too large to show (ProjectError) before spending time on them.

    The file is read once, through the project reader's bounded reader (a regular file of at most 64 MiB:
    /dev/zero or a FIFO is refused at once, never read or waited on), and looked at before it is parsed:
    `"layer"` counts the nodes, and the count of JSON values refuses absurd structure (twenty million empty
    lists) in milliseconds; only then is it parsed, from the same bytes."""
    path = Path(path)
    return parse_for_window(builder.files.project.read_bytes(path), path)


def too_large_message(count: int, command: str, approximate: bool = False) -> str:
    """Why a graph over MAX_WINDOW_NODES is not shown, and the command line that takes it instead."""
    return (f"the graph has {'about ' if approximate else ''}{count:,} nodes; the window shows at most "
            f"{MAX_WINDOW_NODES:,} (a larger one would take gigabytes of memory and minutes to draw). Use the "
            f"command line for it: {command}")


def example_files() -> list[tuple[str, Path, str]]:
    """(name, path, description) of each bundled example, by name."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        try:
            description = (builder.load(path).graph.get("ui") or {}).get("description", "")
        except ProjectError as exc:
            description = str(exc)
        found.append((path.stem, path, description))
    return found


def with_positions(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Give every node without a canvas position one from the automatic layout."""
    positions = ui_of(graph).setdefault("positions", {})
    missing = [n for n in graph if n not in positions]
    if missing:
        layout = auto_layout(graph)
        for node in missing:
            positions[node] = layout[node]
    return graph


class FileManager(QObject):
    document_opened = Signal()  # another document is in the editor (new, open, example)
    open_failed = Signal(str, str)  # a file could not be opened (its path, why); the open document stays
    name_changed = Signal()  # display_name changed
    status = Signal(str)

    def __init__(self, controller, dialogs: Dialogs, settings: QSettings, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.dialogs = dialogs
        self.settings = settings
        self.path: Path | None = None
        self.example: str | None = None
        self.imported_from: Path | None = None  # the model file an unsaved imported document came from
        # Opens large documents in the background (gui/loading.py); the window sets it (None: all at once).
        self.loader: DocumentLoader | None = None
        self._load_failed = lambda exc: None
        self.import_model = None  # path -> bool: the window's import of a Keras model file (gui/importing.py)

    # ---- what the title shows -----------------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        if self.example:
            return f"{self.example}.json (example)"
        if self.imported_from is not None:
            return f"{self.imported_from.stem}.json (imported from {self.imported_from.name})"
        return "untitled.json"

    @property
    def stem(self) -> str:
        if self.path is not None:
            return self.path.stem
        return self.example or (self.imported_from.stem if self.imported_from is not None else "untitled")

    @property
    def modified(self) -> bool:
        return not self.controller.undo_stack.isClean()

    def suggested_path(self, suffix: str, kind: str = "projects") -> str:
        """Where a save dialog starts: the exports folder last used for an export, else the project's."""
        folder = self.path.parent if self.path is not None else Path(self.last_dir())
        if kind != "projects" and self._stored_dir(kind):
            folder = Path(self._stored_dir(kind))
        return str(folder / f"{self.stem}{suffix}")

    # ---- actions ------------------------------------------------------------------------------------------

    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self._replace(nx.MultiDiGraph(), None, None)
        self.status.emit("New empty model: drag layers from the palette, or press Tab on the canvas")
        return True

    def open(self) -> bool:
        path = self.dialogs.open_path(self.last_dir())
        return self.open_path(path) if path else False

    def open_path(self, path, report: bool = True) -> bool:
        """Open a project file. A large one is read, checked and drawn in the background (gui/loading.py):
        True then means the load has started; a problem with the file gets the same dialog when it is found.
        `report=False`: a file that cannot be opened is passed over silently (the last session's document).
        A Keras model file (File > Open, Open Recent, the command line) is handed to `import_model` (the
        window's import), since its bytes are no project."""
        if self.import_model is not None and is_model_file(path):
            return self.import_model(path)
        path = Path(path)
        if self.loader is not None:
            try:
                raw = builder.files.project.read_bytes(path)
                estimate = refuse_too_large(raw, path)  # at once, before any parsing
            except ProjectError as exc:
                return self._refused(path, exc, report)
            if estimate > SYNC_NODES:
                self._load_async(f"Opening {path.name}…", lambda: parse_for_window(raw, path),
                                 lambda graph, inference: self._opened(graph, path, inference),
                                 lambda exc: self._refused(path, exc, report))
                return True
        try:
            graph = with_positions(read_for_window(path))
        except ProjectError as exc:
            return self._refused(path, exc, report)
        if not self.maybe_save():
            return False
        self._opened(graph, path)
        return True

    def _opened(self, graph, path: Path, inference=None):
        self._replace(graph, path.resolve(), None, inference)
        self.add_recent(path)
        self.status.emit(f"Opened {path}")

    def _refused(self, path: Path, exc: ProjectError, report: bool = True) -> bool:
        if report:
            self.dialogs.error(f"Cannot open {path.name}", str(exc))
        self.open_failed.emit(str(path), str(exc))
        return False

    def _load_async(self, label: str, read, shown, failed, ask: bool = True) -> None:
        """Read (in a thread: read() -> graph), lay out and infer in the background, then, once the person
        agrees to leave the open document (maybe_save), `shown(graph, inference)` puts it in the editor and the
        canvas draws it; Cancel keeps or puts back the document open now (see gui/loading.py)."""
        previous = (self.controller.doc.graph, self.path, self.example, self.imported_from, self.modified)

        def prepare(preparation):
            preparation.enter("reading")
            prepare_graph(read(), preparation, with_positions)

        def show(graph, inference) -> bool:
            if ask and not self.maybe_save():
                return False
            shown(graph, inference)
            return True

        def restore():
            graph, path, example, imported_from, modified = previous
            self._replace(graph, path, example)
            self.imported_from = imported_from
            if modified:
                self.controller.undo_stack.resetClean()
            self.name_changed.emit()
            self.status.emit(f"Cancelled {label.rstrip('…').lower()}; the document open before is back")

        self._load_failed = failed
        self.loader.start(label, prepare, show, restore)

    def _on_load_failed(self, exc):
        if isinstance(exc, ProjectError):
            self._load_failed(exc)
        else:  # a bug of ours while preparing: say so rather than lose the message
            self.dialogs.error("Cannot open the document", f"{type(exc).__name__}: {exc}")


    def open_dropped(self, paths) -> bool:
        """Files dropped on the window: a .json is opened (a bad one gets the reader's dialog); anything else
        is refused with a status message, since the app opens only projects."""
        paths = [Path(p) for p in paths]
        projects = [p for p in paths if p.suffix.lower() == ".json" and p.is_file()]
        if not projects:
            names = ", ".join(p.name for p in paths[:3]) or "that"
            self.status.emit(f"Cannot open {names}: Keras Canvas opens project files (.json); use File > Open")
            return False
        return self.open_path(projects[0])

    def restore(self, graph, path: Path | None) -> None:
        """Show a recovered document (gui/recovery.py) as unsaved changes to `path` (None: untitled)."""
        self._replace(with_positions(graph), path, None)
        self.controller.undo_stack.resetClean()  # unsaved until saved: nothing on disk holds these edits
        self.name_changed.emit()
        self.status.emit("Restored the unsaved changes from the last session; save them to keep them")

    def open_example(self, name: str) -> bool:
        path = EXAMPLES_DIR / f"{name}.json"
        graph = self._read(path)
        if graph is None or not self.maybe_save():
            return False
        self._replace(graph, None, name)
        self.status.emit(f"Opened the example {name}")
        return True

    def open_imported(self, graph, source) -> None:
        """Show a graph imported from a Keras model file (gui/importing.py) as an unsaved document, like an
        example: Save asks where. The caller has offered to save the previous document. A large one is laid
        out, inferred and drawn in the background, like a large file."""
        source = Path(source)

        def shown(graph, inference=None):
            self._replace(graph, None, None, inference)
            self.imported_from = source
            self.remember_dir("imports", source)
            self.name_changed.emit()

        if self.loader is not None and len(graph) > SYNC_NODES:
            self._load_async(f"Showing {source.name}…", lambda: graph, shown, lambda exc: None, ask=False)
            return
        shown(with_positions(graph))

    def save(self) -> bool:
        return self.save_as() if self.path is None else self._write(self.path)

    def save_as(self) -> bool:
        path = self.dialogs.save_path("Save project as", self.suggested_path(".json"), PROJECT_FILTER, ".json")
        return self._write(Path(path)) if path else False

    def maybe_save(self) -> bool:
        """True if the editor may drop the document: it is saved, or the person saved or discarded it."""
        if not self.modified:
            return True
        answer = self.dialogs.ask_save_changes(self.display_name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    # ---- recent files -------------------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):  # INI settings give back a lone entry as a string
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path):
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue(RECENT_KEY, recent[:MAX_RECENT])
        self.settings.setValue(LAST_DIR_KEY, str(Path(path).parent))

    def fill_recent_menu(self, menu: QMenu):
        menu.clear()
        recent = self.recent_files()
        for index, path in enumerate(recent, 1):
            action = QAction(f"&{index} {Path(path).name}", menu)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
            menu.addAction(action)
        if recent:
            menu.addSeparator()
            menu.addAction("Clear Recent Files", lambda: self.settings.setValue(RECENT_KEY, []))
        else:
            menu.addAction("No recent files").setEnabled(False)

    def fill_examples_menu(self, menu: QMenu):
        menu.clear()
        menu.setToolTipsVisible(True)
        for name, _path, description in example_files():
            action = QAction(name, menu)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))
            menu.addAction(action)

    # ---- helpers ------------------------------------------------------------------------------------------

    def _read(self, path: Path):
        try:
            return with_positions(read_for_window(path))
        except ProjectError as exc:
            self.dialogs.error(f"Cannot open {path.name}", str(exc))
            return None

    def _write(self, path: Path) -> bool:
        try:
            builder.save(self.controller.doc, path)
        except OSError as exc:
            self.dialogs.error(f"Cannot save {path.name}", f"{path}: {exc.strerror or exc}")
            return False
        self.path, self.example, self.imported_from = path.resolve(), None, None
        self.controller.undo_stack.setClean()
        self.add_recent(path)
        self.name_changed.emit()
        self.status.emit(f"Saved {path}")
        return True

    def _replace(self, graph, path: Path | None, example: str | None, inference=None):
        self.path, self.example, self.imported_from = path, example, None
        self.controller.replace_document(graph, inference)
        self.name_changed.emit()
        self.document_opened.emit()

    def last_dir(self, kind: str = "projects") -> str:
        """Where a file dialog for this kind of file starts (projects, imports, exports): the folder last used
        for that kind, else the projects' folder, else home."""
        return self._stored_dir(kind) or self._stored_dir("projects") or str(Path.home())

    def remember_session(self) -> None:
        """At close: the saved project now open, for the next start to reopen (none for an example, an import
        or an untitled document: those start with the bundled example again)."""
        self.settings.setValue(LAST_DOCUMENT_KEY, str(self.path) if self.path is not None else "")

    def last_document(self) -> Path | None:
        """The project the last session closed with, if it is still a file."""
        value = self.settings.value(LAST_DOCUMENT_KEY, "")
        return Path(str(value)) if value and Path(str(value)).is_file() else None

    def remember_dir(self, kind: str, path) -> None:
        """The folder of a file just opened, imported or exported, for the next dialog of its kind."""
        self.settings.setValue(self._dir_key(kind), str(Path(path).resolve().parent))

    def _stored_dir(self, kind: str) -> str | None:
        value = self.settings.value(self._dir_key(kind))
        return str(value) if value and Path(str(value)).is_dir() else None

    @staticmethod
    def _dir_key(kind: str) -> str:
        if kind not in FILE_KINDS:
            raise ValueError(f"unknown kind of file {kind!r}; one of {FILE_KINDS}")
        return LAST_DIR_KEY if kind == "projects" else f"files/last_dir_{kind}"
