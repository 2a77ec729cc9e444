"""Import of wrapper layers (Bidirectional, TimeDistributed): the Keras layer a wrapper holds becomes the stored
form of its `layer` param (builder/catalog/wrapped_layer.py), with the params that differ from Keras's
defaults; Bidirectional's backward layer is kept only when it is not the copy Keras makes by itself.

Its other arguments that differ from Keras's defaults (initializers, regularizers) go into the wrapped layer's
`config`, as a node's do. A wrapper around a layer outside the catalog (or one that several inputs feed) is
refused with a message naming the wrapper and the layer: the catalog has no shape rule for what it wraps.
"""

from __future__ import annotations

from builder.catalog.specs import CATALOG
from builder.catalog.wrapped_layer import wrappable
from builder.keras.model_file import ImportRefused

# Set on the wrapped layer by the wrapper itself, never by the person: Bidirectional names its two layers
# forward_x and backward_x and sets zero_output_for_mask to return_sequences.
_WRAPPER_SET = {"name", "zero_output_for_mask"}


def wrapped_param(keras, wrapper, param_name: str):
    """The stored value of a wrapper's `layer` or `backward_layer` param for an imported Keras wrapper."""
    if type(wrapper).__name__ == "Bidirectional":
        if param_name == "backward_layer":
            return None if _is_automatic(keras, wrapper) else _stored(keras, wrapper.backward_layer, wrapper.name)
        return _stored(keras, wrapper.forward_layer, wrapper.name)
    return _stored(keras, wrapper.layer, wrapper.name)


def _arguments(keras, layer) -> dict:
    from builder.keras.importer import _default_config, _differences, _plain

    full = _plain(layer.get_config())
    default, required = _default_config(keras, layer)
    return full, default, _differences(full, default, required)


def _is_automatic(keras, wrapper) -> bool:
    """Whether the backward layer is the one Keras makes: the forward layer's arguments, going backwards."""
    forward = _arguments(keras, wrapper.forward_layer)[0]
    backward = _arguments(keras, wrapper.backward_layer)[0]
    if type(wrapper.forward_layer) is not type(wrapper.backward_layer):
        return False
    drop = lambda config: {k: v for k, v in config.items() if k not in _WRAPPER_SET}
    return drop({**forward, "go_backwards": True}) == drop(backward)


def _stored(keras, layer, owner: str) -> dict:
    from builder.keras.importer import _Walker

    class_name = type(layer).__name__
    spec = CATALOG.get(class_name)
    if spec is None or not wrappable(class_name):
        raise ImportRefused(f"{owner}: it wraps a {class_name}, which the catalog cannot hold inside a wrapper "
                            "(only its single-input layers); this layer cannot be imported yet")
    full, default, diffs = _arguments(keras, layer)
    value = {"layer": spec.name, "params": _Walker.typed(layer, spec, full, default, diffs)}
    config = {k: v for k, v in diffs.items() if k not in spec.param_by_name and k not in _WRAPPER_SET}
    if config:
        value["config"] = config
    return value
