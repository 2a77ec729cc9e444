"""Shape and weight-count rules for the layers beyond the core set (issue 6), in the form of shape_rules.py.

Convolution variants (transposed, depthwise, separable, 1D), padding and cropping, upsampling, element-wise
merges other than Add, normalisation over one axis, 1D pooling, embeddings, recurrent layers and axis
permutations. Each agrees with Keras 3 (channels_last); tests/builder/test_keras_agreement.py checks them on
generated graphs and test_shape_rules.py on tables of subtle cases.
"""

from __future__ import annotations

from builder.params import pads_pairs
from builder.shape_rules import (
    Arriving,
    ShapeError,
    _as_pair,
    _axis_index,
    _by,
    _need_rank,
    _pair_text,
    _window_out,
    check_activation,
    fmt,
)

_IMAGE = "(batch, height, width, channels)"
_SEQUENCE = "(batch, steps, features)"


# ---- params that clash, whatever the input --------------------------------------------------------------------

def strides_dilation_params(layer: str):
    def rule(params):
        strides, dilation = _as_pair(params["strides"]), _as_pair(params["dilation_rate"])
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(f"{layer} cannot combine strides {_pair_text(strides)} with dilation_rate "
                             f"{_pair_text(dilation)}; set one of them to 1")
        filters, groups = params.get("filters"), params.get("groups", 1)
        if filters is not None and filters % groups:
            raise ShapeError(f"{layer} needs filters divisible by groups, but filters={filters} and "
                             f"groups={groups}; choose filters as a multiple of {groups}")
    return rule


def conv2d_transpose_params(params):
    strides_dilation_params("Conv2DTranspose")(params)
    if params["output_padding"] is None:
        return
    strides, extra = _as_pair(params["strides"]), _as_pair(params["output_padding"])
    if any(p >= s for p, s in zip(extra, strides)):
        raise ShapeError(f"Conv2DTranspose needs output_padding smaller than strides, but output_padding="
                         f"{_pair_text(extra)} and strides={_pair_text(strides)}; lower output_padding or leave "
                         "it None")


# ---- 2D convolution variants -----------------------------------------------------------------------------------

def _image_channels(x: Arriving, layer: str) -> int:
    _need_rank(x, layer, 4, _IMAGE, "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first")
    if x.shape[3] is None:
        raise ShapeError(f"{layer} needs a known number of channels, but {_by(x)}; set the channel count in "
                         "the Input shape")
    return x.shape[3]


def _windowed(layer, x, params, spatial_in):
    kernel, strides = _as_pair(params["kernel_size"]), _as_pair(params["strides"])
    dilation = _as_pair(params["dilation_rate"])
    padding = params["padding"]
    spatial = tuple(_window_out(s, k, st, padding, d) for s, k, st, d in zip(spatial_in, kernel, strides, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        reach = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        raise ShapeError(f"{layer}'s {_pair_text(reach)} window does not fit in the {fmt(spatial_in)} input from "
                         f"{x.source} with padding='valid'; set padding='same', use a smaller kernel or dilation, "
                         "or a larger input")
    return spatial


def depthwise_conv2d_shape(params, inputs):
    (x,) = inputs
    channels = _image_channels(x, "DepthwiseConv2D")
    out = (x.shape[0], *_windowed("DepthwiseConv2D", x, params, x.shape[1:3]), channels * params["depth_multiplier"])
    check_activation("DepthwiseConv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def depthwise_conv2d_weights(params, inputs, out):
    kh, kw = _as_pair(params["kernel_size"])
    size = inputs[0].shape[3] * params["depth_multiplier"]
    return kh * kw * size + (size if params["use_bias"] else 0), 0


def separable_conv2d_shape(params, inputs):
    (x,) = inputs
    _image_channels(x, "SeparableConv2D")
    out = (x.shape[0], *_windowed("SeparableConv2D", x, params, x.shape[1:3]), params["filters"])
    check_activation("SeparableConv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def separable_conv2d_weights(params, inputs, out):
    kh, kw = _as_pair(params["kernel_size"])
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
    _image_channels(x, "Conv2DTranspose")
    kernel, strides = _as_pair(params["kernel_size"]), _as_pair(params["strides"])
    dilation = _as_pair(params["dilation_rate"])
    extra = (None, None) if params["output_padding"] is None else _as_pair(params["output_padding"])
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
    kh, kw = _as_pair(params["kernel_size"])
    filters = params["filters"]
    return kh * kw * inputs[0].shape[3] * filters + (filters if params["use_bias"] else 0), 0


# ---- padding, cropping, upsampling ------------------------------------------------------------------------------

def zero_padding2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "ZeroPadding2D", 4, _IMAGE, "pad feature maps from a Conv2D, or Reshape to [h, w, c] first")
    (top, bottom), (left, right) = pads_pairs(params["padding"])
    h, w = x.shape[1:3]
    return (x.shape[0], None if h is None else h + top + bottom, None if w is None else w + left + right, x.shape[3])


def cropping2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "Cropping2D", 4, _IMAGE, "crop feature maps from a Conv2D, or Reshape to [h, w, c] first")
    spatial = []
    for size, (a, b), axis in zip(x.shape[1:3], pads_pairs(params["cropping"]), ("height", "width")):
        if size is not None and a + b >= size:
            raise ShapeError(f"Cropping2D would remove {a} + {b} rows of the {axis}, but {_by(x)}, only {size}; "
                             f"crop less than {size} in all along the {axis}")
        spatial.append(None if size is None else size - a - b)
    return (x.shape[0], *spatial, x.shape[3])


def up_sampling2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "UpSampling2D", 4, _IMAGE, "upsample feature maps from a Conv2D, or Reshape to [h, w, c] first")
    sh, sw = _as_pair(params["size"])
    h, w = x.shape[1:3]
    if params["interpolation"] != "nearest" and None in (h, w):
        # Keras resizes to a size computed from the input; with an unknown size that fails when traced.
        raise ShapeError(f"UpSampling2D with interpolation={params['interpolation']!r} needs a known height and "
                         f"width, but {_by(x)}; set them in the Input shape, or use interpolation='nearest'")
    return (x.shape[0], None if h is None else h * sh, None if w is None else w * sw, x.shape[3])


# ---- element-wise layers --------------------------------------------------------------------------------------

def relu_shape(params, inputs):
    (x,) = inputs
    return x.shape


# ---- normalisation ----------------------------------------------------------------------------------------------

def layer_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"LayerNormalization axis={axis} is out of range for the {rank}D input, as {_by(x)}; "
                         f"use an axis from {1 - rank} to {rank - 1} (usually -1, the features)")
    # The size must be known only to create gamma and beta; without them Keras normalises any size.
    if x.shape[axis] is None and (params["center"] or params["scale"]):
        what = "the batch axis" if _axis_index(axis, rank) == 0 else f"axis {axis}"
        raise ShapeError(f"LayerNormalization needs a known size on {what}, but {_by(x)}; normalise the "
                         "features axis (-1), set that size in the Input shape, or set center and scale to false")
    return x.shape


def layer_normalization_weights(params, inputs, out):
    per = int(params["center"]) + int(params["scale"])
    return (inputs[0].shape[params["axis"]] * per if per else 0), 0


# ---- pooling --------------------------------------------------------------------------------------------------

def global_max_pooling2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "GlobalMaxPooling2D", 4, _IMAGE, "use it on feature maps from a Conv2D or pooling layer")
    return (x.shape[0], 1, 1, x.shape[3]) if params["keepdims"] else (x.shape[0], x.shape[3])


def global_average_pooling1d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "GlobalAveragePooling1D", 3, _SEQUENCE, "use it on sequences, e.g. from a Conv1D or an LSTM "
               "with return_sequences=True")
    return (x.shape[0], 1, x.shape[2]) if params["keepdims"] else (x.shape[0], x.shape[2])


def max_pooling1d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "MaxPooling1D", 3, _SEQUENCE, "pool sequences from a Conv1D, or give the Input a shape like "
               "[steps, features]")
    (pool,) = _as_one(params["pool_size"])
    (stride,) = (pool,) if params["strides"] is None else _as_one(params["strides"])
    steps = _window_out(x.shape[1], pool, stride, params["padding"])
    if steps is not None and steps <= 0:
        raise ShapeError(f"MaxPooling1D's pool of {pool} does not fit in the {x.shape[1]} steps from {x.source} "
                         "with padding='valid'; set padding='same' or use a smaller pool_size")
    return (x.shape[0], steps, x.shape[2])


def _as_one(value) -> tuple:
    return (value,) if isinstance(value, int) else tuple(value)


# ---- Conv1D ---------------------------------------------------------------------------------------------------

def conv1d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "Conv1D", 3, _SEQUENCE, "give the Input a shape like [steps, features], or Reshape first")
    channels, groups = x.shape[2], params["groups"]
    if channels is None:
        raise ShapeError(f"Conv1D needs a known number of features, but {_by(x)}; set it in the Input shape")
    if channels % groups:
        raise ShapeError(f"Conv1D with groups={groups} needs input features divisible by {groups}, but {_by(x)} "
                         f"({channels} features); change groups or the feature count")
    (kernel,), (stride,) = _as_one(params["kernel_size"]), _as_one(params["strides"])
    (dilation,) = _as_one(params["dilation_rate"])
    padding = "same" if params["padding"] == "causal" else params["padding"]
    steps = _window_out(x.shape[1], kernel, stride, padding, dilation)
    if steps is not None and steps <= 0:
        raise ShapeError(f"Conv1D's window of {dilation * (kernel - 1) + 1} steps does not fit in the "
                         f"{x.shape[1]} steps from {x.source} with padding='valid'; set padding='same' or "
                         "'causal', or use a smaller kernel")
    out = (x.shape[0], steps, params["filters"])
    check_activation("Conv1D", params["activation"], out, f"its output {fmt(out)}")
    return out


def conv1d_weights(params, inputs, out):
    (kernel,) = _as_one(params["kernel_size"])
    filters = params["filters"]
    return kernel * (inputs[0].shape[2] // params["groups"]) * filters + (filters if params["use_bias"] else 0), 0


# ---- sequences ------------------------------------------------------------------------------------------------

def embedding_shape(params, inputs):
    (x,) = inputs
    return (*x.shape, params["output_dim"])


def embedding_weights(params, inputs, out):
    return params["input_dim"] * params["output_dim"], 0


def recurrent_shape(layer: str):
    def rule(params, inputs):
        (x,) = inputs
        _need_rank(x, layer, 3, _SEQUENCE, "give the Input a shape like [steps, features], or follow an "
                   "Embedding")
        if x.shape[2] is None:
            raise ShapeError(f"{layer} needs a known number of features, but {_by(x)}; set it in the Input shape")
        for name in ("activation", "recurrent_activation"):
            if params[name] == "glu":
                raise ShapeError(f"{layer} cannot use {name}='glu': it halves the gates and the cell fails; use "
                                 "'tanh' or 'sigmoid'")
        units = params["units"]
        return (x.shape[0], x.shape[1], units) if params["return_sequences"] else (x.shape[0], units)
    return rule


def lstm_weights(params, inputs, out):
    units, features = params["units"], inputs[0].shape[2]
    return 4 * (units * (features + units) + (units if params["use_bias"] else 0)), 0


def gru_weights(params, inputs, out):
    units, features = params["units"], inputs[0].shape[2]
    bias = (6 if params["reset_after"] else 3) * units if params["use_bias"] else 0
    return 3 * units * (features + units) + bias, 0


def permute_shape(params, inputs):
    (x,) = inputs
    dims = params["dims"]
    if len(dims) != len(x.shape) - 1:
        raise ShapeError(f"Permute needs dims to name every axis but the batch, {len(x.shape) - 1} of them, but "
                         f"{_by(x)} and dims={list(dims)}; give dims as an order of 1..{len(x.shape) - 1}")
    return (x.shape[0], *(x.shape[d] for d in dims))


def repeat_vector_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "RepeatVector", 2, "(batch, features)", "Flatten first, or use a Dense output")
    return (x.shape[0], params["n"], x.shape[1])
