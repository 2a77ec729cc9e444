"""builder/model/order.py's whole-graph order against Kahn's algorithm written plainly (wires counted one by one,
a deque as the queue): the same order and the same nodes set apart, on random graphs with parallel wires,
self-loops and cycles, and the document-order shortcut only where every wire runs forward."""

from __future__ import annotations

import random
from collections import deque

import networkx as nx
import pytest

from builder.model.order import document_order_if_topological, ordered_nodes, topological_order


def plain_kahn(graph):
    indegree = {n: graph.in_degree(n) for n in graph}
    queue = deque(n for n in graph if indegree[n] == 0)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for _source, succ in graph.out_edges(node):
            indegree[succ] -= 1
            if indegree[succ] == 0:
                queue.append(succ)
    return order, {n for n, d in indegree.items() if d > 0}


def random_graph(seed: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    names = [f"n{i}" for i in range(rng.randint(1, 40))]
    rng.shuffle(names)  # document order unrelated to the wires' direction
    graph.add_nodes_from(names)
    for _ in range(rng.randint(0, 80)):
        a, b = rng.sample(range(len(names)), 2) if len(names) > 1 else (0, 0)
        forward = rng.random() < 0.95 or seed % 3 == 0  # a third of the graphs without any cycle
        source, target = (min(a, b), max(a, b)) if forward else (max(a, b), min(a, b))
        graph.add_edge(names[source], names[target], port=0)
        if rng.random() < 0.1:  # a parallel wire (a merge reading one tensor twice)
            graph.add_edge(names[source], names[target], port=1)
    if seed % 7 == 1:
        graph.add_edge(names[0], names[0], port=0)  # a self-loop
    return graph


@pytest.mark.parametrize("seed", range(150))
def test_whole_graph_order_is_kahns_order(seed):
    graph = random_graph(seed)
    order, stuck = topological_order(graph, set(graph))
    assert (order, stuck) == plain_kahn(graph)
    assert ordered_nodes(graph) == order + [n for n in graph if n in stuck]


@pytest.mark.parametrize("seed", range(60))
def test_document_order_is_used_only_when_every_wire_runs_forward(seed):
    graph = random_graph(seed)
    position = {n: i for i, n in enumerate(graph)}
    forward = all(position[u] < position[v] for u, v in graph.edges())
    found = document_order_if_topological(graph)
    assert found == (list(graph) if forward else None)


def test_a_subset_counts_wires_from_outside_as_done():
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "c")])
    assert topological_order(graph, {"b", "c"}) == (["b", "c"], set())
    assert topological_order(graph, {"c", "d"})[1] == {"c", "d"}
