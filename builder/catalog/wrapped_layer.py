"""A layer inside a wrapper node: Bidirectional's LSTM, TimeDistributed's Dense. The wrapper and the layer it
wraps are one node on the canvas (as they are one layer in Keras); the wrapped layer is the value of the
wrapper's `layer` param (and Bidirectional's `backward_layer`), stored as

    {"layer": "LSTM", "params": {"units": 64, "return_sequences": true}, "config": {"kernel_initializer": ...}}

with the wrapped layer's params in the same stored form as a node's, checked by that layer's own spec (and its
params rule, as Keras's constructor checks them), and, optionally, its Keras arguments outside the typed params
in `config`, plain JSON checked as a node's config is (builder/catalog/keras_json.py): an imported model keeps
its wrapped layers' initializers and regularizers. A wrapper may wrap a wrapper (TimeDistributed around a
Bidirectional), up to MAX_NESTING levels.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog.params import ParamError
from builder.quoting import quote, show

MAX_NESTING = 4
# Layers Bidirectional can run forwards and backwards: Keras needs go_backwards, return_sequences,
# return_state and stateful on the layer, which its recurrent layers have.
RECURRENT = ("LSTM", "GRU", "SimpleRNN")


def wrappable(name: str) -> bool:
    """Whether a catalog layer can be wrapped: one input, not an Input, not a merge or attention layer."""
    from builder.catalog.specs import CATALOG

    spec = CATALOG.get(name)
    return spec is not None and spec.inputs == 1 and not spec.port_names and not spec.generic


def describe_wrapped(choices: tuple) -> str:
    names = ", ".join(choices) if choices else "a single-input catalog layer"
    example = choices[0] if choices else "Dense"
    return f'a layer to wrap ({names}) as {{"layer": "{example}", "params": {{...}}}}'


def check_wrapped(param, value, depth: int = 0) -> dict:
    """The stored form of a wrapped layer, or ParamError saying what is wrong (naming the inner param)."""
    from builder.catalog.rules import ShapeError
    from builder.catalog.specs import CATALOG

    def fail(why: str):
        raise ParamError(f"expected {param.describe()}; {why}")

    if not isinstance(value, dict) or "layer" not in value or not set(value) <= {"layer", "params", "config"}:
        fail(f"got {show(value, python=True)}")
    name, params = value["layer"], value.get("params", {})
    if not isinstance(name, str) or name not in CATALOG or not wrappable(name) or (
            param.choices and name not in param.choices):
        fail(f"got the layer {quote(name) if isinstance(name, str) else show(name, python=True)}")
    if not isinstance(params, dict):
        fail(f"the params of {name} must be an object, got {show(params, python=True)}")
    if depth >= MAX_NESTING:
        fail(f"wrappers nest at most {MAX_NESTING} deep")
    spec = CATALOG[name]
    stored = {}
    for key, item in params.items():
        inner = spec.param(key)  # UnknownParam names the layer and its params
        try:
            stored[key] = check_wrapped(inner, item, depth + 1) if inner.kind == "layer" else inner.validate(item)
        except ParamError as exc:
            raise ParamError(f"{name}'s {key}: {exc}") from None
    try:
        resolved = spec.resolve(stored)
        if spec.params_rule:
            spec.params_rule(resolved)
    except (ParamError, ShapeError) as exc:
        raise ParamError(f"{name}'s {exc}") from None
    out = {"layer": name, "params": stored}
    if "config" in value:
        from builder.catalog.keras_json import ConfigError, check_arguments

        if not isinstance(value["config"], dict):
            fail(f"the config of {name} must be an object of Keras arguments, got {show(value['config'], python=True)}")
        try:
            out["config"] = check_arguments(value["config"], spec, f"{name}'s config")
        except ConfigError as exc:
            raise ParamError(str(exc)) from None
    return out


def resolved(value) -> tuple:
    """(spec, params with defaults filled) of a stored wrapped layer."""
    from builder.catalog.specs import CATALOG

    spec = CATALOG[value["layer"]]
    return spec, spec.resolve(value.get("params", {}))


def wrapped_text(value, short: bool = False) -> str:
    """The wrapped layer as the card shows it: 'LSTM 64 · return_sequences' or, short, 'LSTM 64' (its first
    summary item only)."""
    from builder.catalog.card_summary import SEPARATOR, summary_text

    if not isinstance(value, dict) or not isinstance(value.get("layer"), str):
        return "?"
    summary = summary_text(value["layer"], value.get("params") if isinstance(value.get("params"), dict) else {})
    if short:
        summary = summary.split(SEPARATOR)[0]
    return f"{value['layer']} {summary}".strip()


def from_keras_config(serialized) -> dict | None:
    """A wrapped layer as Keras serializes it ({"class_name": "LSTM", "config": {...}}) in our stored form, every
    catalog param its config holds taken as it is (unchecked); None if it is not a catalog layer. For reading a
    saved model's config without Keras (the weight limit); the importer keeps only what differs from defaults."""
    from builder.catalog.specs import CATALOG

    if not isinstance(serialized, dict) or not isinstance(serialized.get("config"), dict):
        return None
    spec = CATALOG.get(serialized.get("class_name"))
    if spec is None:
        return None
    config = serialized["config"]
    params = {}
    for p in spec.params:
        if p.name in config:
            value = config[p.name]
            params[p.name] = from_keras_config(value) if p.kind == "layer" else _json(value)
    return {"layer": spec.name, "params": params}


def _json(value):
    return [_json(v) for v in value] if isinstance(value, (list, tuple)) else value
