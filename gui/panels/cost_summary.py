"""The cost line of the Shapes & Errors panel: the model's totals at a batch size the person picks (MACs, FLOPs,
weight memory, activation memory), the heaviest nodes (click one to go to it), and the budget badge: the
project's budgets (its file's `budgets` section) met, or which one is exceeded. The numbers are builder.cost's,
the same as `check --json`."""

from __future__ import annotations

import heapq

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from builder.cost import budget_problems, graph_costs, model_totals, why_unknown
from builder.cost.totals import costs_after_edit
from gui.canvas.cost_overlay import short_number
from gui.later import one_per_turn
from gui.theme import set_status

HEAVIEST = 5


def _bytes(value: int) -> str:
    for limit, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if value >= limit:
            return f"{value / limit:.1f} {unit}"
    return f"{value} B"


class CostSummary(QWidget):
    node_clicked = Signal(str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(QLabel("Batch size"))
        self.batch = QSpinBox()
        self.batch.setObjectName("batch_size")
        self.batch.setRange(1, 1_000_000)
        self.batch.setValue(32)
        self.batch.setToolTip("The totals' MACs, FLOPs and activation memory are for this many samples at once")
        self.batch.valueChanged.connect(lambda _v: self.refresh())
        row.addWidget(self.batch)
        self.budget_badge = QLabel()
        self.budget_badge.setObjectName("budget_badge")
        row.addWidget(self.budget_badge, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(row)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        layout.addWidget(self.totals_label)
        self.heaviest_label = QLabel()
        self.heaviest_label.setWordWrap(True)
        self.heaviest_label.linkActivated.connect(self.node_clicked)
        layout.addWidget(self.heaviest_label)
        self.totals = None
        self.problems: list[str] = []
        self.costs: dict = {}
        self._waiting = False  # a large document is being drawn: its costs come once it is (see _on_edit)
        controller.edited.connect(self._on_edit)
        controller.busy_changed.connect(self._on_busy)
        self.refresh(full=True)

    def _on_edit(self, edit):
        """An edit that keeps the wiring recomputes the costs of the nodes whose results changed and of what
        they feed (builder.cost.totals.costs_after_edit); one that rewires recomputes them all. A new large
        document's costs wait until the canvas has drawn it, then come in a turn of their own (gui/later.py):
        computed with the drawing's start they held the window for a tenth of a second (issue 18)."""
        if edit.reset and self.controller.busy:
            self._waiting = True
            self.costs, self.totals = {}, None
            self.totals_label.setText("Costs follow once the canvas is drawn…")
            self.heaviest_label.setText("")
            return
        if self._waiting:
            return  # the full refresh to come reads everything afresh
        if edit.reset or edit.wiring_changed:
            self.refresh(full=True)
        elif edit.changed:
            self.costs = costs_after_edit(self.controller.doc.graph, self.controller.results, self.costs,
                                          edit.changed)
            self.refresh()

    def _on_busy(self, text):
        if text is None and self._waiting:
            one_per_turn(("cost summary", id(self)), self._after_drawing)

    def _after_drawing(self):
        if self._waiting and not self.controller.busy:  # (busy again: another document came meanwhile)
            self._waiting = False
            self.refresh(full=True)

    def refresh(self, full: bool = False):
        graph, results = self.controller.doc.graph, self.controller.results
        if full:
            self.costs = graph_costs(graph, results)
        costs = self.costs
        totals = model_totals(results, costs)
        self.totals = totals
        batch = self.batch.value()
        at = totals.at_batch(batch)
        partly = ""
        if totals.uncounted:  # imported layers outside the catalog, or unknown sizes: why, on hover
            first = totals.uncounted[0]
            partly = f" (MACs and FLOPs without {_nodes(len(totals.uncounted))}: {first}" + (
                ", ..." if len(totals.uncounted) > 1 else "") + ")"
            self.totals_label.setToolTip("MACs and FLOPs unknown for " + ", ".join(
                f"{n}: {why_unknown(results[n].layer, results[n].shape)}" for n in totals.uncounted[:5]))
        else:
            self.totals_label.setToolTip("")
        self.totals_label.setText(
            f"Cost at batch {batch:,}: <b>{short_number(at['macs'])}</b> MACs, {short_number(at['flops'])} FLOPs; "
            f"weights {_bytes(at['param_bytes'])}, activations {_bytes(at['activation_bytes'])}{partly}")
        # The few heaviest without sorting them all (10,000 nodes, every edit); ties keep document order.
        ranked = heapq.nlargest(HEAVIEST, ((n, c.macs) for n, c in costs.items() if c is not None and c.macs),
                                key=lambda kv: kv[1])
        links = ", ".join(f"<a href='{n}'>{n}</a> {short_number(v)}" for n, v in ranked)
        self.heaviest_label.setText(f"Heaviest (MACs per sample): {links}" if links else "")
        budgets = graph.graph.get("budgets") or {}
        self.problems = budget_problems(budgets, totals)
        if not budgets:
            self.budget_badge.setText("")
        elif self.problems:
            self.budget_badge.setText(f"Over budget ({len(self.problems)})")
            self.budget_badge.setToolTip("\n".join(self.problems))
            set_status(self.budget_badge, "error")
        else:
            self.budget_badge.setText("Within budget")
            self.budget_badge.setToolTip(", ".join(f"{k} = {v:,}" for k, v in budgets.items()))
            set_status(self.budget_badge, "ok")


def _nodes(count: int) -> str:
    return f"{count} node" + ("" if count == 1 else "s")
