"""The one place where edits enter the document: commands go through the QUndoStack, and at the end of every
edit (a push, one undo or redo step, a new document, a Keras shape stored) inference reruns once and the
controller emits one `edited` signal with an Edit: the document's events, the nodes whose results changed,
the nodes removed, whether the wiring changed, whether the document was replaced. Every view follows it.

Canvas items and panels hold node ids, never copies of state; they read the document and `results`. A view
turns a user's intent into a builder command and calls `push`, which comes back with the document's refusal
if there is one; listeners of these signals never push commands themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from builder.editing.commands import Command
from builder.editing.every_use import NeedsDetach, detach_then, in_every_use
from builder.inference.engine import NodeResult, ShapeInference
from builder.model.document import Change, GraphDocument, GraphError
from gui.model_counts import ModelCounts

_WIRING = frozenset({"node_added", "node_removed", "node_renamed", "edge_added", "edge_removed", "reset"})


@dataclass(frozen=True)
class Edit:
    """What one edit did, as the views need it (sent once per edit by EditorController.edited)."""

    changes: tuple[Change, ...]  # the document's own events, in the order they happened
    changed: frozenset[str]  # nodes whose inference result changed (new nodes included)
    removed: frozenset[str]  # ids that were in the document before the edit and are not now
    wiring_changed: bool  # nodes or wires added, removed or renamed: the graph order may differ
    reset: bool = False  # the whole document was replaced (new, open, import)
    undo_step: bool = True  # the person's edit, or its undo or redo (not a Keras shape stored by the app)


@dataclass(frozen=True)
class Pushed:
    """What `push` returns: true when the edit was done; otherwise `refusal` holds the document's message."""

    refusal: str | None = None

    def __bool__(self) -> bool:
        return self.refusal is None


class _Undoable(QUndoCommand):
    """A builder command on the Qt stack. The controller has already done it once when it is pushed; every
    later undo or redo step ends the edit, so inference and the views follow each step."""

    def __init__(self, command: Command, controller: EditorController):
        super().__init__(command.text)
        self.command, self.controller = command, controller
        self._already_done = True

    def redo(self):
        if self._already_done:
            self._already_done = False
            return
        self.command.do(self.controller.doc)
        self.controller.finish_edit()

    def undo(self):
        self.command.undo(self.controller.doc)
        self.controller.finish_edit()


class EditorController(QObject):
    edited = Signal(object)  # an Edit: once per edit, after inference has run
    selection_changed = Signal(object)  # list of selected node ids
    refused = Signal(str)  # an edit was refused; the message says why
    busy_changed = Signal(object)  # `busy`'s new text; None once edits are taken again (the document is drawn)

    def __init__(self, doc: GraphDocument | None = None, parent=None):
        super().__init__(parent)
        self.doc = doc or GraphDocument()
        self.engine = ShapeInference(self.doc)
        self.undo_stack = QUndoStack(self)
        self.selected: list[str] = []
        self._busy: str | None = None
        # (message, block) -> whether to detach that use of a definition and make there an edit the other uses
        # cannot follow; None refuses such edits (the window asks through its dialogs)
        self.ask_detach = None
        self._changes: list[Change] = []
        self._ids_before = set(self.doc.graph)
        self.counts = ModelCounts(self)  # parameter totals and error counts, edit by edit (gui/model_counts.py)
        self.doc.subscribe(self._changes.append)
        self.doc.subscribe(self._follow_selection)
        self.finish_edit()

    @property
    def busy(self) -> str | None:
        """Set while a document is being loaded or drawn ("Opening big.json"): edits wait meanwhile, and panels
        that start afresh for a new document do so once it is drawn (busy_changed)."""
        return self._busy

    @busy.setter
    def busy(self, text: str | None):
        if text != self._busy:
            self._busy = text
            self.busy_changed.emit(text)

    @property
    def results(self) -> dict[str, NodeResult]:
        return self.engine.results

    def push(self, command: Command) -> Pushed:
        """Apply an edit as one undo step. A refused edit changes nothing, emits `refused` and comes back with
        the document's own message (Pushed.refusal), so a view can show it without checking again. While a
        large document is still being drawn (`busy` says why), edits wait: they are refused with that reason."""
        if self.busy:
            message = f"{self.busy}; edit it once it is shown (or press Cancel)"
            self.refused.emit(message)
            return Pushed(message)
        command = in_every_use(self.doc, command)  # an edit inside a use of a block is made in every use
        try:
            command.do(self.doc)
        except NeedsDetach as exc:  # the other uses cannot follow: with the person's consent, change this use alone
            self._changes.clear()
            if self.ask_detach is not None and self.ask_detach(str(exc), exc.block):
                return self.push(detach_then(self.doc, command, exc.block))
            self.refused.emit(str(exc))
            return Pushed(str(exc))
        except GraphError as exc:
            self._changes.clear()  # a refused command changed nothing (the document checks first)
            self.refused.emit(str(exc))
            return Pushed(str(exc))
        self.undo_stack.push(_Undoable(command, self))
        self.finish_edit()
        return Pushed()

    def finish_edit(self, reset: bool = False, undo_step: bool = True) -> Edit:
        """The end of an edit: rerun inference for what changed since the last one and tell the views, once."""
        changes, self._changes[:] = tuple(self._changes), []
        changed = frozenset(self.engine.update())
        ids_now = set(self.doc.graph)
        removed = frozenset(self._ids_before - ids_now)
        self._ids_before = ids_now
        edit = Edit(changes, changed, removed, reset or any(c.kind in _WIRING for c in changes), reset,
                    undo_step and not reset)
        self.counts.follow(edit)
        self.edited.emit(edit)
        return edit

    def refresh(self) -> set[str]:
        """An edit outside the undo stack (a Keras shape stored in the document) ends here like any other."""
        return set(self.finish_edit(undo_step=False).changed)

    def select(self, node_ids):
        node_ids = [n for n in dict.fromkeys(node_ids) if n in self.doc]
        if node_ids != self.selected:
            self.selected = node_ids
            self.selection_changed.emit(list(node_ids))

    def _follow_selection(self, change):
        """Keep the selection naming nodes that exist: renames (and their undo) remap it, removals drop it."""
        if change.kind == "node_renamed" and change.old_id in self.selected:
            self.selected = [change.node if n == change.old_id else n for n in self.selected]
            self.selection_changed.emit(list(self.selected))
        elif change.kind == "node_removed" and change.node in self.selected:
            self.selected = [n for n in self.selected if n != change.node]
            self.selection_changed.emit(list(self.selected))

    def replace_document(self, graph, inference: ShapeInference | None = None):
        """Open another graph in place of this one: history and selection start afresh. `inference`: an engine
        that already ran on `graph` (in a background thread), whose results are taken instead of inferring
        again on the window's thread."""
        self.select([])
        self.undo_stack.clear()
        self.doc.replace(graph)
        if inference is not None and inference.graph is graph:
            self.engine.adopt(inference)
        self.undo_stack.setClean()
        self.finish_edit(reset=True)
