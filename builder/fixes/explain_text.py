"""`python main.py explain FILE NODE`: a node's derivations, its cost, and the fixes offered for its problems."""

from __future__ import annotations

from builder.catalog.rules import fmt
from builder.cost import graph_costs, why_unknown
from builder.explain import conflicting_sizes, explain_node
from builder.fixes.offer import fixes_for
from builder.inference.engine import infer
from builder.model.order import graph_of

AXIS_NAMES = {0: "batch"}


def explain_text(source, node: str) -> str:
    graph = graph_of(source)
    results = infer(graph)
    result = results[node]
    explanation = explain_node(graph, node, results)
    lines = [f"{node} ({result.layer}): output {fmt(result.shape)}, "
             + ("no parameter count" if result.params is None else f"{result.params:,} parameters")]
    if explanation.error:
        lines.append(f"  no shape: {explanation.error}")
        for conflict in conflicting_sizes(graph, node, results):
            lines.append(f"Sizes in conflict, {conflict.what}: {conflict.text()}")
            lines += [f"  {size.source}, axis {size.axis}: {size.line}" for size in conflict.sizes]
    else:
        lines.append("Shape:")
        lines += [f"  axis {i}{' (batch)' if i == 0 else ''}: {line}" for i, line in enumerate(explanation.shape)]
        lines.append("Parameters:")
        lines += [f"  {line}" for line in explanation.params]
        cost = graph_costs(graph, results)[node]
        lines.append("Cost per sample:")
        lines += [f"  {name}: {'unknown' if value is None else f'{value:,}'}" for name, value in
                  (("MACs", cost.macs), ("FLOPs", cost.flops), ("parameter bytes", cost.param_bytes),
                   ("activation bytes", cost.activation_bytes))]
        if cost.macs is None:
            lines.append(f"  (MACs and FLOPs unknown: {why_unknown(result.layer, result.shape)})")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    fixes = fixes_for(graph, node, results) if result.error or result.warnings else []
    if fixes:
        lines.append("Fixes (each checked on a copy; least change first):")
        for i, fix in enumerate(fixes, 1):
            after = ", ".join(f"{n} {fmt(s)}" for n, s in fix.preview.items())
            lines.append(f"  {i}. {fix.title}  ->  {after}")
    elif result.error:
        lines.append("No fix found that removes this error without causing another.")
    return "\n".join(lines)
