"""The sizes an error is about, each with the node that made it and its derivation.

A merge whose inputs disagree ("Concatenate needs equal sizes except on axis -1, but conv_3x3 gives 26×26,
conv_5x5 24×24 ..."), a matmul or Dot whose shared sizes differ, or a layer whose window does not fit its input:
for each axis in conflict, the size each input brings and the line that derives it on the node that made it
(`26 = floor((28 − 3) / 1) + 1` on conv_3x3). The app links each size to its derivation; `explain` lists them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from builder.explain.derivation import explain_node
from builder.inference.engine import NodeResult, infer
from builder.model.order import graph_of, wires_into

# Axis-wise merges whose sizes of 1 broadcast (Keras's Merge and keras.ops broadcasting): 1 conflicts with nothing.
_JOINS = ("Concatenate", "ops.concatenate", "ops.stack")


class SizeSource(NamedTuple):
    source: str  # the node whose output has the size
    axis: int  # the axis of that output (0 is the batch)
    size: int
    line: str  # its derivation: "26 = floor((28 − 3) / 1) + 1"


class ConflictingAxis(NamedTuple):
    what: str  # "axis 1", or "the summed axes" of a Dot or matmul
    sizes: tuple[SizeSource, ...]

    def text(self) -> str:
        """'26 vs 24 vs 22'"""
        return " vs ".join(f"{s.size:,}" for s in self.sizes)


def conflicting_sizes(source, node: str, results: dict[str, NodeResult] | None = None) -> tuple[ConflictingAxis, ...]:
    """The sizes the node's error is about, by axis; empty when the node has no error or the error is not about
    sizes (a rank mismatch, a bad param, an input that waits on another error)."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    result = results.get(node)
    if result is None or not result.error:
        return ()
    arriving = [(s, results[s].shape) for s, _port in wires_into(graph, node)
                if s in results and results[s].shape is not None]
    if not arriving:
        return ()
    params = graph.nodes[node].get("params") or {}
    layer = result.layer
    if len(arriving) == 1:
        found = _sizes_in_message(arriving[0], result.error)
    elif layer in ("Dot", "ops.matmul") and len(arriving) == 2:
        found = _summed_axes(layer, params, arriving)
    else:
        found = _differing_axes(layer, params, arriving)
    return _with_lines(graph, results, found)


def _differing_axes(layer, params, arriving):
    ranks = {len(shape) for _s, shape in arriving}
    if len(ranks) != 1:
        return []  # a rank mismatch: no one size is at fault
    rank = ranks.pop()
    joined = None
    if layer in _JOINS:
        axis = params.get("axis", -1 if layer == "Concatenate" else 0)
        joined = axis % rank if isinstance(axis, int) and layer != "ops.stack" else None
    found = []
    for axis in range(1, rank):
        if axis == joined:
            continue  # the sizes along the joined axis may differ: that is what joining does
        sizes = [(s, shape[axis]) for s, shape in arriving if shape[axis] is not None]
        if layer not in _JOINS:
            sizes = [(s, size) for s, size in sizes if size != 1]  # broadcast
        if len({size for _s, size in sizes}) > 1:
            found.append((f"axis {axis}", [(s, axis, size) for s, size in sizes]))
    return found


def _summed_axes(layer, params, arriving):
    (a, a_shape), (b, b_shape) = arriving
    if layer == "ops.matmul":
        if len(a_shape) < 2 or len(b_shape) < 2:
            return []
        first, second = len(a_shape) - 1, len(b_shape) - 2
    else:
        axes = params.get("axes", -1)
        pair = (axes, axes) if isinstance(axes, int) else tuple(axes) if isinstance(axes, list | tuple) else ()
        if len(pair) != 2 or not all(isinstance(a, int) for a in pair):
            return []  # the param's own error says what is wrong
        first, second = pair[0] % len(a_shape), pair[1] % len(b_shape)
    sizes = [(a, first, a_shape[first]), (b, second, b_shape[second])]
    if None in (a_shape[first], b_shape[second]) or a_shape[first] == b_shape[second]:
        return []
    return [("the summed axes", sizes)]


def _sizes_in_message(arriving, message: str):
    """One input: its sizes that the message names (a window that does not fit "the (4, 4) input")."""
    source, shape = arriving
    named = {int(n.replace(",", "")) for n in re.findall(r"(?<![\w.])\d[\d,]*(?![\w.])", message)}
    return [(f"axis {axis}", [(source, axis, size)]) for axis, size in enumerate(shape)
            if axis > 0 and size is not None and size > 1 and size in named]


def _with_lines(graph, results, found) -> tuple[ConflictingAxis, ...]:
    explained = {}
    conflicts = []
    for what, sizes in found:
        listed = []
        for source, axis, size in sizes:
            if source not in explained:
                explained[source] = explain_node(graph, source, results).shape
            lines = explained[source]
            listed.append(SizeSource(source, axis, size, lines[axis] if axis < len(lines) else f"{size:,}"))
        conflicts.append(ConflictingAxis(what, tuple(listed)))
    return tuple(conflicts)
