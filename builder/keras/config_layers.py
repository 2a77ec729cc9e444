"""The layers of a saved Keras model's config, read as plain JSON, without Keras: name, class, config, what feeds
each one, and the input shapes the file records for it.

builder/keras/weight_limit.py walks them to count the weights a model would allocate before Keras builds anything.
Handles what Keras 3 writes (`.keras` config.json and `model.to_json()`: inbound nodes as
{"args": [{"class_name": "__keras_tensor__", "config": {"shape", "keras_history": [name, node, tensor]}}]}),
what Keras 2 wrote into `.h5` files (inbound nodes as [[[name, node, tensor, kwargs], ...]]), Sequential
models, and models nested as layers (flattened: an inner model's inputs stand for what feeds it).
Malformed parts are skipped rather than refused: the importer refuses them later with Keras's own word, and a
skipped part can only make the count smaller, never raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODEL_CLASSES = ("Functional", "Model", "Sequential")
MAX_NESTING = 20


@dataclass
class ConfigLayer:
    name: str
    class_name: str
    config: dict
    sources: list[str] = field(default_factory=list)  # layer names feeding it, in argument order
    recorded: list[list] = field(default_factory=list)  # input shapes the file records (build_config, tensors)


def is_model(entry) -> bool:
    return isinstance(entry, dict) and entry.get("class_name") in MODEL_CLASSES and isinstance(
        entry.get("config"), dict) and isinstance(entry["config"].get("layers"), list)


def layers_of(model_config) -> list[ConfigLayer]:
    """The layers of a model config ({"class_name": "Functional"|"Sequential", "config": {...}}), in file order,
    nested models flattened. An InputLayer becomes class "InputLayer" with its batch shape recorded."""
    out: list[ConfigLayer] = []
    if is_model(model_config):
        _model(model_config, [], out, 0)
    return out


def _name(entry) -> str:
    config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
    name = entry.get("name", config.get("name"))
    return name if isinstance(name, str) else ""


def _shape(value):
    if isinstance(value, (list, tuple)) and len(value) <= 16 and all(
            v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return list(value)
    return None


def _build_shape(entry) -> list:
    build = entry.get("build_config")
    shape = _shape(build.get("input_shape")) if isinstance(build, dict) else None
    return [shape] if shape else []


def _model(entry, outer_sources: list[str], out: list, depth: int) -> str:
    """Add the layers of a (possibly nested) model; returns the name of the layer giving its output."""
    if depth > MAX_NESTING:
        return ""
    config = entry["config"]
    if entry.get("class_name") == "Sequential":
        return _sequential(config, outer_sources, out, depth)
    inputs = [_history_name(item) for item in config.get("input_layers") or []]
    rename = {name: source for name, source in zip(inputs, outer_sources) if name}
    last = ""
    for layer in config["layers"]:
        if not isinstance(layer, dict):
            continue
        name = _name(layer)
        if layer.get("class_name") == "InputLayer" and name in rename:
            continue  # an inner model's input: what feeds the inner model stands for it
        sources, recorded = _inbound(layer.get("inbound_nodes"))
        sources = [rename.get(s, s) for s in sources]
        if is_model(layer):
            rename[name] = _model(layer, sources, out, depth + 1)
            continue
        out.append(ConfigLayer(name, str(layer.get("class_name")), _config(layer), sources,
                               _input_shapes(layer) + recorded + _build_shape(layer)))
        last = name
    outputs = [_history_name(item) for item in config.get("output_layers") or []]
    return rename.get(outputs[0], outputs[0]) if outputs and outputs[0] else last


def _sequential(config, outer_sources: list[str], out: list, depth: int) -> str:
    previous = list(outer_sources)
    build = _shape(config.get("build_input_shape"))
    for index, layer in enumerate(config["layers"]):
        if not isinstance(layer, dict):
            continue
        name = _name(layer) or f"{config.get('name', 'sequential')}_{index}"
        if layer.get("class_name") == "InputLayer":
            if previous:
                continue
            out.append(ConfigLayer(name, "InputLayer", _config(layer), [], _input_shapes(layer)))
            previous = [name]
            continue
        if not previous:  # no InputLayer: the first layer's own batch_input_shape, or the model's build shape
            shapes = _input_shapes(layer) or ([build] if build else [])
            if shapes:
                out.append(ConfigLayer(f"{name}__input", "InputLayer", {}, [], shapes))
                previous = [f"{name}__input"]
        if is_model(layer):
            previous = [_model(layer, previous, out, depth + 1)]
            continue
        out.append(ConfigLayer(name, str(layer.get("class_name")), _config(layer), previous, _build_shape(layer)))
        previous = [name]
    return previous[0] if previous else ""


def _config(entry) -> dict:
    return entry["config"] if isinstance(entry.get("config"), dict) else {}


def _input_shapes(entry) -> list:
    """An InputLayer's (or a Keras 2 first layer's) declared batch shape."""
    config = _config(entry)
    for key in ("batch_shape", "batch_input_shape"):
        shape = _shape(config.get(key))
        if shape:
            return [shape]
    return []


def _history_name(item) -> str:
    """[name, node, tensor] (an input_layers/output_layers entry, or a Keras 2 inbound entry) -> name."""
    if isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
        return item[0]
    return ""


def _inbound(nodes) -> tuple[list[str], list]:
    """(source names, recorded input shapes) of a layer's first call (only single-use layers are imported)."""
    if not isinstance(nodes, list) or not nodes:
        return [], []
    first = nodes[0]
    sources, shapes = [], []
    if isinstance(first, dict):  # Keras 3
        _tensors(first.get("args"), sources, shapes, 0)
    elif isinstance(first, list):  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
        sources = [name for name in map(_history_name, first) if name]
    return sources, shapes


def _tensors(value, sources: list, shapes: list, depth: int):
    if depth > 4 or len(sources) > 1000:
        return
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        config = value.get("config") if isinstance(value.get("config"), dict) else {}
        name = _history_name(config.get("keras_history"))
        if name:
            sources.append(name)
            shape = _shape(config.get("shape"))
            if shape:
                shapes.append(shape)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _tensors(item, sources, shapes, depth + 1)
