"""Activation layers: ELU and LeakyReLU (shape kept), Softmax (over one axis or several, each within the rank;
UnitNormalization shares its rule),
PReLU (a learned slope per value, shared along `shared_axes`).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

import math

from builder.catalog.rules.common import ShapeError, as_one, by
from builder.catalog.rules.softmax_rank import check_several_axes_rank, check_softmax_rank


def axes_shape(layer: str):
    """A layer that keeps its input's shape and acts along `axis` (one or a list), each within the rank:
    Softmax, UnitNormalization."""
    def rule(params, inputs):
        (x,) = inputs
        rank = len(x.shape)
        axes = as_one(params["axis"])
        if any(not -rank <= a < rank for a in axes):
            raise ShapeError(f"{layer} axis={params['axis']} is out of range for the {rank}D input, as {by(x)}; "
                             f"use axes from {-rank} to {rank - 1} (usually -1)")
        if layer == "Softmax" and len(axes) == 1:  # several axes are computed without the softmax kernel
            check_softmax_rank(rank, f"Softmax over axis {axes[0]} of {by(x)}",
                               "Reshape to 5D or fewer first, or list several axes")
        elif layer == "Softmax":
            check_several_axes_rank(rank, f"Softmax over axes {list(axes)} of {by(x)}", "Reshape to 8D or fewer first")
        return x.shape
    return rule


softmax_shape = axes_shape("Softmax")


def _alpha_shape(params, x) -> list:
    """The shape of PReLU's alpha: the input's sizes after the batch axis, 1 along each shared axis."""
    sizes = list(x.shape[1:])
    for axis in as_one(params["shared_axes"] or ()):
        sizes[axis - 1] = 1
    return sizes


def prelu_shape(params, inputs):
    (x,) = inputs
    rank = len(x.shape)
    shared = as_one(params["shared_axes"] or ())
    if any(a >= rank for a in shared):
        raise ShapeError(f"PReLU shared_axes={params['shared_axes']} names an axis the {rank}D input does not have, "
                         f"as {by(x)}; use axes from 1 to {rank - 1}")
    unknown = [i + 1 for i, d in enumerate(_alpha_shape(params, x)) if d is None]
    if unknown:
        axes = ", ".join(map(str, unknown))
        raise ShapeError(f"PReLU learns one slope per value, so it needs known sizes, but {by(x)} (unknown on axis "
                         f"{axes}); set shared_axes=[{axes}] to share the slope along them, or set the sizes in "
                         "the Input shape")
    return x.shape


def prelu_weights(params, inputs, out):
    return math.prod(_alpha_shape(params, inputs[0])), 0
