"""Specs of the layers over 1, 2 or 3 spatial axes: convolutions, pooling, global pooling, cropping, zero padding
and upsampling, each family written once and instantiated per rank, as Keras's own base classes are.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import REQUIRED, Param, activation
from builder.catalog.spec_params import (
    AXES_TEXT,
    CAUSAL_PADDING,
    DATA_FORMAT,
    FILTERS,
    KEEPDIMS,
    MULTIPLIER,
    PADDING,
    USE_BIAS,
    groups,
    sizes,
)

_SUFFIX = {1: "1d", 2: "", 3: "3d"}  # id prefixes: the 2D layers came first and kept the short ones
_CONV_HELP = {1: "1D convolution over the steps of a sequence (batch, steps, features).",
              2: "2D convolution over height and width.",
              3: "3D convolution over depth, height and width (batch, depth, height, width, channels)."}
_WORDS = {1: ("sequence", "temporal"), 2: ("image",), 3: ("volume", "video")}


def _kernel(rank):
    return sizes("kernel_size", rank, help_text=f"Size of the convolution window along {AXES_TEXT[rank]}.",
                 initial=3)


def _strides(rank):
    return sizes("strides", rank, default=1, help_text=f"Step of the window along {AXES_TEXT[rank]}.")


def _dilation(rank, text="Spacing between kernel taps; > 1 needs strides 1."):
    return sizes("dilation_rate", rank, default=1, help_text=text)


def _conv(rank):
    name = f"Conv{rank}D"
    r = rules.convolution_rules(name, rank, "conv")
    return LayerSpec(
        name, "Convolution", _CONV_HELP[rank],
        (FILTERS, _kernel(rank), _strides(rank), CAUSAL_PADDING if rank == 1 else PADDING, DATA_FORMAT,
         _dilation(rank), groups(rank), activation(), USE_BIAS),
        r.shape, r.weights, params_rule=r.params, id_prefix=f"conv{_SUFFIX[rank]}",
        summary=("filters", "kernel_size", "strides", "padding", "activation", "data_format"),
        keywords=("convolution", *_WORDS[rank]),
    )


def _transpose(rank):
    name = f"Conv{rank}DTranspose"
    r = rules.convolution_rules(name, rank, "transpose")
    return LayerSpec(
        name, "Convolution", f"Transposed {rank}D convolution: learns to enlarge {AXES_TEXT[rank]}.",
        (FILTERS, _kernel(rank), _strides(rank), PADDING,
         sizes("output_padding", rank, default=None, nullable=True, minimum=0,
               help_text="Extra size on one side of the output per axis; each must be smaller than its stride."),
         DATA_FORMAT, _dilation(rank), activation(), USE_BIAS),
        r.shape, r.weights, params_rule=r.params, id_prefix=f"conv{_SUFFIX[rank]}_transpose" if rank != 2 else
        "conv_transpose", summary=("filters", "kernel_size", "strides", "padding", "data_format"),
        keywords=("deconvolution", "upsample", "convolution"),
    )


def _depthwise(rank):
    name = f"DepthwiseConv{rank}D"
    r = rules.convolution_rules(name, rank, "depthwise")
    return LayerSpec(
        name, "Convolution", "Convolves each channel on its own.",
        (_kernel(rank), _strides(rank), PADDING, MULTIPLIER, DATA_FORMAT,
         _dilation(rank, "Spacing between kernel taps."), activation(), USE_BIAS),
        r.shape, r.weights, id_prefix=f"depthwise_conv{_SUFFIX[rank]}",
        summary=("kernel_size", "strides", "padding", "data_format"), keywords=("convolution",),
    )


def _separable(rank):
    name = f"SeparableConv{rank}D"
    r = rules.convolution_rules(name, rank, "separable")
    return LayerSpec(
        name, "Convolution", "Depthwise convolution followed by a pointwise (size 1) convolution.",
        (FILTERS, _kernel(rank), _strides(rank), PADDING, DATA_FORMAT, _dilation(rank, "Spacing between kernel taps."),
         MULTIPLIER, activation(), USE_BIAS),
        r.shape, r.weights, id_prefix=f"separable_conv{_SUFFIX[rank]}",
        summary=("filters", "kernel_size", "strides", "padding", "data_format"), keywords=("convolution",),
    )


def _pooling(kind, rank):
    name = f"{kind}Pooling{rank}D"
    # Keras 3's MaxPooling defaults pool_size to 2 on every axis, but AveragePooling has no default: exported
    # code must always write it there.
    default = 2 if kind == "Max" else REQUIRED
    what = "Largest" if kind == "Max" else "Mean"
    return LayerSpec(
        name, "Pooling", f"{what} value in each window along {AXES_TEXT[rank]}.",
        (sizes("pool_size", rank, default=default, help_text="Size of the pooling window.", initial=2),
         sizes("strides", rank, default=None, nullable=True, help_text="Step of the window; None means pool_size."),
         PADDING, DATA_FORMAT),
        rules.pooling_shape(name, rank), summary=("pool_size", "strides", "padding", "data_format"),
        id_prefix=f"{'max' if kind == 'Max' else 'avg'}_pool{_SUFFIX[rank]}",
        keywords=("pool", "downsample", "subsample"),
    )


def _global(kind, rank):
    name = f"Global{kind}Pooling{rank}D"
    what = "Largest value" if kind == "Max" else "Mean"
    return LayerSpec(
        name, "Pooling", f"{what} over {AXES_TEXT[rank]}: one value per channel.", (DATA_FORMAT, KEEPDIMS),
        rules.global_pooling_shape(name, rank), summary=("keepdims", "data_format"),
        id_prefix=f"global_{'max' if kind == 'Max' else 'avg'}_pool{_SUFFIX[rank]}", keywords=("pool", "reduce"),
    )


_PAD_HELP = {1: "n, or [start, end]", 2: "n, [rows, cols] or [[top, bottom], [left, right]]",
             3: "n, [depth, rows, cols] or [[front, back], [top, bottom], [left, right]]"}


def _zero_padding(rank):
    name = f"ZeroPadding{rank}D"
    default = {1: 1, 2: [1, 1], 3: [[1, 1], [1, 1], [1, 1]]}[rank]
    return LayerSpec(
        name, "Reshaping", f"Adds zeros at both ends of {AXES_TEXT[rank]}.",
        (Param("padding", "pads", default=default, length=rank, help=f"Zeros to add: {_PAD_HELP[rank]}."),
         DATA_FORMAT),
        rules.zero_padding_shape(name, rank), summary=("padding", "data_format"),
        id_prefix=f"zero_pad{_SUFFIX[rank]}", keywords=("pad",),
    )


def _cropping(rank):
    name = f"Cropping{rank}D"
    default = {1: [1, 1], 2: [[0, 0], [0, 0]], 3: [[1, 1], [1, 1], [1, 1]]}[rank]
    return LayerSpec(
        name, "Reshaping", f"Removes values at both ends of {AXES_TEXT[rank]}.",
        (Param("cropping", "pads", default=default, length=rank, help=f"What to remove: {_PAD_HELP[rank]}."),
         *((DATA_FORMAT,) if rank > 1 else ())),  # Keras's Cropping1D has no data_format
        rules.cropping_shape(name, rank), summary=("cropping", "data_format"),
        id_prefix=f"crop{_SUFFIX[rank]}", keywords=("crop", "trim"),
    )


def _up_sampling(rank):
    name = f"UpSampling{rank}D"
    if rank == 1:  # Keras's UpSampling1D takes one int and no data_format
        params = (Param("size", "int", default=2, minimum=1, help="How many times each step is repeated."),)
    else:
        params = (sizes("size", rank, default=2, help_text=f"Factors for {AXES_TEXT[rank]}."), DATA_FORMAT)
    if rank == 2:
        params += (Param("interpolation", "choice", default="nearest",
                         choices=("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area"),
                         help="How new values are computed."),)
    return LayerSpec(
        name, "Reshaping", f"Repeats values along {AXES_TEXT[rank]} to enlarge them.", params,
        rules.up_sampling_shape(name, rank), summary=("size", "data_format"),
        id_prefix=f"up_sample{_SUFFIX[rank]}", keywords=("upsample", "upscale", "enlarge", "resize"),
    )


CONVOLUTION_SPECS = (
    _conv(2), _pooling("Max", 2), _pooling("Average", 2), _global("Average", 2),
)
# The layers after the first four, in the order the catalog lists them (the 2D ones first came in that order).
CONVOLUTION_MORE = (
    _transpose(2), _depthwise(2), _separable(2), _conv(1),
)
POOLING_MORE = (_global("Max", 2), _pooling("Max", 1), _global("Average", 1))
RESHAPING_2D = (_zero_padding(2), _cropping(2), _up_sampling(2))
NEW_SPATIAL = (
    _conv(3), _transpose(1), _transpose(3), _depthwise(1), _separable(1),
    _pooling("Average", 1), _pooling("Max", 3), _pooling("Average", 3),
    _global("Max", 1), _global("Average", 3), _global("Max", 3),
    _cropping(1), _cropping(3), _zero_padding(1), _zero_padding(3), _up_sampling(1), _up_sampling(3),
)
