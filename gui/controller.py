"""The one place where edits enter the document: commands go through the QUndoStack, inference reruns after
every step, and views learn what changed through Qt signals.

Canvas items and panels hold node ids, never copies of state; they read the document and `results` and
listen to the signals here. A view turns a user's intent into a builder command and calls `push`; listeners
of these signals never push commands themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from builder.commands import Command
from builder.graph import GraphDocument, GraphError
from builder.shapes import NodeResult, ShapeInference


class _Undoable(QUndoCommand):
    """A builder command on the Qt stack. The controller has already done it once when it is pushed."""

    def __init__(self, command: Command, doc: GraphDocument):
        super().__init__(command.text)
        self.command, self.doc = command, doc
        self._already_done = True

    def redo(self):
        if self._already_done:
            self._already_done = False
            return
        self.command.do(self.doc)

    def undo(self):
        self.command.undo(self.doc)


class EditorController(QObject):
    document_changed = Signal(object)  # a builder.graph.Change, as it happens
    results_changed = Signal(object)  # set of node ids whose inference results changed
    selection_changed = Signal(object)  # list of selected node ids
    document_reset = Signal()  # the whole document was replaced (new, open)
    refused = Signal(str)  # an edit was refused; the message says why

    def __init__(self, doc: GraphDocument | None = None, parent=None):
        super().__init__(parent)
        self.doc = doc or GraphDocument()
        self.engine = ShapeInference(self.doc)
        self.undo_stack = QUndoStack(self)
        self.selected: list[str] = []
        self.doc.subscribe(self.document_changed.emit)  # views update their items first,
        self.doc.subscribe(self._follow_selection)  # then learn the selection that names them
        self.undo_stack.indexChanged.connect(self.refresh)
        self.refresh()

    @property
    def results(self) -> dict[str, NodeResult]:
        return self.engine.results

    def push(self, command: Command) -> bool:
        """Apply an edit as one undo step. A refused edit changes nothing and emits `refused`."""
        try:
            command.do(self.doc)
        except GraphError as exc:
            self.refused.emit(str(exc))
            return False
        self.undo_stack.push(_Undoable(command, self.doc))
        return True

    def refresh(self) -> set[str]:
        """Rerun inference for what changed since the last refresh and tell the views."""
        changed = self.engine.update()
        if changed:
            self.results_changed.emit(changed)
        return changed

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

    def replace_document(self, graph):
        """Open another graph in place of this one: history and selection start afresh."""
        self.select([])
        self.undo_stack.clear()
        self.doc.replace(graph)
        self.undo_stack.setClean()
        self.refresh()
        self.document_reset.emit()
