"""Candidate fixes for the error kinds beyond the issue's list, as the generated graphs meet them: a param that
must fit the input (an axis out of range or on the batch, GroupNormalization's groups that do not divide the
channels, a grouped convolution's filters), a layer given more axes than it takes (Reshape merging the extra
ones), attention inputs that are not sequences of one rank (Reshape to (batch, steps, features)), and a
two-input merge with one input (wire the nearest output). Like candidates.py, each is only a candidate:
verify.py offers it only if, applied to a copy, the error is gone and no new one appeared.
"""

from __future__ import annotations

import math
import re

from builder.fixes import edits as E

ATTENTION = ("MultiHeadAttention", "Attention", "AdditiveAttention")
TWO_INPUTS = ("Subtract", "Dot")


def param_fixes(graph, node, spec, shapes) -> list[tuple[str, list[dict]]]:
    """Params to change so that the layer (or op) fits the tensors it is given."""
    params = graph.nodes[node].get("params") or {}
    found = []
    axis = spec.param_by_name.get("axis")
    if axis is not None:
        value = params.get("axis", axis.default)
        last = [-1] if isinstance(value, list) else -1
        if value not in (-1, [-1]) and spec.name not in ("ops.expand_dims", "ops.stack"):  # a new axis there
            found.append((f"set axis={last} on {node} (the last axis)", [E.set_param(node, "axis", last)]))
    if spec.name == "GroupNormalization" and shapes:
        found += _groups(node, params, shapes[0], spec)
    filters, groups = params.get("filters"), params.get("groups", 1)
    if isinstance(filters, int) and isinstance(groups, int) and groups > 1 and filters % groups:
        fitted = max(groups, round(filters / groups) * groups)
        found.append((f"set filters={fitted} on {node} (a multiple of groups={groups})",
                      [E.set_param(node, "filters", fitted)]))
    return found


def _groups(node, params, shape, spec):
    axis = params.get("axis", spec.param_by_name["axis"].default)
    groups = params.get("groups", spec.param_by_name["groups"].default)
    if not isinstance(axis, int) or not -len(shape) <= axis < len(shape) or not isinstance(groups, int):
        return []
    channels = shape[axis]
    if channels is None or groups in (-1, 0) or channels % groups == 0:
        return []
    divisors = [d for d in range(1, channels + 1) if channels % d == 0]
    nearest = min(divisors, key=lambda d: (abs(d - groups), -d))
    return [(f"set groups={nearest} on {node} (the divisor of its {channels} channels nearest {groups})",
             [E.set_param(node, "groups", nearest)])]


def needed_rank(layer: str) -> int | None:
    """The rank (batch included) a layer takes exactly, for the layers with one: recurrent 3, an nD
    convolution, pooling, global pooling or spatial dropout n + 2; None for other layers."""
    if layer in ("LSTM", "GRU", "SimpleRNN"):
        return 3
    found = re.search(r"([123])D", layer)
    if found and ("Conv" in layer or "Pooling" in layer or layer.startswith("SpatialDropout")):
        return int(found.group(1)) + 2
    return None


def merge_extra_axes(graph, node, layer, wires, shape, ids) -> list[tuple[str, list[dict]]]:
    """More axes than the layer takes: Reshape keeping the leading ones and merging the rest into the last
    ((None, 8, 8, 6) into an LSTM: (8, 48), steps and features)."""
    rank = needed_rank(layer)
    if rank is None or len(shape) <= rank or len(wires) != 1 or None in shape[1:]:
        return []
    (source, port), = wires
    keep = list(shape[1:rank - 1])
    target = [*keep, math.prod(shape[rank - 1:])]
    return [(f"Reshape {source}'s {_shape_text(shape)} to {tuple(target)} before {node}",
             [E.insert(ids.new("Reshape"), "Reshape", {"target_shape": target}, (source, node, port))])]


def attention_sequences(node, wires, shapes, ids) -> list[tuple[str, list[dict]]]:
    """Attention inputs must be sequences (batch, steps, features) of one rank: a vector becomes one step of
    its features, a tensor of more axes a sequence of all but its last (sizes known)."""
    inserts = []
    for (source, port), shape in zip(wires, shapes):
        if len(shape) == 3 or None in shape[1:]:
            continue
        target = [1, shape[1]] if len(shape) == 2 else [math.prod(shape[1:-1]), shape[-1]]
        inserts.append(E.insert(ids.new("Reshape"), "Reshape", {"target_shape": target}, (source, node, port)))
    if not inserts:
        return []
    names = list(dict.fromkeys(e["wire"][0] for e in inserts))
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return [(f"Reshape {shown} to (batch, steps, features) before {node}", inserts)]


def _shape_text(shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
