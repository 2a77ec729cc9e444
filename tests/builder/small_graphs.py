"""Small hand-written graphs for the explanation, cost and fix tests: nodes as (id, layer, params) and wires as
(source, target, port), the plain networkx form inference, costs and fixes read (no document, no checks)."""

from __future__ import annotations

import networkx as nx


def wired_graph(*nodes, edges=()) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, layer, params in nodes:
        graph.add_node(node, layer=layer, params=params)
    for source, target, port in edges:
        graph.add_edge(source, target, port=port)
    return graph
