"""Issue 14's figures: what explanations and costs add to a full inference, and how long the fixes for one error
take, on the 1,000-node generated graph (benchmarks/graphs.py).

Explanations are lazy (computed for the node a person points at), costs are computed for every node (the totals,
the overlay and `check` need them all): the budgeted overhead is costs for every node plus one explanation,
against a full inference; the figure for explaining every node at once is printed beside it, for information.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.builder_figures import Figure, median_ms
from benchmarks.graphs import generated_graph
from builder.cost import graph_costs, model_totals
from builder.cost import totals as cost_totals
from builder.explain import explain_graph, explain_node
from builder.fixes import fixes_for
from builder.inference.engine import infer


def _broken_branch(doc, which: str):
    """Set padding='valid' on a 3×3 (or larger) branch of an inception block: its Concatenate then has a size
    mismatch. which='first' (everything after it is blocked: the worst case) or 'middle'."""
    branches = [n for n in doc.graph if doc.layer(n) == "Conv2D" and doc.params(n).get("kernel_size") in (3, 5, 7)
                and doc.params(n).get("padding") == "same"]
    node = branches[0] if which == "first" else branches[len(branches) // 2]
    doc.set_param(node, "padding", "valid")
    merge = next(n for n in _downstream(doc.graph, node) if doc.layer(n) == "Concatenate")
    return merge


def _downstream(graph, node):
    seen, order, stack = {node}, [], [node]
    while stack:
        for succ in graph.successors(stack.pop(0)):
            if succ not in seen:
                seen.add(succ)
                order.append(succ)
                stack.append(succ)
    return order


def _alternating_ms(first, second, repeat: int) -> tuple[float, float]:
    """Medians of two timings taken in turns, so a busy machine slows both alike."""
    times = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def _inference_then(infer_all, after, repeat: int) -> tuple[float, float]:
    """Medians of a full inference and of what follows it on its fresh results, timed back to back in each
    round: the figure is the cost of the work itself, not the difference of two noisy totals (on a busy machine
    that difference swung from −24% to +56% over three runs)."""
    times = ([], [])
    for _ in range(repeat):
        start = time.perf_counter()
        found = infer_all()
        middle = time.perf_counter()
        after(found)
        times[0].append((middle - start) * 1000)
        times[1].append((time.perf_counter() - middle) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def explain_figures(quick: bool) -> list[Figure]:
    doc = generated_graph(1000)
    graph = doc.graph
    repeat = 7 if quick else 61
    results = infer(graph)
    pointed = next(n for n in graph if doc.layer(n) == "Concatenate")

    def costs_after(found):
        model_totals(found, graph_costs(graph, found))
        explain_node(graph, pointed, found)

    full, both = _inference_then(lambda: infer(graph), costs_after, repeat)

    def cold_costs():  # empty memos: the first pass over a model, as `check` makes it
        cost_totals.clear_memos()
        graph_costs(graph, results)

    _full, cold = _alternating_ms(lambda: infer(graph), cold_costs, max(3, repeat // 3))
    overhead = both / full * 100
    every = median_ms(lambda: explain_graph(graph, results), max(3, repeat // 5))
    figures = [
        Figure("full inference, 1,000 nodes (the figures below are against it)", full, "ms"),
        Figure("costs of every node + one explanation, over a full inference, 1,000 nodes", overhead, "%",
               "<= 20%", overhead <= 20),
        Figure("  the same with empty memos (a first pass, as in check), costs only", cold / _full * 100,
               "% of inference"),
        Figure("explaining every node at once, 1,000 nodes (informative)", every / full * 100, "% of inference"),
    ]
    for which in ("middle", "first"):
        broken = generated_graph(1000)
        merge = _broken_branch(broken, which)
        found = infer(broken.graph)
        assert found[merge].error, merge
        fixes = fixes_for(broken.graph, merge, found)
        assert fixes, merge
        value = median_ms(lambda b=broken, m=merge, f=found: fixes_for(b.graph, m, f), max(3, repeat // 3))
        label = "an error mid-graph" if which == "middle" else "an error in the first block (all else downstream)"
        figures.append(Figure(f"fixes for {label}, 1,000 nodes ({len(fixes)} verified)", value, "ms", "<= 50 ms",
                              value <= 50))
        # Load-independent: the same time in full inferences of the valid graph (measured above, in this run).
        figures.append(Figure("  the same, in full inferences of the valid graph", value / full, "×"))
    return figures


if __name__ == "__main__":
    from benchmarks.run import table

    print(table(explain_figures(quick=False)))
