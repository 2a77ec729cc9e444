"""The fixes offered for a node's problem, verified and ordered by least change; fixing a whole graph.

    fixes = fixes_for(graph, "merged")            # [Fix(title, edits, ...)], each verified on a copy
    fixed, applied = fix_graph(graph, pick=0)     # apply the first (or pick-th) fix of each error, repeatedly
"""

from __future__ import annotations

import copy

from builder.fixes.candidates import candidates
from builder.fixes.edits import fix_command
from builder.fixes.verify import Fix, Trial
from builder.inference.engine import NodeResult, infer
from builder.model.document import GraphDocument
from builder.model.order import graph_of, ordered_nodes

MAX_OFFERED = 5


def _size(edits) -> int:
    """How much a fix changes: a param is one change, a new node two (a node and a wire)."""
    return sum(2 if e["op"] == "insert" else 1 for e in edits)


def fixes_for(source, node: str, results: dict[str, NodeResult] | None = None, limit: int = MAX_OFFERED) -> list[Fix]:
    """The verified fixes of the node's error and warnings, least change first (at most `limit`)."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    found, seen = [], set()
    for problem, title, edits in sorted(candidates(graph, results, node),
                                        key=lambda c: (c[0] != (results[node].error or ""), _size(c[2]))):
        if repr(edits) not in seen:
            seen.add(repr(edits))
            found.append((problem, title, edits))
    if not found:
        return []
    offered = []
    trial = Trial(graph, results, [edits for _p, _t, edits in found])
    try:
        for problem, title, edits in found:
            fix = trial.verify(node, problem, title, edits)
            if fix is not None:
                offered.append(fix)
                if len(offered) >= limit:
                    break
    finally:
        trial.close()
    return offered


def all_fixes(source, results: dict[str, NodeResult] | None = None) -> dict[str, list[Fix]]:
    """Fixes for every node with an error or a warning that has one."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    out = {}
    for node in ordered_nodes(graph):
        result = results[node]
        if result.error or result.warnings:
            fixes = fixes_for(graph, node, results)
            if fixes:
                out[node] = fixes
    return out


def apply_fix(doc: GraphDocument, fix: Fix):
    """Apply a fix to a document as one undoable command (returned, already done)."""
    command = fix_command(doc, fix.title, fix.edits)
    command.do(doc)
    return command


def fix_graph(source, pick: int = 0, max_steps: int = 200):
    """A copy of the graph with, for every error, the first (or pick-th, when there are that many) verified fix
    applied, again and again until no error is left or none can be fixed. Returns (graph, [Fix applied])."""
    graph = copy.deepcopy(graph_of(source))
    doc = GraphDocument(graph)
    applied = []
    for _step in range(max_steps):
        results = infer(doc.graph)
        chosen = None
        for node in ordered_nodes(doc.graph):
            if not results[node].error:
                continue
            fixes = fixes_for(doc.graph, node, results)
            if fixes:
                chosen = fixes[min(pick, len(fixes) - 1)]
                break
        if chosen is None:
            break
        apply_fix(doc, chosen)
        applied.append(chosen)
    return doc.graph, applied
