"""The layer inside a wrapper node (Bidirectional's LSTM, TimeDistributed's Dense: builder/catalog/wrapped_layer.py)
as Keras and as exported code take it: a layer object passed as the wrapper's `layer` (or `backward_layer`)
argument, `layers.Bidirectional(layer=layers.LSTM(units=64), name="bi")`. Wrappers may nest.
"""

from __future__ import annotations

from builder.catalog.specs import CATALOG


def wrapped_kinds(spec) -> tuple[str, ...]:
    """The names of a spec's params that hold a wrapped layer."""
    return tuple(p.name for p in spec.params if p.kind == "layer")


def keras_arguments(keras, spec, kwargs: dict) -> dict:
    """Keras keyword arguments with every wrapped layer (a stored dict) made into a fresh Keras layer."""
    names = wrapped_kinds(spec)
    if not names:
        return kwargs
    return {k: keras_layer(keras, v) if k in names and v is not None else v for k, v in kwargs.items()}


def keras_layer(keras, value: dict):
    """A fresh Keras layer for a stored wrapped layer; lists become tuples, as for a node's params."""
    spec = CATALOG[value["layer"]]
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in value.get("params", {}).items()}
    return getattr(keras.layers, spec.name)(**value.get("config", {}), **keras_arguments(keras, spec, params))


def layer_code(value, literal) -> str:
    """Python source for a stored wrapped layer, e.g. `layers.LSTM(units=64, return_sequences=True)`: the params
    it sets that differ from Keras's defaults and its config, each written by `literal` (builder/keras/code_export.py)."""
    spec = CATALOG[value["layer"]]
    args = []
    for param in spec.params:
        if param.name not in value.get("params", {}):
            continue
        item = value["params"][param.name]
        if param.always_written or not param.is_default(item):
            written = layer_code(item, literal) if param.kind == "layer" and item is not None else literal(item)
            args.append(f"{param.name}={written}")
    # Config keys are checked identifiers (builder/catalog/keras_json.py), safe as keyword names.
    args.extend(f"{key}={literal(item)}" for key, item in value.get("config", {}).items() if key.isidentifier())
    return f"layers.{spec.name}({', '.join(args)})"
