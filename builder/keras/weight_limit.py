"""A bound on the weights a model may allocate, checked with our own inference before Keras builds anything.

Keras allocates every weight of a layer the moment it builds it, and checks nothing first: an 18 KB `.keras`
file whose config asks for Dense 30000 x 30000 took 11 GB before Keras refused it, and a project with such a
Dense does the same in `build`. `check_weights` counts the weights (4 bytes each, float32) of a project graph
or of a saved model's config (read as plain JSON, builder/keras/config_layers.py), and refuses a model above the limit
(DEFAULT_MAX_WEIGHT_BYTES, `--max-weights` on the command line) with the layer that asks for the most.

Counts: catalog layers by the catalog's weight rules (those of builder/inference/engine.py) and, for a saved config, also
by the sizes the file records for each layer (its build_config; Keras builds from it), whichever is larger;
generic layers by builder/keras/generic_weights.py, or by the count their node says Keras computed. No TensorFlow.
"""

from __future__ import annotations

import re

from builder.catalog.params import ParamError
from builder.catalog.rules import Arriving, ShapeError
from builder.catalog.specs import CATALOG
from builder.catalog.wrapped_layer import from_keras_config
from builder.inference.stored_shapes import arriving_shapes
from builder.keras.config_layers import layers_of
from builder.keras.generic_weights import generic_weights
from builder.model.order import graph_of
from builder.quoting import quote

BYTES_PER_WEIGHT = 4  # float32, Keras's default
DEFAULT_MAX_WEIGHT_BYTES = 2_000_000_000  # "2GB"
_UNITS = {"": 1, "b": 1, "k": 10 ** 3, "kb": 10 ** 3, "m": 10 ** 6, "mb": 10 ** 6, "g": 10 ** 9, "gb": 10 ** 9,
          "t": 10 ** 12, "tb": 10 ** 12, "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30, "tib": 2 ** 40}
# Generic layers whose output has the shape of their (first) input, so a count can go on past them.
_SAME_SHAPE = {"Identity", "GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D",
               "SpatialDropout2D", "SpatialDropout3D", "ActivityRegularization", "LeakyReLU", "ELU", "PReLU",
               "Softmax", "Masking", "UnitNormalization", "GroupNormalization", "Normalization",
               "RMSNormalization", "Dropout", "Activation", "ReLU", "BatchNormalization", "LayerNormalization",
               "Rescaling", "SpectralNormalization"}


class WeightLimitExceeded(ValueError):
    """The model would allocate more weights than the limit; the message names the largest layer."""


def parse_size(text) -> int:
    """Bytes from '2GB', '500MB', '1.5GiB', '800k' or a plain number of bytes; ValueError otherwise."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS or len(match.group(1)) > 20:
        raise ValueError(f"expected a size such as 2GB, 500MB or 1.5GiB, got {quote(str(text))}")
    return int(float(match.group(1)) * _UNITS[unit])


def format_size(size: int) -> str:
    for unit, scale in (("TB", 10 ** 12), ("GB", 10 ** 9), ("MB", 10 ** 6), ("kB", 10 ** 3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def check_weights(source, max_bytes: int = DEFAULT_MAX_WEIGHT_BYTES) -> int:
    """The number of weights the model would allocate; WeightLimitExceeded when they take more than max_bytes.

    `source` is a project graph (a GraphDocument or networkx MultiDiGraph, as `build` takes it) or a saved
    Keras model's config as plain JSON ({"class_name": "Functional"|"Sequential", "config": ...}, as the
    importer reads it). Never imports TensorFlow; costs about as much as one inference pass."""
    counts = config_counts(source) if isinstance(source, dict) else graph_counts(graph_of(source))
    total = sum(count for _layer, count in counts.values())
    if total * BYTES_PER_WEIGHT > max_bytes:
        name = max(counts, key=lambda n: counts[n][1])
        layer, count = counts[name]
        raise WeightLimitExceeded(
            f"the model would allocate {format_size(total * BYTES_PER_WEIGHT)} of weights ({total:,} weights of "
            f"{BYTES_PER_WEIGHT} bytes), more than the limit of {format_size(max_bytes)}; the layer asking for the "
            f"most is {quote(name)} ({quote(layer)}): {count:,} weights, {format_size(count * BYTES_PER_WEIGHT)}. "
            "If the model is meant to be this large, raise the limit with --max-weights (e.g. --max-weights 8GB)")
    return total


def graph_counts(graph) -> dict[str, tuple[str, int]]:
    """node id -> (layer, weights) for a project graph, by inference (and generic_weights for generic nodes)."""
    from builder.inference.engine import infer

    results = infer(graph)
    counts = {}
    for node, result in results.items():
        count = result.trainable + result.non_trainable if result.shape is not None else 0
        layer = graph.nodes[node].get("layer")
        if isinstance(layer, str) and layer not in CATALOG:
            shapes = arriving_shapes(graph, node, results) or []
            count = max(count, generic_weights(layer, graph.nodes[node].get("config") or {}, shapes))
        counts[node] = (str(layer), count)
    return counts


def config_counts(model_config: dict) -> dict[str, tuple[str, int]]:
    """layer name -> (class name, weights) for a saved model's config, without Keras."""
    outputs: dict[str, tuple | None] = {}
    counts = {}
    for layer in layers_of(model_config):
        if layer.class_name == "InputLayer":
            outputs[layer.name] = tuple(layer.recorded[0]) if layer.recorded else None
            continue
        arriving = [outputs.get(source) for source in layer.sources]
        known = arriving if arriving and all(s is not None for s in arriving) else None
        spec = CATALOG.get(layer.class_name)
        if spec is not None and spec.port_names:  # attention: the recorded shapes are its query, value, key
            recorded = [list(layer.recorded)] if layer.recorded else []
        else:
            recorded = [[s] for s in layer.recorded]
        candidates = ([known] if known else []) + recorded
        count, shape = 0, None
        for index, shapes in enumerate(candidates):
            weights, out = _layer_weights(layer.class_name, layer.config, shapes)
            count = max(count, weights)
            if index == 0 and known:
                shape = out
        outputs[layer.name] = shape
        counts[layer.name] = (layer.class_name, count)
    return counts


def _layer_weights(class_name: str, config: dict, shapes: list) -> tuple[int, tuple | None]:
    """(weights, output shape or None) of one layer from its saved config, for these input shapes."""
    shapes = [tuple(s) for s in shapes]
    spec = CATALOG.get(class_name)
    if spec is None:
        out = shapes[0] if class_name in _SAME_SHAPE else None
        return generic_weights(class_name, config, [list(s) for s in shapes]), out
    crude = _crude_catalog_weights(class_name, config, shapes[0])
    try:
        params = spec.resolve({p.name: from_keras_config(config[p.name]) if p.kind == "layer" else _json(config[p.name])
                               for p in spec.params if p.name in config})
        arriving = [Arriving(f"input_{i}", s) for i, s in enumerate(shapes)]
        out = tuple(spec.shape_rule(params, arriving))
        trainable, frozen = spec.weight_rule(params, arriving, out)
    except (ParamError, ShapeError, TypeError, ValueError, KeyError, IndexError):
        return crude, None
    return max(crude, trainable + frozen), out


def _json(value):
    return [_json(v) for v in value] if isinstance(value, (list, tuple)) else value


def _crude_catalog_weights(class_name: str, config: dict, shape: tuple) -> int:
    """A catalog layer's weights straight from its config, for values the catalog's params refuse (a Dense of
    5 billion units is beyond MAX_DIM, yet Keras would try to allocate it)."""
    from builder.keras.generic_weights import _conv, _depthwise, _int, _last, _separable

    shape = [d if isinstance(d, int) else 0 for d in shape]
    units = _int(config.get("units"))
    channels = _last(shape)
    if class_name == "Dense":
        return units * channels + units
    if class_name in ("Conv1D", "Conv2D", "Conv2DTranspose"):
        return _conv(config, shape, 1 if class_name == "Conv1D" else 2)
    if class_name == "DepthwiseConv2D":
        return _depthwise(config, shape, 2)
    if class_name == "SeparableConv2D":
        return _separable(config, shape, 2)
    if class_name == "Embedding":
        return _int(config.get("input_dim")) * _int(config.get("output_dim"))
    if class_name in ("LSTM", "GRU"):
        gates = 4 if class_name == "LSTM" else 3
        return gates * units * (channels + units + 2)
    if class_name in ("BatchNormalization", "LayerNormalization"):
        return 4 * channels
    return 0
