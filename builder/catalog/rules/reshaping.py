"""Reshaping: Flatten, Reshape, Permute, RepeatVector, and ZeroPadding, Cropping and UpSampling over 1, 2 or 3
spatial axes (one rule per family taking the rank), channels last or first.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

import math

from builder.catalog.params import pads_pairs
from builder.catalog.rules.common import (
    ShapeError,
    as_rank,
    by,
    channels_first,
    fmt,
    join_channels,
    need_rank,
    need_spatial,
    split_channels,
)


def flatten_shape(params, inputs):
    (x,) = inputs
    rest = x.shape[1:]
    size = None if None in rest else math.prod(rest)
    return (x.shape[0], size)


def reshape_shape(params, inputs):
    (x,) = inputs
    target = tuple(params["target_shape"])
    rest = x.shape[1:]
    known = math.prod(d for d in target if d != -1)
    if None in rest:
        # The input holds a multiple of its known sizes' product, whatever the unknown ones turn out to be;
        # without a -1, a target that is not such a multiple fails on every batch. (TensorFlow's own check
        # sees this only when one size is unknown; the rule holds for any number of them.)
        factor = math.prod(d for d in rest if d is not None)
        if -1 not in target and known % factor:
            raise ShapeError(f"Reshape needs target_shape to hold as many values as its input, but {by(x)}, a "
                             f"multiple of {factor} values per sample whatever the unknown sizes, and "
                             f"{fmt(target)} holds {known}; change target_shape (a -1 lets Keras compute one size)")
        return (x.shape[0], *(None if d == -1 else d for d in target))
    size = math.prod(rest)
    if -1 in target:
        if size % known:
            raise ShapeError(f"Reshape needs the sizes in target_shape to divide its input, but {by(x)}, {size} "
                             f"values per sample, which is not a multiple of {known} (the sizes of {fmt(target)} "
                             "other than -1); change target_shape")
        target = tuple(size // known if d == -1 else d for d in target)
    elif known != size:
        raise ShapeError(f"Reshape needs target_shape to hold as many values as its input, but {by(x)}, {size} "
                         f"values per sample, and {fmt(target)} holds {known}; change target_shape (a -1 lets "
                         "Keras compute one size)")
    return (x.shape[0], *target)


def zero_padding_shape(layer: str, rank: int):
    """ZeroPadding1D/2D/3D: zeros added before and after each spatial axis."""
    def rule(params, inputs):
        (x,) = inputs
        need_spatial(x, layer, rank, params, _fix("pad", rank, params))
        spatial, channels = split_channels(x.shape, params)
        pads = pads_pairs(params["padding"], rank)
        out = tuple(None if s is None else s + a + b for s, (a, b) in zip(spatial, pads))
        return join_channels(x.shape[0], out, channels, params)
    return rule


_AXES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def cropping_shape(layer: str, rank: int):
    """Cropping1D/2D/3D: rows removed at both ends of each spatial axis; at least one must stay."""
    def rule(params, inputs):
        (x,) = inputs
        need_spatial(x, layer, rank, params, _fix("crop", rank, params))
        spatial_in, channels = split_channels(x.shape, params)
        spatial = []
        for size, (a, b), axis in zip(spatial_in, pads_pairs(params["cropping"], rank), _AXES[rank]):
            if size is not None and a + b >= size:
                what = "steps" if rank == 1 else f"rows of the {axis}"
                raise ShapeError(f"{layer} would remove {a} + {b} {what}, but {by(x)}, only {size}; "
                                 f"crop less than {size} in all along the {axis}")
            spatial.append(None if size is None else size - a - b)
        return join_channels(x.shape[0], spatial, channels, params)
    return rule


def up_sampling_shape(layer: str, rank: int):
    """UpSampling1D/2D/3D: each spatial axis repeated `size` times."""
    def rule(params, inputs):
        (x,) = inputs
        need_spatial(x, layer, rank, params, _fix("upsample", rank, params))
        spatial, channels = split_channels(x.shape, params)
        interpolation = params.get("interpolation", "nearest")
        if interpolation != "nearest" and None in spatial:
            # Keras resizes to a size computed from the input; with an unknown size that fails when traced.
            raise ShapeError(f"{layer} with interpolation={interpolation!r} needs a known height and width, but "
                             f"{by(x)}; set them in the Input shape, or use interpolation='nearest'")
        factors = as_rank(params["size"], rank)
        out = tuple(None if s is None else s * f for s, f in zip(spatial, factors))
        return join_channels(x.shape[0], out, channels, params)
    return rule


def _fix(verb: str, rank: int, params) -> str | None:
    if channels_first(params):
        return None  # need_spatial's own advice says which order the Input needs
    if rank == 1:
        return f"{verb} sequences, or give the Input a shape like [steps, features]"
    conv, sizes = ("Conv2D", "[h, w, c]") if rank == 2 else ("Conv3D", "[d, h, w, c]")
    return f"{verb} feature maps from a {conv}, or Reshape to {sizes} first"


zero_padding2d_shape = zero_padding_shape("ZeroPadding2D", 2)
cropping2d_shape = cropping_shape("Cropping2D", 2)
up_sampling2d_shape = up_sampling_shape("UpSampling2D", 2)


def permute_shape(params, inputs):
    (x,) = inputs
    dims = params["dims"]
    if len(dims) != len(x.shape) - 1:
        raise ShapeError(f"Permute needs dims to name every axis but the batch, {len(x.shape) - 1} of them, but "
                         f"{by(x)} and dims={list(dims)}; give dims as an order of 1..{len(x.shape) - 1}")
    return (x.shape[0], *(x.shape[d] for d in dims))


def repeat_vector_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "RepeatVector", 2, "(batch, features)", "Flatten first, or use a Dense output")
    return (x.shape[0], params["n"], x.shape[1])
