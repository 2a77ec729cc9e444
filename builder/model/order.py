"""Graph-order facts that several rooms need, computed in one place: the document behind a source, the
topological order (Kahn's, cycles set apart), the wires into a node in port order, the model's inputs and outputs
as a Keras functional model takes them, and the nodes in the order `check` lists them.

The hot paths read networkx's adjacency dicts (`_pred`, `_succ`) directly, because its view objects dominate the
cost on large graphs, and the document's reorder and rename edit them in place (keeping document order and the
graph object). Besides this module only the inference engine's walk reads them (for the same reason).
"""

from __future__ import annotations

from collections import deque

import networkx as nx


def graph_of(source):
    """The networkx graph behind a GraphDocument, or the graph itself."""
    return source if isinstance(source, nx.Graph) else source.graph


def topological_order(graph, subset: set):
    """Kahn's order of `subset` (edges from outside it count as done); the rest are in or behind a cycle.
    Ready nodes are taken first come, first served, starting from the sources in document order."""
    if len(subset) == len(graph):
        return _whole_graph_order(graph)
    indegree = {n: 0 for n in subset}
    succ_of = graph._succ  # adjacency dicts directly: the view objects dominate the cost otherwise
    for node in subset:
        for succ, edges in succ_of[node].items():
            if succ in indegree:
                indegree[succ] += len(edges)
    queue = deque(n for n, d in indegree.items() if d == 0)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for succ, edges in succ_of[node].items():
            if succ in indegree:
                indegree[succ] -= len(edges)
                if indegree[succ] == 0:
                    queue.append(succ)
    stuck = {n for n, d in indegree.items() if d > 0}
    return order, stuck


def _whole_graph_order(graph):
    """topological_order of every node, in the same order, with less work per node (a 100,000-node file is
    ordered twice while `check` reads and reports it): a node waits for its distinct sources (the parallel
    wires from one source are freed together), and the order list is its own queue."""
    pred_of, succ_of = graph._pred, graph._succ
    waiting = {n: len(sources) for n, sources in pred_of.items() if sources}
    order = [n for n in graph._node if not pred_of[n]]
    for node in order:  # grows while it is walked: each node appended once its last source is placed
        for succ in succ_of[node]:
            left = waiting[succ] - 1
            waiting[succ] = left
            if not left:
                order.append(succ)
    if len(order) == len(pred_of):
        return order, set()
    return order, {n for n, left in waiting.items() if left > 0}


def document_order_if_topological(graph) -> list | None:
    """The nodes in document order when every wire runs forward in it, as in any saved or generated file
    (one pass, several times cheaper than Kahn's order); None otherwise."""
    seen = set()
    pred_of = graph._pred
    for node in pred_of:
        for source in pred_of[node]:
            if source not in seen:
                return None
        seen.add(node)
    return list(pred_of)


def port_key(port) -> int:
    """Sort key of a wire's port: a hand-built graph may hold a wire without a valid port; it sorts last."""
    return port if isinstance(port, int) and not isinstance(port, bool) else 1 << 30


def wires_into(graph, node) -> list[tuple[str, int]]:
    """(source, port) of every wire into `node`, in port order: the inputs as the layer receives them."""
    wires = [(u, edge.get("port")) for u, keyed in graph._pred[node].items() for edge in keyed.values()]
    if len(wires) > 1:
        wires.sort(key=lambda wire: port_key(wire[1]))
    return wires


def ordered_nodes(graph) -> list:
    """Every node: those in topological order first, then those in or behind a cycle, in document order."""
    order, stuck = topological_order(graph, set(graph))
    return order + [n for n in graph if n in stuck]


def model_inputs(graph) -> list:
    """The model's inputs: the Input nodes, in document order."""
    return [n for n, data in graph._node.items() if data.get("layer") == "Input"]


def model_outputs(graph) -> list:
    """The model's outputs: the nodes nothing reads from (Inputs excluded), in document order."""
    succ_of = graph._succ
    return [n for n, data in graph._node.items() if not succ_of[n] and data.get("layer") != "Input"]


def free_id(prefix: str, taken) -> str:
    """prefix_1, prefix_2, ...: the first not in `taken`."""
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def reorder_nodes(graph, order):
    """Put the nodes in `order` (document order) without rebuilding the graph object."""
    for table in (graph._node, graph._succ, graph._pred):
        rebuilt = {node: table[node] for node in order}  # no (key, value) tuples: they wake the GC
        table.clear()
        table.update(rebuilt)


def add_node_in_place(graph, node_id, attributes: dict):
    """graph.add_node(node_id, **attributes) for a node not yet in the graph, writing networkx's dicts as it
    does (the project reader adds a whole file's nodes; networkx's call costs several times more). The caller
    clears networkx's cache of views (nx._clear_cache) once after adding them all."""
    graph._node[node_id] = attributes
    graph._succ[node_id] = {}
    graph._pred[node_id] = {}


def add_edge_in_place(graph, source, target, port):
    """graph.add_edge(source, target, port=port) between nodes already in the graph, with networkx's key (the
    first unused count of the wires between the two) and the key dict shared by both directions, as it does.
    The caller clears networkx's cache of views once after adding them all, as for add_node_in_place."""
    keyed = graph._succ[source].get(target)
    if keyed is None:
        keyed = graph._succ[source][target] = graph._pred[target][source] = {}
    key = len(keyed)
    while key in keyed:
        key += 1
    keyed[key] = {"port": port}


def rename_in_place(graph, old_id, new_id):
    """Rename a node where it stands: document order, its wires and the graph object all kept."""
    successors, predecessors = list(graph._succ[old_id]), list(graph._pred[old_id])
    for target in successors:
        _rename_key(graph._pred[target], old_id, new_id)
    for source in predecessors:
        _rename_key(graph._succ[source], old_id, new_id)
    for table in (graph._node, graph._succ, graph._pred):
        _rename_key(table, old_id, new_id)


def _rename_key(table: dict, old, new):
    """Rename a key where it stands."""
    keys = list(table)
    at = keys.index(old)
    table[new] = table.pop(old)
    for other in keys[at + 1:]:
        table[other] = table.pop(other)
