"""How many weights a built-in Keras layer outside the catalog would allocate, from its config and input shapes.

Used only to refuse absurd models before Keras allocates anything (builder/keras/weight_limit.py): Keras builds every
weight of a layer the moment it is built, so a tiny file asking for a 30000 x 30000 kernel costs gigabytes
before any check of Keras's own. The layers here are the ones whose weights grow with their arguments; any
other generic layer counts as the weights its node says Keras computed (or none). Counts are Keras's
(tests/builder/test_weight_limit.py compares them with real Keras).
"""

from __future__ import annotations

import math


def _int(value, default=0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _dims(value, rank: int) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [max(value, 0)] * rank
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [max(v, 0) for v in value]
    return [1] * rank


def _last(shape) -> int:
    return _int(shape[-1]) if shape else 0


def _prod(values) -> int:
    return math.prod(values) if values else 1


def _conv(config, shape, rank: int) -> int:
    filters, groups = _int(config.get("filters")), max(_int(config.get("groups"), 1), 1)
    kernel = _prod(_dims(config.get("kernel_size"), rank))
    bias = filters if config.get("use_bias", True) else 0
    return kernel * (_last(shape) // groups) * filters + bias


def _depthwise(config, shape, rank: int) -> int:
    multiplier = _int(config.get("depth_multiplier"), 1)
    kernel = _prod(_dims(config.get("kernel_size"), rank))
    channels = _last(shape)
    return kernel * channels * multiplier + (channels * multiplier if config.get("use_bias", True) else 0)


def _separable(config, shape, rank: int) -> int:
    multiplier, filters = _int(config.get("depth_multiplier"), 1), _int(config.get("filters"))
    kernel = _prod(_dims(config.get("kernel_size"), rank))
    channels = _last(shape)
    return (kernel * channels * multiplier + channels * multiplier * filters
            + (filters if config.get("use_bias", True) else 0))


def _conv_lstm(config, shape, rank: int) -> int:
    filters = _int(config.get("filters"))
    kernel = _prod(_dims(config.get("kernel_size"), rank))
    return 4 * filters * kernel * (_last(shape) + filters) + (4 * filters if config.get("use_bias", True) else 0)


def _simple_rnn(config, shape) -> int:
    units = _int(config.get("units"))
    return units * (_last(shape) + units) + (units if config.get("use_bias", True) else 0)


def _attention(config, shapes) -> int:
    heads, key_dim = _int(config.get("num_heads")), _int(config.get("key_dim"))
    value_dim = _int(config.get("value_dim"), key_dim) or key_dim
    query = _last(shapes[0])
    value = _last(shapes[1]) if len(shapes) > 1 else query
    key = _last(shapes[2]) if len(shapes) > 2 else value
    out = config.get("output_shape")
    out_dim = _prod(_dims(out, 1)) if out is not None else query
    bias = config.get("use_bias", True)
    count = heads * key_dim * (query + key) + heads * value_dim * value + heads * value_dim * out_dim
    return count + ((2 * heads * key_dim + heads * value_dim + out_dim) if bias else 0)


def _einsum(config, shape) -> int:
    """EinsumDense's kernel: the kernel term's letters sized from the input term or output_shape."""
    equation = config.get("equation")
    if not isinstance(equation, str) or "->" not in equation or "," not in equation:
        return 0
    inputs, output = equation.split("->", 1)
    term_in, term_kernel = inputs.split(",", 1)
    sizes = {}
    for letter, size in zip(reversed(term_in.replace("...", "")), reversed(list(shape))):
        sizes[letter] = _int(size)
    declared = config.get("output_shape")
    declared = [declared] if isinstance(declared, int) else declared if isinstance(declared, (list, tuple)) else []
    out_shape = [_int(d) for d in declared]
    out_letters = output.replace("...", "")
    for letter, size in zip(reversed(out_letters), reversed(out_shape)):
        sizes.setdefault(letter, _int(size))
    kernel = _prod([sizes.get(letter, 1) for letter in term_kernel.replace("...", "")])
    bias_axes = config.get("bias_axes")
    bias = _prod([sizes.get(letter, 1) for letter in bias_axes]) if isinstance(bias_axes, str) and bias_axes else 0
    return kernel + bias


def _embedding(config, _shape) -> int:
    count = _int(config.get("input_dim")) * _int(config.get("output_dim"))
    return count * (1 if config.get("tie_weights", True) else 2)


_BY_RANK = {"Conv3D": (_conv, 3), "Convolution3D": (_conv, 3), "Conv1DTranspose": (_conv, 1),
            "Convolution1DTranspose": (_conv, 1), "Conv3DTranspose": (_conv, 3), "Convolution3DTranspose": (_conv, 3),
            "DepthwiseConv1D": (_depthwise, 1), "SeparableConv1D": (_separable, 1),
            "SeparableConvolution1D": (_separable, 1), "ConvLSTM1D": (_conv_lstm, 1), "ConvLSTM2D": (_conv_lstm, 2),
            "ConvLSTM3D": (_conv_lstm, 3)}


def generic_weights(layer: str, config: dict, shapes: list) -> int:
    """The weights `layer` (a Keras class name) with `config` would allocate for these input shapes (lists with
    the batch axis); 0 when this module has no rule for it or the shapes are unknown."""
    if not shapes or not isinstance(config, dict) or any(not isinstance(s, (list, tuple)) for s in shapes):
        return 0
    shape = [d if isinstance(d, int) else 0 for d in shapes[0]]
    if layer in _BY_RANK:
        rule, rank = _BY_RANK[layer]
        return rule(config, shape, rank)
    if layer == "SimpleRNN":
        return _simple_rnn(config, shape)
    if layer in ("MultiHeadAttention", "GroupQueryAttention"):
        return _attention(config, [[d if isinstance(d, int) else 0 for d in s] for s in shapes])
    if layer == "EinsumDense":
        return _einsum(config, shape)
    if layer == "ReversibleEmbedding":
        return _embedding(config, shape)
    if layer in ("Bidirectional", "TimeDistributed"):
        inner = config.get("layer")
        if not isinstance(inner, dict):
            return 0
        inner_shape = shape if layer == "Bidirectional" else shape[:1] + shape[2:]
        return (2 if layer == "Bidirectional" else 1) * wrapped_weights(inner, inner_shape)
    if layer == "PReLU":
        return _prod([max(d, 1) for d in shape[1:]])
    return 0


def wrapped_weights(inner: dict, shape: list) -> int:
    """The weights of a layer serialized inside a wrapper ({"class_name", "config"}), catalog layers included."""
    from builder.catalog.params import ParamError
    from builder.catalog.rules import Arriving, ShapeError
    from builder.catalog.specs import CATALOG

    class_name, config = inner.get("class_name"), inner.get("config")
    if not isinstance(class_name, str) or not isinstance(config, dict):
        return 0
    spec = CATALOG.get(class_name)
    if spec is None:
        return generic_weights(class_name, config, [shape])
    try:
        params = spec.resolve({p.name: config[p.name] for p in spec.params if p.name in config})
        arriving = [Arriving("input", tuple(d or None for d in shape))]
        trainable, frozen = spec.weight_rule(params, arriving, tuple(spec.shape_rule(params, arriving)))
    except (ParamError, ShapeError, TypeError, ValueError):
        return 0
    return trainable + frozen
