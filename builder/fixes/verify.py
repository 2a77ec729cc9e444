"""Verify a fix before it is offered: apply its edits to a copy, infer, and keep it only if the problem is gone
and no node has an error it did not have before.

Only what a fix can change is copied: the touched nodes and everything downstream of them. What feeds that part
from outside stays as it was, so each such source becomes an Input of the shape it gives (a stand-in) and the
trial graph is as small as the change; where a stand-in cannot stand for its node (no shape yet, a fixed batch
size) the whole graph is copied instead. So checking a fix near the output of a 1,000-node model infers a handful
of nodes, not 1,000.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

import networkx as nx

from builder.fixes.edits import fix_command, touched_nodes
from builder.inference.engine import NodeResult, infer
from builder.model.document import GraphDocument, GraphError


class Fix(NamedTuple):
    title: str
    edits: tuple[dict, ...]
    node: str  # the node whose problem it fixes
    problem: str  # that problem (an error or a warning), as inference said it
    changed: tuple[str, ...]  # nodes it changes or adds
    preview: dict  # node -> its shape after the fix, for the changed nodes and the fixed node (a ghost preview)

    def as_dict(self) -> dict:
        return {"title": self.title, "edits": [dict(e) for e in self.edits], "changed": list(self.changed),
                "preview": {n: None if s is None else list(s) for n, s in self.preview.items()}}


def verified(graph: nx.MultiDiGraph, results: dict[str, NodeResult], node: str, problem: str, title: str,
             edits) -> Fix | None:
    """The fix if it removes `problem` from `node` and adds no error anywhere; None otherwise."""
    edits = tuple(edits)
    trial, stand_ins = _trial_graph(graph, results, edits)
    doc = GraphDocument(trial)
    try:
        fix_command(doc, title, edits).do(doc)
    except (GraphError, KeyError, ValueError):
        return None
    after = infer(doc.graph)
    if any(after[s].error for s in stand_ins):  # a stand-in could not stand for its node: try the whole graph
        doc = GraphDocument(_full_copy(graph))
        try:
            fix_command(doc, title, edits).do(doc)
        except (GraphError, KeyError, ValueError):
            return None
        after, stand_ins = infer(doc.graph), set()
    if node in after:
        mine = after[node]
        if problem == (results[node].error or "") and (mine.error or mine.blocked_by):
            return None
        if problem in mine.warnings:
            return None
    for other, result in after.items():
        if other in stand_ins or not result.error:
            continue
        before = results.get(other)
        if before is None or before.error is None:
            return None  # a new error (also on a node that was waiting on the one fixed)
    changed = tuple(dict.fromkeys(e["node"] if e["op"] in ("set_param", "insert", "remove") else e["target"]
                                  for e in edits))
    shown = dict.fromkeys([*changed, node])
    preview = {n: after[n].shape for n in shown if n in after}
    return Fix(title, edits, node, problem, changed, preview)


def _trial_graph(graph, results, edits) -> tuple[nx.MultiDiGraph, set[str]]:
    touched = {n for n in touched_nodes(edits) if n in graph}
    if any(e["op"] == "remove" for e in edits) or not touched:
        return _full_copy(graph), set()
    part = set(touched)
    for n in touched:
        part |= nx.descendants(graph, n)
    sources = {u for n in part for u in graph.predecessors(n) if u not in part}
    sources |= {e["wire"][0] for e in edits if e["op"] == "insert" and e["wire"][0] not in part}
    sources |= {e["source"] for e in edits if e["op"] == "connect" and e["source"] not in part}
    for s in sources:
        shape = results[s].shape if s in results else None
        if shape is None or shape[0] is not None or len(shape) < 2:
            return _full_copy(graph), set()
    trial = nx.MultiDiGraph()
    trial.graph = {k: copy.deepcopy(v) for k, v in graph.graph.items() if k != "ui"}
    for n in graph:  # document order: model inputs and outputs keep their order
        if n in sources:
            trial.add_node(n, layer="Input", params={"shape": list(results[n].shape[1:])})
        elif n in part:
            trial.add_node(n, **copy.deepcopy(graph.nodes[n]))
    for u, v, port in graph.edges(data="port"):
        if v in part:
            trial.add_edge(u, v, port=port)
    return trial, sources


def _full_copy(graph) -> nx.MultiDiGraph:
    trial = graph.copy()
    trial.graph = copy.deepcopy(graph.graph)
    for n in trial:
        trial.nodes[n]["params"] = copy.deepcopy(trial.nodes[n].get("params") or {})
    return trial
