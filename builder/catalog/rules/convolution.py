"""Convolutions over 1, 2 or 3 spatial axes, one rule per family taking the rank, as Keras's own BaseConv(rank),
BaseConvTranspose, BaseDepthwiseConv and BaseSeparableConv do: Conv1D/2D/3D, Conv1D/2D/3DTranspose,
DepthwiseConv1D/2D and SeparableConv1D/2D. Each family gives its params rule (what clashes whatever the input),
its shape rule (output sizes from the window formula, channels last or first) and its weight count.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from builder.catalog.rules.common import (
    ShapeError,
    as_rank,
    by,
    fmt,
    join_channels,
    need_spatial,
    sizes_text,
    split_channels,
    window_out,
)
from builder.catalog.rules.core import check_activation
from builder.catalog.rules.terms import SUM, formula, named, tracing

KINDS = ("conv", "transpose", "depthwise", "separable")


class ConvRules(NamedTuple):
    shape: object
    weights: object
    params: object  # None where Keras's constructor checks nothing that clashes (depthwise, separable)


def convolution_rules(layer: str, rank: int, kind: str) -> ConvRules:
    """The rules of one convolution layer: `kind` is its Keras base class (see KINDS), `rank` its spatial axes."""
    assert kind in KINDS, kind

    def shape(params, inputs):
        (x,) = inputs
        channels = _channels(layer, rank, x, params, grouped=kind == "conv")
        spatial_in, _ = split_channels(x.shape, params)
        if kind == "transpose":
            spatial = _transposed(layer, x, spatial_in, params, rank)
        else:
            spatial = _windowed(layer, x, spatial_in, params, rank)
        out_channels = channels * params["depth_multiplier"] if kind == "depthwise" else params["filters"]
        out = join_channels(x.shape[0], spatial, out_channels, params)
        check_activation(layer, params["activation"], out, f"its output {fmt(out)}")
        return out

    def weights(params, inputs, out):
        channels = split_channels(inputs[0].shape, params)[1]
        channels = named(channels, "input channel" if channels == 1 else "input channels")
        window = named(math.prod(as_rank(params["kernel_size"], rank)), "kernel")
        if kind == "depthwise":
            size = named(channels * params["depth_multiplier"], "output channels")
            return window * size + (named(size, "biases") if params["use_bias"] else 0), 0
        filters = named(params["filters"], "filters")
        if kind == "separable":
            middle = named(channels * params["depth_multiplier"], "depthwise channels")
            kernel = window * middle + middle * filters
        else:
            groups = params.get("groups", 1)
            per_group = channels if groups == 1 else named(channels // groups, "input channels per group")
            kernel = window * per_group * filters
        return kernel + (named(params["filters"], "biases") if params["use_bias"] else 0), 0

    checks = {"conv": strides_dilation_params(layer, rank), "transpose": _transpose_params(layer, rank)}.get(kind)
    return ConvRules(shape, weights, checks)


def _channels(layer, rank, x, params, grouped):
    """The input's channel count (features for 1D), known, and divisible by groups where there are groups."""
    need_spatial(x, layer, rank, params)
    channels = split_channels(x.shape, params)[1]
    what = "features" if rank == 1 else "channels"
    if channels is None:
        where = "set it in the Input shape" if rank == 1 else "set the channel count in the Input shape"
        raise ShapeError(f"{layer} needs a known number of {what}, but {by(x)}; {where}")
    groups = params.get("groups", 1) if grouped else 1
    if channels % groups:
        count = "feature count" if rank == 1 else "channel count"
        raise ShapeError(f"{layer} with groups={groups} needs input {what} divisible by {groups}, but {by(x)} "
                         f"({channels} {what}); change groups or the {count}")
    return channels


def strides_dilation_params(layer: str, rank: int = 2):
    """Params of a convolution that do not go together, whatever the input (Keras's constructor refuses them)."""
    def rule(params):
        strides, dilation = as_rank(params["strides"], rank), as_rank(params["dilation_rate"], rank)
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(f"{layer} cannot combine strides {sizes_text(strides)} with dilation_rate "
                             f"{sizes_text(dilation)}; set one of them to 1")
        filters, groups = params.get("filters"), params.get("groups", 1)
        if filters is not None and filters % groups:
            raise ShapeError(f"{layer} needs filters divisible by groups, but filters={filters} and "
                             f"groups={groups}; choose filters as a multiple of {groups}")
    return rule


def _transpose_params(layer: str, rank: int):
    def rule(params):
        strides_dilation_params(layer, rank)(params)
        if params["output_padding"] is None:
            return
        strides, extra = as_rank(params["strides"], rank), as_rank(params["output_padding"], rank)
        if any(p >= s for p, s in zip(extra, strides)):
            raise ShapeError(f"{layer} needs output_padding smaller than strides, but output_padding="
                             f"{sizes_text(extra)} and strides={sizes_text(strides)}; lower output_padding or "
                             "leave it None")
    return rule


def _windowed(layer, x, spatial_in, params, rank):
    """The sizes a convolution window gives along each spatial axis, or ShapeError where it does not fit."""
    kernel, strides = as_rank(params["kernel_size"], rank), as_rank(params["strides"], rank)
    dilation = as_rank(params["dilation_rate"], rank)
    padding = "same" if params["padding"] == "causal" else params["padding"]  # causal pads the left only
    spatial = tuple(window_out(s, k, st, padding, d) for s, k, st, d in zip(spatial_in, kernel, strides, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        reach = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        if rank == 1:
            raise ShapeError(f"{layer}'s window of {reach[0]} steps does not fit in the {spatial_in[0]} steps from "
                             f"{x.source} with padding='valid'; set padding='same'"
                             + (" or 'causal'" if layer == "Conv1D" else "") + ", or use a smaller kernel")
        raise ShapeError(f"{layer}'s {sizes_text(reach)} window does not fit in the {fmt(spatial_in)} input from "
                         f"{x.source} with padding='valid'; set padding='same', use a smaller kernel or dilation, "
                         "or a larger input")
    return spatial


def _transpose_length(size, kernel, stride, padding, extra, dilation):
    """Keras's compute_conv_transpose_output_length along one axis."""
    if size is None:
        return None
    reach = kernel + (kernel - 1) * (dilation - 1)
    if extra is None:
        out = size * stride + max(reach - stride, 0) if padding == "valid" else size * stride
    else:
        pad = reach // 2 if padding == "same" else 0
        out = (size - 1) * stride + reach - 2 * pad + extra
    if not tracing():
        return out
    # Keras's documented form: (size − 1) × stride + kernel − 2 × padding + output_padding, the kernel widened
    # by its dilation; without output_padding, size × stride (+ what the window reaches past the stride).
    window = f"{kernel:,}" if dilation == 1 else f"({kernel:,} + ({kernel:,} − 1) × ({dilation:,} − 1))"
    if extra is None:
        text = f"{size:,} × {stride:,}" + (f" + max({window} − {stride:,}, 0)" if padding == "valid" else "")
    else:
        text = f"({size:,} − 1) × {stride:,} + {window} − 2 × {pad:,} + {extra:,}"
    return formula(int(out), text, SUM)


def _transposed(layer, x, spatial_in, params, rank):
    kernel, strides = as_rank(params["kernel_size"], rank), as_rank(params["strides"], rank)
    dilation = as_rank(params["dilation_rate"], rank)
    extra = (None,) * rank if params["output_padding"] is None else as_rank(params["output_padding"], rank)
    spatial = tuple(_transpose_length(s, k, st, params["padding"], e, d)
                    for s, k, st, e, d in zip(spatial_in, kernel, strides, extra, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        raise ShapeError(f"{layer} would give no rows or columns ({fmt(spatial)}) from the {fmt(spatial_in)} input "
                         f"of {x.source}; use padding='valid' or a larger kernel")
    _check_transpose_round_trip(layer, x, spatial_in, spatial, strides, params)
    return spatial


def _check_transpose_round_trip(layer, x, spatial_in, spatial, strides, params):
    """TensorFlow runs a transposed convolution as the gradient of a convolution, and refuses it when that
    convolution would not map the output back to the input's size. Keras's size formula does not check this:
    with padding='same' and an explicit output_padding, an even kernel (say 2, strides 1, output_padding 0)
    gives one row fewer than the input needs, and the model then fails on its first batch."""
    if params["padding"] != "same" or params["output_padding"] is None:
        return
    for size, out, stride in zip(spatial_in, spatial, strides):
        if size is not None and out is not None and -(-out // stride) != size:
            raise ShapeError(
                f"{layer} with padding='same', kernel_size={params['kernel_size']}, strides="
                f"{params['strides']} and output_padding={params['output_padding']} gives {fmt(spatial)}, which "
                f"does not map back onto the {fmt(spatial_in)} input of {x.source}: the model would fail on "
                "its first batch; use an odd kernel_size, output_padding=None, or another output_padding")
