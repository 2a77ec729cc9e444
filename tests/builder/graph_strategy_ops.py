"""Op nodes for the random graphs (graph_strategy.graphs): every native op of builder/catalog/ops, with params
that mostly fit the tensor they get (an axis within its rank, a newshape with the same number of values, a
permutation that keeps the batch first) and sometimes do not (the batch axis, a wrong size, a number where a
second tensor is wired too), so that both sides must report the same errors.

Casts go to float dtypes only: an integer tensor then fails in later layers and ops for dtype reasons that no
shape rule models.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from builder.catalog.ops import OP_SPECS

OPS = tuple(spec.name for spec in OP_SPECS)
BINARY = tuple(spec.name for spec in OP_SPECS if spec.operands)
LISTS = ("ops.concatenate", "ops.stack")
NUMBERS = st.sampled_from((0.5, 2.0, -1.0, 3, 1))


def _chance(draw, percent: int) -> bool:
    return draw(st.integers(0, 99)) >= 100 - percent


def _axis(draw, rank: int, batch_percent: int = 8) -> int:
    """A feature axis of a rank-`rank` tensor (either sign), sometimes the batch axis or one out of range."""
    if rank <= 1 or _chance(draw, batch_percent):
        return draw(st.sampled_from((0, -rank if rank else 0)))
    if _chance(draw, 5):
        return rank
    axis = draw(st.integers(1, rank - 1))
    return axis - rank if _chance(draw, 50) else axis


def _axes(draw, rank: int):
    if rank > 2 and _chance(draw, 30):
        return sorted(draw(st.sets(st.integers(1, rank - 1), min_size=1, max_size=rank - 1)))
    return _axis(draw, rank)


def _newshape(draw, shape) -> list:
    known = shape is not None and None not in shape[1:]
    if known and _chance(draw, 85):
        rest, target = math.prod(shape[1:]), []
        for _ in range(draw(st.integers(0, 2))):
            divisor = draw(st.sampled_from([d for d in range(1, rest + 1) if rest % d == 0]))
            target.append(divisor)
            rest //= divisor
        return [-1, *draw(st.permutations([*target, rest]))]
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))
    return sizes if _chance(draw, 20) else [-1, *sizes]


def op_params(draw, layer: str, shape, sources: int) -> dict:
    """Params for an op node whose first source gives `shape` (None: unknown)."""
    rank = 2 if shape is None else len(shape)
    p: dict = {}
    if layer in LISTS:
        p["axis"] = _axis(draw, rank + (layer == "ops.stack"))
    elif layer in BINARY:
        if sources == 1 or _chance(draw, 3):
            p["x1" if _chance(draw, 25) else "x2"] = draw(NUMBERS)
    elif layer == "ops.reshape":
        p["newshape"] = _newshape(draw, shape)
    elif layer == "ops.transpose":
        if rank > 1 and not _chance(draw, 10):
            rest = draw(st.permutations(list(range(1, rank))))
            p["axes"] = [0, *rest] if not _chance(draw, 8) else [*rest, 0]
    elif layer == "ops.expand_dims":
        p["axis"] = _axis(draw, rank + 1)
    elif layer == "ops.squeeze":
        if _chance(draw, 60):
            ones = [i for i, d in enumerate(shape or ()) if d == 1]
            p["axis"] = draw(st.sampled_from(ones)) if ones and _chance(draw, 80) else _axis(draw, rank)
    elif layer in ("ops.mean", "ops.sum", "ops.max", "ops.min"):
        if not _chance(draw, 5):
            p["axis"] = _axes(draw, rank)
        if _chance(draw, 30):
            p["keepdims"] = draw(st.booleans())
        if layer in ("ops.max", "ops.min") and _chance(draw, 20):
            p["initial"] = draw(NUMBERS)
    elif layer == "ops.softmax":
        if _chance(draw, 50):
            p["axis"] = _axis(draw, rank, batch_percent=3)
    elif layer == "ops.cast":
        p["dtype"] = draw(st.sampled_from(("float32", "float16", "float64")))
    elif layer == "ops.split":
        p["axis"] = _axis(draw, rank)
        size = None if shape is None or not -rank <= p["axis"] < rank else shape[p["axis"]]
        divisors = [d for d in range(1, (size or 4) + 1) if (size or 4) % d == 0]
        p["indices_or_sections"] = draw(st.sampled_from(divisors)) if not _chance(draw, 10) else draw(
            st.integers(1, 5))
        if _chance(draw, 70):
            p["index"] = draw(st.integers(0, p["indices_or_sections"] - 1 + _chance(draw, 5)))
    return p


def op_node(draw, nodes: list, shapes: dict, merge_sources) -> tuple[str, dict, list]:
    """(layer, params, sources) of a drawn op node."""
    layer = draw(st.sampled_from(OPS))
    if layer in LISTS:
        sources = merge_sources(draw, nodes, shapes)
    elif layer in BINARY or layer == "ops.matmul":
        sources = merge_sources(draw, nodes, shapes)[:2]
        if layer == "ops.matmul" and len(sources) < 2:
            sources.append(draw(st.sampled_from(nodes)))
    else:
        sources = [nodes[-1] if _chance(draw, 50) else draw(st.sampled_from(nodes))]
    return layer, op_params(draw, layer, shapes.get(sources[0]), len(sources)), sources
