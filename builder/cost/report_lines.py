"""The cost lines under `check`'s table: the model's totals per sample and the budget problems (issue 14). Apart
from builder.fixes, so that `check` without --json does not import the fixes."""

from __future__ import annotations

from builder.cost.budgets import budget_problems
from builder.cost.totals import graph_costs, model_totals
from builder.inference.engine import infer
from builder.model.order import graph_of


def cost_lines(source, results: dict | None = None) -> tuple[list[str], list[str]]:
    """(the totals lines, the budget problems) for `check`'s table; `results`: infer(source), when at hand."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    totals = model_totals(results, graph_costs(graph, results))
    lines = [(f"Cost per sample: {totals.macs:,} MACs, {totals.flops:,} FLOPs; parameters {totals.param_bytes:,} "
             f"bytes; activations {totals.activation_bytes:,} bytes")]
    if totals.uncounted:
        lines.append(f"  not counted (unknown sizes or outside the conventions): {', '.join(totals.uncounted[:10])}"
                     + (" ..." if len(totals.uncounted) > 10 else ""))
    return lines, budget_problems(graph.graph.get("budgets") or {}, totals)
