"""Dot: the merge that multiplies two tensors sample by sample and sums along one axis of each (batch_dot).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import ShapeError, by


def _axes(axes, a_rank, b_rank) -> tuple[int, int]:
    if isinstance(axes, int):
        return (axes % a_rank, axes % b_rank) if axes < 0 else (axes, axes)
    first, second = axes
    return first, second


def dot_shape(params, inputs):
    if len(inputs) != 2:
        got = ", ".join(by(inp) for inp in inputs)
        raise ShapeError(f"Dot needs exactly 2 inputs, but {len(inputs)} arrive: {got}; connect exactly two tensors")
    a, b = inputs
    for x in (a, b):
        if len(x.shape) < 2:
            raise ShapeError(f"Dot needs tensors with an axis after the batch, but {by(x)}; give the Input a shape")
    first, second = _axes(params["axes"], len(a.shape), len(b.shape))
    for axis, x in ((first, a), (second, b)):
        rank = len(x.shape)
        if not -rank <= axis < rank:
            raise ShapeError(f"Dot axes={params['axes']} is out of range for {by(x)}; use axes from 1 to {rank - 1}")
        if axis % rank == 0:
            raise ShapeError(f"Dot axes={params['axes']} names the batch axis of {x.source}: it multiplies sample "
                             "by sample, so it sums along a feature axis; use axes from 1 up")
    # Keras compares the two sizes as declared: an unknown size matches only another unknown one.
    if a.shape[first] != b.shape[second]:
        raise ShapeError(f"Dot sums along axis {first} of {a.source} and axis {second} of {b.source}, so their sizes "
                         f"must be equal, but {by(a)} and {by(b)}"
                         + (" (an unknown size matches only an unknown one)" if None in (a.shape[first],
                                                                                        b.shape[second]) else "")
                         + "; change axes, or make the sizes equal (e.g. with a Dense)")
    left = [d for i, d in enumerate(a.shape) if i != first % len(a.shape)]
    right = [d for i, d in enumerate(b.shape) if i != second % len(b.shape)][1:]
    out = (*left, *right)
    return out if len(out) > 1 else (*out, 1)


