"""Convolutions: Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D (their params that
clash whatever the input, output sizes from the window formula, and weight counts).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import (
    SEQUENCE,
    ShapeError,
    as_one,
    as_pair,
    by,
    fmt,
    image_channels,
    need_rank,
    pair_text,
    window_out,
)
from builder.catalog.rules.core import check_activation


def conv2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "Conv2D", 4, "(batch, height, width, channels)",
               "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first")
    channels, groups, filters = x.shape[3], params["groups"], params["filters"]
    if channels is None:
        raise ShapeError(f"Conv2D needs a known number of channels, but {by(x)}; set the channel count "
                         "in the Input shape")
    if channels % groups:
        raise ShapeError(f"Conv2D with groups={groups} needs input channels divisible by {groups}, but "
                         f"{by(x)} ({channels} channels); change groups or the channel count")
    out = (x.shape[0], *_windowed("Conv2D", x, params, x.shape[1:3]), filters)
    check_activation("Conv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def conv2d_weights(params, inputs, out):
    kh, kw = as_pair(params["kernel_size"])
    per_filter = kh * kw * (inputs[0].shape[3] // params["groups"])
    filters = params["filters"]
    return per_filter * filters + (filters if params["use_bias"] else 0), 0


def strides_dilation_params(layer: str):
    """Params of a convolution that do not go together, whatever the input (Keras's constructor refuses them)."""
    def rule(params):
        strides, dilation = as_pair(params["strides"]), as_pair(params["dilation_rate"])
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(f"{layer} cannot combine strides {pair_text(strides)} with dilation_rate "
                             f"{pair_text(dilation)}; set one of them to 1")
        filters, groups = params.get("filters"), params.get("groups", 1)
        if filters is not None and filters % groups:
            raise ShapeError(f"{layer} needs filters divisible by groups, but filters={filters} and "
                             f"groups={groups}; choose filters as a multiple of {groups}")
    return rule


def conv2d_transpose_params(params):
    strides_dilation_params("Conv2DTranspose")(params)
    if params["output_padding"] is None:
        return
    strides, extra = as_pair(params["strides"]), as_pair(params["output_padding"])
    if any(p >= s for p, s in zip(extra, strides)):
        raise ShapeError(f"Conv2DTranspose needs output_padding smaller than strides, but output_padding="
                         f"{pair_text(extra)} and strides={pair_text(strides)}; lower output_padding or leave "
                         "it None")


def _windowed(layer, x, params, spatial_in):
    """The sizes a 2D convolution window gives along height and width, or ShapeError where it does not fit."""
    kernel, strides = as_pair(params["kernel_size"]), as_pair(params["strides"])
    dilation = as_pair(params["dilation_rate"])
    padding = params["padding"]
    spatial = tuple(window_out(s, k, st, padding, d) for s, k, st, d in zip(spatial_in, kernel, strides, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        reach = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        raise ShapeError(f"{layer}'s {pair_text(reach)} window does not fit in the {fmt(spatial_in)} input from "
                         f"{x.source} with padding='valid'; set padding='same', use a smaller kernel or dilation, "
                         "or a larger input")
    return spatial


def depthwise_conv2d_shape(params, inputs):
    (x,) = inputs
    channels = image_channels(x, "DepthwiseConv2D")
    out = (x.shape[0], *_windowed("DepthwiseConv2D", x, params, x.shape[1:3]), channels * params["depth_multiplier"])
    check_activation("DepthwiseConv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def depthwise_conv2d_weights(params, inputs, out):
    kh, kw = as_pair(params["kernel_size"])
    size = inputs[0].shape[3] * params["depth_multiplier"]
    return kh * kw * size + (size if params["use_bias"] else 0), 0


def separable_conv2d_shape(params, inputs):
    (x,) = inputs
    image_channels(x, "SeparableConv2D")
    out = (x.shape[0], *_windowed("SeparableConv2D", x, params, x.shape[1:3]), params["filters"])
    check_activation("SeparableConv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def separable_conv2d_weights(params, inputs, out):
    kh, kw = as_pair(params["kernel_size"])
    channels, multiplier, filters = inputs[0].shape[3], params["depth_multiplier"], params["filters"]
    depthwise = kh * kw * channels * multiplier
    pointwise = channels * multiplier * filters
    return depthwise + pointwise + (filters if params["use_bias"] else 0), 0


def _transpose_length(size, kernel, stride, padding, extra, dilation):
    """Keras's compute_conv_transpose_output_length along one axis."""
    if size is None:
        return None
    reach = kernel + (kernel - 1) * (dilation - 1)
    if extra is None:
        return size * stride + max(reach - stride, 0) if padding == "valid" else size * stride
    pad = reach // 2 if padding == "same" else 0
    return (size - 1) * stride + reach - 2 * pad + extra


def _check_transpose_round_trip(x, spatial, strides, params):
    """TensorFlow runs a transposed convolution as the gradient of a convolution, and refuses it when that
    convolution would not map the output back to the input's size. Keras's size formula does not check this:
    with padding='same' and an explicit output_padding, an even kernel (say 2, strides 1, output_padding 0)
    gives one row fewer than the input needs, and the model then fails on its first batch."""
    if params["padding"] != "same" or params["output_padding"] is None:
        return
    for size, out, stride in zip(x.shape[1:3], spatial, strides):
        if size is not None and out is not None and -(-out // stride) != size:
            raise ShapeError(
                f"Conv2DTranspose with padding='same', kernel_size={params['kernel_size']}, strides="
                f"{params['strides']} and output_padding={params['output_padding']} gives {fmt(spatial)}, which "
                f"does not map back onto the {fmt(x.shape[1:3])} input of {x.source}: the model would fail on "
                "its first batch; use an odd kernel_size, output_padding=None, or another output_padding")


def conv2d_transpose_shape(params, inputs):
    (x,) = inputs
    image_channels(x, "Conv2DTranspose")
    kernel, strides = as_pair(params["kernel_size"]), as_pair(params["strides"])
    dilation = as_pair(params["dilation_rate"])
    extra = (None, None) if params["output_padding"] is None else as_pair(params["output_padding"])
    spatial = tuple(_transpose_length(s, k, st, params["padding"], e, d)
                    for s, k, st, e, d in zip(x.shape[1:3], kernel, strides, extra, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        raise ShapeError(f"Conv2DTranspose would give no rows or columns ({fmt(spatial)}) from the "
                         f"{fmt(x.shape[1:3])} input of {x.source}; use padding='valid' or a larger kernel")
    _check_transpose_round_trip(x, spatial, strides, params)
    out = (x.shape[0], *spatial, params["filters"])
    check_activation("Conv2DTranspose", params["activation"], out, f"its output {fmt(out)}")
    return out


def conv2d_transpose_weights(params, inputs, out):
    kh, kw = as_pair(params["kernel_size"])
    filters = params["filters"]
    return kh * kw * inputs[0].shape[3] * filters + (filters if params["use_bias"] else 0), 0


def conv1d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "Conv1D", 3, SEQUENCE, "give the Input a shape like [steps, features], or Reshape first")
    channels, groups = x.shape[2], params["groups"]
    if channels is None:
        raise ShapeError(f"Conv1D needs a known number of features, but {by(x)}; set it in the Input shape")
    if channels % groups:
        raise ShapeError(f"Conv1D with groups={groups} needs input features divisible by {groups}, but {by(x)} "
                         f"({channels} features); change groups or the feature count")
    (kernel,), (stride,) = as_one(params["kernel_size"]), as_one(params["strides"])
    (dilation,) = as_one(params["dilation_rate"])
    padding = "same" if params["padding"] == "causal" else params["padding"]
    steps = window_out(x.shape[1], kernel, stride, padding, dilation)
    if steps is not None and steps <= 0:
        raise ShapeError(f"Conv1D's window of {dilation * (kernel - 1) + 1} steps does not fit in the "
                         f"{x.shape[1]} steps from {x.source} with padding='valid'; set padding='same' or "
                         "'causal', or use a smaller kernel")
    out = (x.shape[0], steps, params["filters"])
    check_activation("Conv1D", params["activation"], out, f"its output {fmt(out)}")
    return out


def conv1d_weights(params, inputs, out):
    (kernel,) = as_one(params["kernel_size"])
    filters = params["filters"]
    return kernel * (inputs[0].shape[2] // params["groups"]) * filters + (filters if params["use_bias"] else 0), 0
