"""Verify fixes before they are offered: apply a fix's edits to a copy, infer, and keep it only if the problem is
gone and no node has an error it did not have before.

Only what the fixes can change is copied: the nodes they touch and everything downstream of them. What feeds that
part from outside stays as it was, so each such source becomes an Input of the shape it gives (a stand-in), and
the copy is as small as the change; where a stand-in cannot stand for its node (no shape yet, a fixed batch size)
the whole graph is copied instead. One copy serves all the candidates of a node: each is applied as the undoable
command the app would push, checked with an incremental ShapeInference on the copy, then undone, so a candidate
costs the inference of what it changes, not a copy and a full pass.
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx

from builder.fixes.edits import fix_command, touched_nodes
from builder.inference.engine import NodeResult, ShapeInference
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


class Trial:
    """A copy of the part of a graph that a set of candidate fixes can change, with its own inference."""

    def __init__(self, graph: nx.MultiDiGraph, results: dict[str, NodeResult], candidate_edits):
        self.results = results
        edits = [e for group in candidate_edits for e in group]
        part, sources = _part(graph, results, edits)
        self.stand_ins = sources
        self.doc = GraphDocument(_copy(graph, results, part, sources))
        self.engine = ShapeInference(self.doc)
        self.engine.update()
        if any(self.engine.results[s].error for s in sources):  # a stand-in that cannot stand: copy everything
            self.engine.close()
            self.stand_ins = set()
            self.doc = GraphDocument(_copy(graph, results, set(graph), set()))
            self.engine = ShapeInference(self.doc)
            self.engine.update()

    def close(self):
        self.engine.close()

    def verify(self, node: str, problem: str, title: str, edits) -> Fix | None:
        """The fix if it removes `problem` from `node` and adds no error anywhere; None otherwise."""
        edits = tuple(edits)
        command = fix_command(self.doc, title, edits)
        try:
            command.do(self.doc)
        except (GraphError, KeyError, ValueError):
            return None
        try:
            self.engine.update()
            return self._judge(node, problem, title, edits)
        finally:
            # Undone without inferring: the next candidate's update recomputes what either one changed, and
            # stops where the shapes are the same as this one's (often right after the fixed node).
            command.undo(self.doc)

    def _judge(self, node, problem, title, edits) -> Fix | None:
        after, results = self.engine.results, self.results
        if node in after:
            mine = after[node]
            if problem == (results[node].error or "") and (mine.error or mine.blocked_by):
                return None
            if problem in mine.warnings:
                return None
        for other, result in after.items():
            if result.error and other not in self.stand_ins:
                before = results.get(other)
                if before is None or before.error is None:
                    return None  # a new error (also on a node that was waiting on the one fixed)
        changed = tuple(dict.fromkeys(e["node"] if e["op"] in ("set_param", "insert", "remove", "rename")
                                      else e["target"] for e in edits))
        renamed = {e["node"]: e["to"] for e in edits if e["op"] == "rename"}  # shown on the card it had
        preview = {n: after[renamed.get(n, n)].shape for n in dict.fromkeys([*changed, node])
                   if renamed.get(n, n) in after}
        return Fix(title, edits, node, problem, changed, preview)


def _part(graph, results, edits) -> tuple[set, set]:
    """(the nodes the edits can change, with what is downstream; the outside nodes that feed them)."""
    touched = {n for n in touched_nodes(edits) if n in graph}
    if any(e["op"] == "remove" for e in edits) or not touched:
        return set(graph), set()
    part = set(touched)
    for n in touched:
        part |= nx.descendants(graph, n)
    sources = {u for n in part for u in graph._pred[n] if u not in part}
    sources |= {e["wire"][0] for e in edits if e["op"] == "insert" and e["wire"][0] not in part}
    sources |= {e["source"] for e in edits if e["op"] == "connect" and e["source"] not in part}
    for s in sources:
        shape = results[s].shape if s in results else None
        if shape is None or shape[0] is not None or len(shape) < 2:
            return set(graph), set()
    return part, sources


def _copy(graph, results, part: set, sources: set) -> nx.MultiDiGraph:
    """The part (and its sources, as stand-in Inputs) in document order: model inputs and outputs keep their
    order. Each node's attributes and params are copied (a fix sets params on the copy, never on the graph)."""
    trial = nx.MultiDiGraph()
    trial.graph.update({k: v for k, v in graph.graph.items() if k != "ui"})
    ui = graph.graph.get("ui")
    if ui is not None:
        trial.graph["ui"] = {"positions": dict(ui.get("positions") or {})}
    nodes = []
    for n, data in graph._node.items():
        if n in sources:
            nodes.append((n, {"layer": "Input", "params": {"shape": list(results[n].shape[1:])}}))
        elif n in part:
            nodes.append((n, {**data, "params": dict(data.get("params") or {})}))
    trial.add_nodes_from(nodes)
    trial.add_edges_from((u, v, {"port": port}) for u, v, port in graph.edges(data="port") if v in part)
    return trial
