"""Model diff figures (issue 16): the diff of two 1,000-node graphs against its 200 ms budget, and, for scale, the
worst case for the matching, a copy with every id changed (every node is found as a rename, one link per round).

The edited copy has the edits a review would show: a few nodes renamed (two of them next to each other), a block
removed with the wire kept through, params changed, a node added on a wire. The diff includes our inference of
both graphs (the consequences: shapes, counts, errors), as `main.py diff` does.
"""

from __future__ import annotations

import copy

from benchmarks.builder_figures import Figure, median_ms
from benchmarks.graphs import generated_graph
from builder.diff.model_diff import diff_graphs
from builder.model.document import GraphDocument

BUDGET_MS = 200.0


def edited_copy(doc: GraphDocument) -> GraphDocument:
    edited = GraphDocument()
    edited.replace(copy.deepcopy(doc.graph))
    nodes = [n for n in edited.node_ids() if edited.layer(n) != "Input"]
    convs = [n for n in nodes if edited.layer(n) == "Conv2D"]
    for node in convs[10:200:20]:
        edited.set_param(node, "filters", 16)
    for node in [n for n in nodes if edited.layer(n) == "Dropout"][:3]:  # a residual path's dropout, kept through
        source = edited.inputs_of(node)[0][0]
        readers = edited.outputs_of(node)
        edited.remove_node(node)
        for target, _port in readers:
            edited.connect(source, target)  # the merge's free port: removing closed the gap
    target = nodes[len(nodes) // 2]
    source, port = edited.inputs_of(target)[0]
    edited.disconnect(source, target, port)
    edited.add_node("added_bn", "BatchNormalization", {})
    edited.connect(source, "added_bn")
    edited.connect("added_bn", target, port)
    for node in nodes[100:900:40] + nodes[501:503]:
        if node in edited:
            edited.rename(node, f"renamed_{node}")
    return edited


def renamed_everywhere(doc: GraphDocument) -> GraphDocument:
    edited = GraphDocument()
    edited.replace(copy.deepcopy(doc.graph))
    for node in list(edited.node_ids())[1:]:
        edited.rename(node, f"r_{node}")
    return edited


def diff_figures(quick: bool) -> list[Figure]:
    doc = generated_graph(1000)
    edited = edited_copy(doc)
    repeat = 3 if quick else 15
    value = median_ms(lambda: diff_graphs(doc, edited), repeat)
    figures = [Figure("diff of two 1,000-node graphs (renames, a removal, param changes, an insert)", value, "ms",
                      f"<= {BUDGET_MS:.0f} ms", value <= BUDGET_MS)]
    if not quick:
        renamed = renamed_everywhere(doc)
        worst = median_ms(lambda: diff_graphs(doc, renamed), 3)
        figures.append(Figure("diff, 1,000 nodes, every id but the input changed (worst case)", worst, "ms"))
    return figures
