"""One node's cost for one sample, from its layer, params and the shapes inference found.

Conventions (documented in the README, checked against TensorFlow's profiler in tests/builder/test_cost_profiler.py):
- a MAC is one multiply and one add; FLOPs = 2 × MACs + one add per bias value written (the bias is added to
  every output position), which is how TensorFlow's profiler counts MatMul/Conv2D (2 per MAC) and BiasAdd.
- Dense: input features × units × positions (the sizes between batch and features, for inputs of rank > 2).
- Conv: output positions × kernel positions × (input channels / groups) × filters; Transpose: input positions
  × kernel positions × input channels × filters (each input value is spread over the kernel); Depthwise:
  output positions × kernel positions × input channels × depth_multiplier; Separable: that plus output
  positions × input channels × depth_multiplier × filters.
- LSTM / GRU / SimpleRNN: steps × gates × units × (features + units), gates 4 / 3 / 1.
- Attention: the projections and the two products (scores, weighted sum) as matrix products.
- Pooling: no MACs; FLOPs = one comparison (max) or add (average) per window value: output positions × pool
  positions × channels; global pooling one per input value.
- Normalisation at inference: one MAC per value (scale and shift folded), FLOPs 2 per value; Rescaling the same.
- Merges: (inputs − 1) adds, multiplies or comparisons per output value (Average one more: the division);
  Concatenate, reshaping, dropout and activation functions: 0 (they move or map values; the profiler does not
  count them either), except softmax: 5 FLOPs per value wherever it is (the Softmax layer, Activation, a
  layer's activation='softmax', ops.softmax), as the profiler counts its Softmax op.
- Op nodes (keras.ops calls): op_costs.py.
- Bytes: parameters × the variable dtype's size (float32: 4); activations: output values per sample × the
  compute dtype's size. Unknown sizes (None) give None.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from builder.catalog.ops import PREFIX as OP_PREFIX
from builder.catalog.rules.common import as_rank, split_channels
from builder.cost.op_costs import FREE_OPS, OP_RULES, SOFTMAX_FLOPS, softmax

_DTYPE_BYTES = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8, "int8": 1, "uint8": 1, "int32": 4,
                "int64": 8}


class NodeCost(NamedTuple):
    macs: int | None
    flops: int | None
    param_bytes: int | None
    activation_bytes: int | None

    def as_dict(self) -> dict:
        return dict(self._asdict())


def dtype_bytes(config: dict | None) -> tuple[int, int]:
    """(variable bytes, compute bytes) of a node's dtype (its config's `dtype`, a name or a DTypePolicy)."""
    dtype = (config or {}).get("dtype")
    if isinstance(dtype, dict):
        dtype = (dtype.get("config") or {}).get("name")
    if not isinstance(dtype, str):
        return 4, 4
    if dtype.startswith("mixed_"):  # float32 variables, half-precision compute
        return 4, _DTYPE_BYTES.get(dtype[len("mixed_"):], 4)
    size = _DTYPE_BYTES.get(dtype, 4)
    return size, size


def _count(shape) -> int | None:
    """Values per sample of a (batch, ...) shape; None when a size is unknown."""
    rest = shape[1:]
    return None if None in rest else math.prod(rest)


def node_cost(layer: str, params: dict, in_shapes: list, out_shape, params_count: int,
              config: dict | None = None) -> NodeCost:
    var_bytes, act_bytes = dtype_bytes(config) if config else (4, 4)
    values = _count(out_shape)
    macs, flops = compute(layer, params, in_shapes, out_shape)
    return NodeCost(macs, flops, params_count * var_bytes, None if values is None else values * act_bytes)


def compute(layer, params, ins, out) -> tuple[int | None, int | None]:
    """(MACs, FLOPs) for one sample; (None, None) where a size is unknown or the layer is outside the conventions."""
    rule = rule_for(layer)
    return (None, None) if rule is None else rule_cost(rule, layer, params, ins, out)


def rule_cost(rule, layer, params, ins, out) -> tuple[int | None, int | None]:
    """A cost rule's (MACs, FLOPs), with a layer's own activation='softmax' added; (None, None) where a size
    is unknown."""
    try:
        macs, flops = rule(params, ins, out)
        if params.get("activation") == "softmax" and layer not in _RECURRENT and layer != "Activation":
            flops += SOFTMAX_FLOPS * _count(out)
        return macs, flops
    except (TypeError, KeyError, IndexError, ValueError):  # an unknown (None) size in a product
        return None, None


_BY_LAYER: dict = {}


def rule_for(layer: str):
    """The cost rule of a layer: FREE, a function (params, input shapes, output shape) -> (MACs, FLOPs), or None
    outside the conventions (looked up once per layer name: the prefix search is not repeated per node)."""
    try:
        return _BY_LAYER[layer]
    except KeyError:
        pass
    rule = _RULES.get(layer)
    if layer.startswith(OP_PREFIX):
        function = layer[len(OP_PREFIX):]
        rule = FREE if function in FREE_OPS else OP_RULES.get(function)  # other ops: Keras's shape, cost unknown
    elif rule is None:
        family = next((f for prefix, f in _FAMILIES if layer.startswith(prefix)), None)
        if family is not None:
            def rule(params, ins, out, family=family):
                return family(layer, params, ins, out)
        elif layer in _FREE:
            rule = FREE
    _BY_LAYER[layer] = rule
    return rule


def FREE(params, ins, out):  # a marker compared by identity, and a rule like the others
    return 0, 0


def _with_bias(macs, bias_values, params):
    return macs, 2 * macs + (bias_values if params.get("use_bias", True) else 0)


def _dense(params, ins, out):
    positions = math.prod(out[1:-1])
    macs = ins[0][-1] * out[-1] * positions
    return _with_bias(macs, out[-1] * positions, params)


def _rank_of(layer: str) -> int:
    """The spatial rank in a layer's name: Conv1D -> 1, DepthwiseConv2D -> 2, Conv3DTranspose -> 3."""
    rank = _RANKS.get(layer)
    if rank is None:
        found = re.search(r"([123])D", layer)
        rank = _RANKS[layer] = int(found.group(1)) if found else 2
    return rank


_RANKS: dict[str, int] = {}


def _convolution(layer, params, ins, out):
    rank = _rank_of(layer)
    spatial_in, channels = split_channels(ins[0], params)
    spatial_out, out_channels = split_channels(out, params)
    window = math.prod(as_rank(params["kernel_size"], rank))
    positions = math.prod(spatial_out)
    if "Transpose" in layer:
        macs = math.prod(spatial_in) * window * channels * params["filters"]
    elif layer.startswith("Depthwise"):
        macs = positions * window * channels * params["depth_multiplier"]
    elif layer.startswith("Separable"):
        middle = channels * params["depth_multiplier"]
        macs = positions * (window * middle + middle * params["filters"])
    else:
        macs = positions * window * (channels // params.get("groups", 1)) * params["filters"]
    return _with_bias(macs, positions * out_channels, params)


def _pooling(layer, params, ins, out):
    rank = _rank_of(layer)
    if layer.startswith("Global"):
        return 0, _count(ins[0])
    pool = math.prod(as_rank(params["pool_size"], rank))
    return 0, _count(out) * pool


def _recurrent(gates):
    def rule(params, ins, out):
        steps, features = ins[0][1], ins[0][2]
        units = params["units"]
        macs = steps * gates * units * (features + units)
        return _with_bias(macs, steps * gates * units, params)
    return rule


def _per_value(params, ins, out):
    values = _count(out)
    return values, 2 * values


def _activation(params, ins, out):
    return softmax(params, ins, out) if params.get("activation") == "softmax" else (0, 0)


def _merge(extra):
    def rule(params, ins, out):
        return 0, _count(out) * (len(ins) - 1 + extra)
    return rule


def _dot(params, ins, out):
    axes = params["axes"]
    axis = axes if isinstance(axes, int) else axes[0]
    macs = _count(out) * ins[0][axis] if len(out) > 1 else ins[0][axis]
    return macs, 2 * macs


def _multi_head_attention(params, ins, out):
    query, value = ins[0], ins[1]
    key = ins[2] if len(ins) > 2 else value
    heads, key_dim = params["num_heads"], params["key_dim"]
    value_dim = params["value_dim"] or key_dim
    tq, tk = math.prod(query[1:-1]), math.prod(key[1:-1])
    projections = heads * (tq * query[-1] * key_dim + tk * key[-1] * key_dim + tk * value[-1] * value_dim)
    products = heads * tq * tk * (key_dim + value_dim)
    output = tq * heads * value_dim * out[-1]
    macs = projections + products + output
    biases = heads * (tq * key_dim + tk * key_dim + tk * value_dim) + tq * out[-1]
    return _with_bias(macs, biases, params)


def _attention(params, ins, out):
    query, value = ins[0], ins[1]
    key = ins[2] if len(ins) > 2 else value
    tq, tk = math.prod(query[1:-1]), math.prod(key[1:-1])
    macs = tq * tk * query[-1] + tq * tk * value[-1]
    return macs, 2 * macs


_RULES = {
    "Dense": _dense,
    "LSTM": _recurrent(4), "GRU": _recurrent(3), "SimpleRNN": _recurrent(1),
    "BatchNormalization": _per_value, "LayerNormalization": _per_value, "GroupNormalization": _per_value,
    "UnitNormalization": _per_value, "Rescaling": _per_value,
    "Add": _merge(0), "Subtract": _merge(0), "Multiply": _merge(0), "Maximum": _merge(0), "Minimum": _merge(0),
    "Average": _merge(1), "Dot": _dot, "Softmax": softmax, "Activation": _activation,
    "MultiHeadAttention": _multi_head_attention, "Attention": _attention, "AdditiveAttention": _attention,
}
# Their `activation` runs inside the loop, on each step's gates: not one softmax of the output.
_RECURRENT = frozenset(("LSTM", "GRU", "SimpleRNN"))
_FAMILIES = (("Conv", _convolution), ("DepthwiseConv", _convolution), ("SeparableConv", _convolution),
             ("MaxPooling", _pooling), ("AveragePooling", _pooling), ("GlobalMaxPooling", _pooling),
             ("GlobalAveragePooling", _pooling))
# Layers that only move, select or map values one by one: no MACs and no FLOPs by the convention above.
_FREE = {"Input", "Concatenate", "Flatten", "Reshape", "Permute", "RepeatVector", "Dropout", "ReLU",
         "ELU", "LeakyReLU", "PReLU", "Embedding", "Masking", "Identity", "GaussianNoise",
         "GaussianDropout", "AlphaDropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
         "ActivityRegularization", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
         "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Resizing", "CenterCrop", "RandomFlip",
         "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness"}
