"""Reshaping: Flatten, Reshape, Permute, RepeatVector, ZeroPadding2D, Cropping2D, UpSampling2D.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

import math

from builder.catalog.params import pads_pairs
from builder.catalog.rules.common import IMAGE, ShapeError, as_pair, by, fmt, need_rank


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


def zero_padding2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "ZeroPadding2D", 4, IMAGE, "pad feature maps from a Conv2D, or Reshape to [h, w, c] first")
    (top, bottom), (left, right) = pads_pairs(params["padding"])
    h, w = x.shape[1:3]
    return (x.shape[0], None if h is None else h + top + bottom, None if w is None else w + left + right, x.shape[3])


def cropping2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "Cropping2D", 4, IMAGE, "crop feature maps from a Conv2D, or Reshape to [h, w, c] first")
    spatial = []
    for size, (a, b), axis in zip(x.shape[1:3], pads_pairs(params["cropping"]), ("height", "width")):
        if size is not None and a + b >= size:
            raise ShapeError(f"Cropping2D would remove {a} + {b} rows of the {axis}, but {by(x)}, only {size}; "
                             f"crop less than {size} in all along the {axis}")
        spatial.append(None if size is None else size - a - b)
    return (x.shape[0], *spatial, x.shape[3])


def up_sampling2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "UpSampling2D", 4, IMAGE, "upsample feature maps from a Conv2D, or Reshape to [h, w, c] first")
    sh, sw = as_pair(params["size"])
    h, w = x.shape[1:3]
    if params["interpolation"] != "nearest" and None in (h, w):
        # Keras resizes to a size computed from the input; with an unknown size that fails when traced.
        raise ShapeError(f"UpSampling2D with interpolation={params['interpolation']!r} needs a known height and "
                         f"width, but {by(x)}; set them in the Input shape, or use interpolation='nearest'")
    return (x.shape[0], None if h is None else h * sh, None if w is None else w * sw, x.shape[3])


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
