"""Shapes & errors: every node in topological order with its output shape, params and status; errors and
warnings listed above the table with their full messages (a splitter shares the height between them; long
cells are elided in the middle, with the whole text in their tooltip; columns fit their content); totals of
trainable and non-trainable params.

It stays fast on large graphs: the table model reads the controller's results when a cell is painted, so an
edit costs a `dataChanged` for the rows whose results changed; only a change of wiring recomputes the order.
Clicking a row or a message selects the node and asks the canvas to centre on it (`node_clicked`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from builder.model.order import ordered_nodes
from gui.derivations import (
    SIZE_LINKS_TIP,
    conflict_derivations,
    conflict_links,
    shape_derivation,
    size_link_target,
)
from gui.display import count_text, shape_text, status_kind, status_text, status_tooltip
from gui.fix_actions import fix_menu
from gui.later import one_per_turn
from gui.panels.cost_summary import CostSummary
from gui.theme import status_colour, theme_manager

COLUMNS = ("id", "layer", "output shape", "params", "status")
MAX_PROBLEMS_HEIGHT = 130  # the list's share until the person drags the splitter
CONTENT_ROWS_MEASURED = 300  # rows looked at to size a column to its content
ITEM_PADDING_X, ITEM_PADDING_Y = 12, 8  # room the item style (resources/style.qss) adds around the text
NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class ShapesTableModel(QAbstractTableModel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.order: list[str] = []
        self.row_of: dict[str, int] = {}
        self._mono = QFont("monospace")
        self._mono.setStyleHint(QFont.StyleHint.Monospace)

    def rowCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(self.order)

    def columnCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.order):
            return None
        node = self.order[index.row()]
        result = self.controller.results.get(node)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node
            if result is None:
                return ""
            return (None, result.layer, shape_text(result.shape), count_text(result.params),
                    status_text(result))[column]
        if role == NODE_ROLE:
            return node
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return QBrush(status_colour(status_kind(result)))
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell elided in the middle, and why
            text = self.data(index)
            why = status_tooltip(result) if column == 4 else ""
            if column in (2, 3) and result is not None and result.shape is not None:  # how it is made (issue 14)
                why = shape_derivation(self.controller, node)
            elif column == 4 and result is not None and result.error:
                why = "\n\n".join(t for t in (why, conflict_derivations(self.controller, node)) if t)
            return "\n\n".join(t for t in (text, why) if t) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 2:
            return self._mono
        return None

    def set_order(self, order: list[str]):
        if order == self.order:
            return False
        self.beginResetModel()
        self.order = order
        self.row_of = {node: row for row, node in enumerate(order)}
        self.endResetModel()
        return True

    def rows_changed(self, node_ids):
        """Repaint the rows of these nodes: one dataChanged per run of adjacent rows."""
        rows = sorted(self.row_of[n] for n in node_ids if n in self.row_of)
        start = None
        for i, row in enumerate(rows):
            if start is None:
                start = row
            if i + 1 == len(rows) or rows[i + 1] != row + 1:
                self.dataChanged.emit(self.index(start, 0), self.index(row, len(COLUMNS) - 1))
                start = None


class ShapesPanel(QWidget):
    node_clicked = Signal(str)
    size_opened = Signal(str)  # a size link of an error was clicked: the inspector keeps its derivation open

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._order_stale = True
        self._problems: dict[str, tuple] = {}  # node -> (error, warnings) as listed
        self._problems_order_stale = True  # the list follows the table's order

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A click goes to the node (the table's row shows it selected); a selected message was drawn in the
        # selection's text colour on no selection background (the style's item rule), so it vanished when clicked.
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.problems.itemClicked.connect(self._problem_clicked)
        # Right-click on a message or a row: the node's verified fixes (the canvas's lightbulb offers the same).
        self.problems.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.problems.customContextMenuRequested.connect(
            lambda pos: self._fix_menu_at(self.problems.itemAt(pos) and self.problems.itemAt(pos).data(NODE_ROLE),
                                          self.problems.viewport().mapToGlobal(pos)))
        self.fix_preview = None  # the canvas's ghost preview, handed in by the window
        self.context_menu = None

        self.model = ShapesTableModel(controller, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Long shapes ("(None, 112, 112, 3…") keep both ends; the tooltip has the whole text.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate((130, 130, 150, 90)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.clicked.connect(lambda index: self._clicked(self.model.order[index.row()]))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)

        # The messages and the table share the height; the person can drag the line between them.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        # Under the messages: the sizes in conflict of the error last clicked (or selected), each a link that
        # shows its derivation and goes to the node that made it.
        self._conflict_node: str | None = None
        self._opened_size: tuple[str, int] | None = None  # (node, axis) of the size link last clicked
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("conflicting_sizes")
        self.conflict_label.setToolTip(SIZE_LINKS_TIP)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextFormat(Qt.TextFormat.RichText)
        self.conflict_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.conflict_label.linkActivated.connect(self.open_size)
        self.conflict_label.hide()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addWidget(self.problems, 1)
        top_layout.addWidget(self.conflict_label)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        self._sized_by_person = False
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_sized_by_person", True))
        layout.addWidget(self.splitter, 1)
        self.totals_label = QLabel()
        self.totals_label.setProperty("role", "totals")
        layout.addWidget(self.totals_label)
        self.costs = CostSummary(controller)
        self.costs.node_clicked.connect(self._clicked)
        layout.addWidget(self.costs)

        self._waiting = False  # a large document is being drawn: the rows come once it is (see _on_edit)
        controller.edited.connect(self._on_edit)
        controller.busy_changed.connect(self._on_busy)
        controller.selection_changed.connect(self._on_selection)
        theme_manager().changed.connect(self._on_theme)
        self.rebuild()

    # ---- updating -----------------------------------------------------------------------------------------

    def rebuild(self):
        """Everything from scratch (a new document)."""
        self._order_stale = True
        self._problems = {}
        self._problems_order_stale = True
        self._on_results_changed(set(self.controller.results))

    def _on_theme(self, _name: str):
        self._fill_problems()  # the listed messages hold their colours
        self.table.viewport().update()  # the table reads them as it paints

    def _on_edit(self, edit):
        """One edit: its wiring may change the row order (a deleted node leaves the table even when no other
        result changed), its changed results update their rows, the problem list and the totals."""
        if edit.reset:
            if self.controller.busy:
                self._wait_for_drawing()
            else:
                self.rebuild()
            return
        if self._waiting:
            return  # the rebuild to come reads everything afresh
        if edit.wiring_changed:
            self._order_stale = True
        if edit.changed or edit.wiring_changed:
            self._on_results_changed(edit.changed)

    def _wait_for_drawing(self):
        """A new large document while the canvas draws it (controller.busy): the table and the list empty now,
        filled once the drawing is done, in a turn of their own (gui/later.py): filling them with the drawing's
        first slice held the window a tenth of a second at 10,000 nodes (issue 18)."""
        self._waiting = True
        self.model.set_order([])
        self._order_stale = True
        self.problems.clear()
        self.totals_label.setText("Shapes, errors and totals follow once the canvas is drawn…")

    def _on_busy(self, text):
        if text is None and self._waiting:
            one_per_turn(("shapes table", id(self)), self._after_drawing)

    def _after_drawing(self):
        if self._waiting and not self.controller.busy:  # (busy again: another document came meanwhile)
            self._waiting = False
            self.rebuild()

    def _on_results_changed(self, node_ids):
        if not self._sync_order():
            self.model.rows_changed(node_ids)
        self._update_problems(node_ids)
        self._update_totals()
        if self._conflict_node is not None:  # the sizes may have changed: links and line are made again
            self.show_conflicts(self._conflict_node)

    def _sync_order(self) -> bool:
        """Recompute the row order if the wiring changed; True if the table was reset."""
        if not self._order_stale:
            return False
        reset = self.model.set_order(ordered_nodes(self.controller.doc.graph))
        self._order_stale = False
        if reset:
            self._problems_order_stale = True
            self._fit_columns()
            self._select_rows(self.controller.selected)
        return reset

    def _fit_columns(self):
        """Each column (the last one stretches) as wide as its header and its first CONTENT_ROWS_MEASURED
        cells, measured with the fonts they are drawn in: Qt's resizeColumnToContents asks the model for every
        role of every one of those cells, which took a tenth of a second per column on a large graph."""
        header, model = self.table.horizontalHeader(), self.model
        rows = range(min(len(model.order), CONTENT_ROWS_MEASURED))
        plain, mono = self.table.fontMetrics(), QFontMetrics(model._mono)
        for column in range(len(COLUMNS) - 1):
            metrics = mono if column == 2 else plain
            texts = [model.data(model.index(row, column)) or "" for row in rows]
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            title = header.fontMetrics().horizontalAdvance(COLUMNS[column])
            header.resizeSection(column, max(widest, title) + 2 * ITEM_PADDING_X)

    def _update_problems(self, node_ids):
        results = self.controller.results
        dirty = self._problems_order_stale
        for node in node_ids:
            result = results.get(node)
            entry = (result.error, result.warnings) if result and (result.error or result.warnings) else None
            if self._problems.get(node) != entry:
                dirty = True
                if entry is None:
                    self._problems.pop(node, None)
                else:
                    self._problems[node] = entry
        for node in [n for n in self._problems if n not in results]:  # removed or renamed nodes
            del self._problems[node]
            dirty = True
        if dirty:
            self._problems_order_stale = False
            self._fill_problems()

    def _fill_problems(self):
        self.problems.clear()
        order = self.model.row_of
        ranked = sorted(self._problems.items(), key=lambda kv: order.get(kv[0], 1 << 30))
        errors = [(node, error) for node, (error, _w) in ranked if error]
        warnings = [(node, w) for node, (_e, ws) in ranked for w in ws]
        for node, message in errors:
            self._add_problem(node, "Error", message, "error")
        for node, message in warnings:
            self._add_problem(node, "Warning", message, "warning")
        if not errors and not warnings:
            text = "No errors or warnings." if self.controller.doc.node_ids() else "The canvas is empty."
            item = QListWidgetItem(text)
            # Enabled (not greyed out, so it reads as body text) but not selectable: there is nothing to go to.
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(QBrush(status_colour("muted")))
            self.problems.addItem(item)
        self._fit_problems_height()

    def _fit_problems_height(self):
        """As tall as its wrapped messages (so an empty list takes one line), at most MAX_PROBLEMS_HEIGHT; the
        table gets the rest. Measured with font metrics: the view's own row hints ignore word wrap."""
        metrics = self.problems.fontMetrics()
        width = max(100, self.problems.viewport().width() - ITEM_PADDING_X)
        rows = 0
        for i in range(self.problems.count()):
            if rows > MAX_PROBLEMS_HEIGHT:  # enough: the list is as tall as it gets (a large graph lists hundreds)
                break
            text = self.problems.item(i).text()
            rows += metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()
            rows += ITEM_PADDING_Y
        height = max(metrics.height() + 12, min(rows + 2 * self.problems.frameWidth(), MAX_PROBLEMS_HEIGHT))
        if self.conflict_label.isVisibleTo(self):  # wrapped: its height at the list's width
            height += self.conflict_label.heightForWidth(self.problems.width()) + 2
        self.problems.setMinimumHeight(metrics.height() + 12)
        if not self._sized_by_person:
            total = sum(self.splitter.sizes()) or self.height()
            self.splitter.setSizes([height, max(total - height, 1)])

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_problems_height()  # wrapped messages take more lines when the panel is narrower

    def _add_problem(self, node, kind, message, status):
        item = QListWidgetItem(f"{kind}: {message}")
        item.setData(NODE_ROLE, node)
        item.setForeground(QBrush(status_colour(status)))
        # An error's sizes that conflict, with where each comes from (errors are few: computed as listed).
        sources = conflict_derivations(self.controller, node) if status == "error" else ""
        item.setToolTip("\n\n".join(t for t in (message, sources, "Right-click for fixes.") if t))
        self.problems.addItem(item)

    def _update_totals(self):
        results = self.controller.results
        counts = self.controller.counts  # kept edit by edit; a shared layer's weights once (gui/model_counts.py)
        trainable, frozen, errors, warnings = counts.trainable, counts.frozen, counts.errors, counts.warnings
        self.totals_label.setText(
            f"Total params: <b>{trainable + frozen:,}</b> &nbsp;·&nbsp; trainable {trainable:,} &nbsp;·&nbsp; "
            f"non-trainable {frozen:,} &nbsp;·&nbsp; {len(results)} nodes, {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}")

    # ---- fixes (issue 14) ----------------------------------------------------------------------------------

    def _table_menu(self, pos):
        index = self.table.indexAt(pos)
        if index.isValid():
            self._fix_menu_at(self.model.order[index.row()], self.table.viewport().mapToGlobal(pos))

    def _fix_menu_at(self, node, global_pos):
        if not node or node not in self.controller.doc:
            return None
        self.controller.select([node])
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = fix_menu(self, self.controller, node, self.fix_preview)
        self.context_menu.popup(global_pos)
        return self.context_menu

    # ---- selection ----------------------------------------------------------------------------------------

    def _clicked(self, node):
        if node and node in self.controller.doc:
            self.controller.select([node])
            self.node_clicked.emit(node)

    def _problem_clicked(self, item):
        node = item.data(NODE_ROLE)
        result = self.controller.results.get(node) if node else None
        if result is not None and result.error:  # its sizes, afresh (without a line opened before)
            self._opened_size = None
            self.show_conflicts(node)
        self._clicked(node)

    def _on_selection(self, node_ids):
        self._select_rows(node_ids)
        if len(node_ids) == 1 and node_ids[0] != self._conflict_node:
            result = self.controller.results.get(node_ids[0])
            if result is not None and result.error:  # another error: its sizes replace those shown
                self._opened_size = None
                self.show_conflicts(node_ids[0])

    # ---- sizes in conflict (issue 14) -----------------------------------------------------------------------

    def show_conflicts(self, node: str | None):
        """The sizes in conflict of `node`'s error as links, and the derivation of the one last clicked; hidden
        when the node has none (or no error any more)."""
        links = conflict_links(self.controller, node) if node else ""
        self._conflict_node = node if links else None
        line = shape_derivation(self.controller, *self._opened_size) if self._opened_size and links else ""
        if line:
            links += f"<br><b>{html.escape(line)}</b>"
        was_visible = self.conflict_label.isVisibleTo(self)
        self.conflict_label.setText(links)
        self.conflict_label.setVisible(bool(links))
        if was_visible != bool(links) or links:
            self._fit_problems_height()

    def open_size(self, link: str):
        """A size link: its derivation below the links, and the node that made it selected and centred."""
        target = size_link_target(link)
        if target is None or target[0] not in self.controller.doc:
            return
        node, axis = target
        self._opened_size = (node, axis)
        self.show_conflicts(self._conflict_node)
        self._clicked(node)
        self.size_opened.emit(link)

    def _select_rows(self, node_ids):
        rows = [self.model.row_of[n] for n in node_ids if n in self.model.row_of]
        selection = self.table.selectionModel()
        if len(rows) == 1:
            self.table.selectRow(rows[0])
            self.table.scrollTo(self.model.index(rows[0], 0))
        else:
            selection.clearSelection()

    # ---- for tests and the status bar ---------------------------------------------------------------------

    def row_texts(self) -> dict[str, tuple[str, ...]]:
        """node -> the texts of its row, as shown."""
        return {node: tuple(self.model.data(self.model.index(row, c)) for c in range(len(COLUMNS)))
                for row, node in enumerate(self.model.order)}

    def problem_texts(self) -> list[str]:
        return [self.problems.item(i).text() for i in range(self.problems.count())
                if self.problems.item(i).data(NODE_ROLE)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
