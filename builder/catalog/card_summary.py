"""One line of a node's key params for the canvas, e.g. Conv2D -> `32 · 3×3 · same · relu`.

Which params appear comes from the catalog spec's `summary` tuple. A value that says nothing beyond the
layer's usual behaviour is left out (strides 1, no activation, keepdims off); padding stays even when it is
Keras's 'valid', because it decides the output size and is the first thing to check on a shape error.
"""

from __future__ import annotations

from builder.catalog.params import REQUIRED, Param, ParamError
from builder.catalog.specs import UnknownLayerError, spec_for

SEPARATOR = " · "

# Params whose value alone is clear on a node of that layer; others get their name as a label.
_SHOWN_BARE = {"filters", "units", "kernel_size", "pool_size", "padding", "activation", "shape", "target_shape"}
_LABELS = {"strides": "stride", "dilation_rate": "dilation"}


def summary_text(layer: str, params: dict | None) -> str:
    """The summary line for a node; '' for an unknown layer. Never raises on odd params (a hand-built graph
    may hold anything): a value that cannot be read is shown as it is."""
    try:
        spec = spec_for(layer)
    except UnknownLayerError:
        return ""
    params = params or {}
    parts = []
    if _wraps(spec):  # the wrapped layer's first summary item is in the title; the rest comes first here
        inner = params.get("layer")
        if isinstance(inner, dict) and isinstance(inner.get("params"), dict):
            parts.extend(summary_text(inner.get("layer"), inner["params"]).split(SEPARATOR)[1:])
    for name in spec.summary:
        try:
            param = spec.param(name)
        except ParamError:
            continue
        value = params.get(name, param.default)
        text = _format(param, value)
        if text:
            parts.append(text)
    return SEPARATOR.join(parts)


def layer_title(layer: str, params: dict | None) -> str:
    """The layer line of a node card: the class name, and for a wrapper the layer it wraps, e.g.
    'Bidirectional(LSTM 64 · return_sequences)' or 'TimeDistributed(Dense 10 · softmax)'."""
    from builder.catalog.wrapped_layer import wrapped_text

    try:
        spec = spec_for(layer)
    except UnknownLayerError:
        return str(layer)
    if not _wraps(spec):
        return layer
    return f"{layer}({wrapped_text((params or {}).get('layer'), short=True)})"


def _wraps(spec) -> bool:
    return "layer" in spec.param_by_name and spec.param("layer").kind == "layer"


def _format(param: Param, value) -> str:
    if param.kind == "layer":  # Bidirectional's backward_layer (the wrapped layer is in the title)
        from builder.catalog.wrapped_layer import wrapped_text

        return "" if value is None else f"backward {wrapped_text(value)}"
    if param.name == "data_format":  # only the unusual layout is worth a word on the card
        return "channels first" if value == "channels_first" else ""
    if value is None or value is REQUIRED or _says_nothing(param, value):
        return ""
    if param.kind == "bool":
        return param.name if value else f"no {param.name}"
    shown = _value_text(param, value)
    if param.name in _SHOWN_BARE:
        return shown
    return f"{_LABELS.get(param.name, param.name)} {shown}"


def _says_nothing(param: Param, value) -> bool:
    # The window size, padding and the like say what the node does even at Keras's default; a default
    # stride or dilation only says "nothing special".
    if param.required or param.name in _SHOWN_BARE or param.kind == "axis":
        return False
    try:
        return param.is_default(value)
    except (TypeError, ValueError):
        return False


def _value_text(param: Param, value) -> str:
    if param.kind == "ints":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value}×{value}"
        if isinstance(value, (list, tuple)):
            return "×".join(str(v) for v in value)
    if param.kind in ("shape", "target") and isinstance(value, (list, tuple)):
        return "×".join("?" if v is None else str(v) for v in value) if value else "scalar"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
