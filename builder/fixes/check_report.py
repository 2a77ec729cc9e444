"""What issue 14 adds to `check`: per node its derivations ("explain"), its cost and, on a node with a problem,
its verified fixes; at the top the model's cost totals and any budget problems. `check` exits 1 over budget.

    "nodes": {id: {..., "explain": {"shape": [lines], "params": [lines]}, "cost": {"macs", "flops",
               "param_bytes", "activation_bytes"}, "fixes": [{"title", "edits", "changed", "preview"}]}},
    "total_macs", "total_flops", "total_param_bytes", "total_activation_bytes", "uncounted": [ids],
    "budgets": {...}, "budget_problems": [messages]
"""

from __future__ import annotations

from builder.cost import budget_problems, graph_costs, model_totals
from builder.explain import explain_node
from builder.fixes.offer import fixes_for
from builder.inference.engine import infer
from builder.inference.report import check_dict
from builder.model.order import graph_of

_NULL_COST = {"macs": None, "flops": None, "param_bytes": None, "activation_bytes": None}


def full_check(source) -> dict:
    graph = graph_of(source)
    results = infer(graph)
    data = check_dict(graph, results)
    costs = graph_costs(graph, results)
    for node, info in data["nodes"].items():
        result = results[node]
        info["explain"] = explain_node(graph, node, results).as_dict() if result.shape is not None else None
        cost = costs.get(node)
        info["cost"] = cost.as_dict() if cost is not None else dict(_NULL_COST)
        if result.error or result.warnings:
            fixes = fixes_for(graph, node, results)
            if fixes or result.error:
                info["fixes"] = [fix.as_dict() for fix in fixes]
    totals = model_totals(results, costs)
    budgets = graph.graph.get("budgets") or {}
    data.update({"total_macs": totals.macs, "total_flops": totals.flops, "total_param_bytes": totals.param_bytes,
                 "total_activation_bytes": totals.activation_bytes, "uncounted": list(totals.uncounted),
                 "budgets": dict(budgets), "budget_problems": budget_problems(budgets, totals)})
    return data
