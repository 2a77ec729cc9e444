"""Import a Keras model (.keras, legacy .h5, or the JSON of `model.to_json()`) as a graph document.

keras is imported inside the functions only. Loading is safe: before Keras sees the file, its config is read as
plain JSON and refused if any layer is a Lambda (arbitrary code) or a class that is not Keras's own (a custom
object); Keras then loads it with safe_mode=True.

Each layer becomes one node whose id is the layer's name:
  - a catalog layer keeps, as typed params, every catalog param that differs from Keras's default, and carries
    every other constructor argument that differs from the default in its `config` (builder/model/node_config.py);
    if our shape rule would not give Keras's shape for it (channels_first, say), or a typed param holds a value
    the catalog does not model (an axis list), the import is refused with a message naming the layer;
  - a built-in Keras layer outside the catalog becomes a generic node: layer = its class name, every non-default
    argument in `config`, and its output shape and weight counts as Keras computed them from the model at import,
    stored in `keras_shape` with the input shapes Keras saw, so check and export work afterwards without
    TensorFlow. When what feeds the node is edited later, inference sees the inputs differ and marks the node
    stale until Keras recomputes it (builder/inference/stored_shapes.py).
  - a keras.ops call on the model's tensors (an Operation that is no layer) becomes an op node (builder/keras/op_import.py).
Nested models (a Sequential or functional model used as a layer) become model blocks, and a layer or a nested model
called at several places becomes shared uses of one block definition (builder/keras/nested_import.py); the
rest is grouped into blocks by Keras's layer-name prefixes (builder/keras/name_groups.py), and a large model
opens with its blocks collapsed. A layer with several outputs cannot be one node, and such models are refused
with a message naming the layer.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.catalog.keras_names import KERAS_LAYERS
from builder.catalog.params import ParamError
from builder.catalog.specs import CATALOG
from builder.files.project import node_id_problem
from builder.inference.engine import infer
from builder.keras.model_file import ImportRefused, read_config
from builder.keras.op_import import (
    check_generic_op,
    claim_op_id,
    describe_op,
    function_of,
    is_op,
    part_id,
    used_parts,
)
from builder.keras.weight_limit import DEFAULT_MAX_WEIGHT_BYTES
from builder.layout.block_layout import block_layout
from builder.model.document import GraphDocument, GraphError
from builder.quoting import quote

_SKIP_KEYS = {"name"}

__all__ = ["ImportRefused", "check_safe", "import_model", "load_model", "model_to_graph", "read_config"]


# ---- safety, and loading with Keras ---------------------------------------------------------------------------

def check_safe(config: dict, where: str = "model"):
    """Refuse Lambda layers and custom objects anywhere in the config, naming them."""
    if not isinstance(config, dict):
        return
    class_name = config.get("class_name")
    inner = config.get("config") if isinstance(config.get("config"), dict) else {}
    name = inner.get("name", where)
    name = name if isinstance(name, str) else where
    shown = quote(name)
    if class_name == "Lambda":
        raise ImportRefused(f"{shown}: a Lambda layer holds arbitrary Python code, which safe loading refuses; "
                            "replace it with built-in layers in the model and save it again")
    module = config.get("module")
    registered = config.get("registered_name")
    if isinstance(module, str) and not module.startswith("keras"):
        raise ImportRefused(f"{shown}: {quote(class_name)} is a custom object (module {quote(module)}), not Keras's own; "
                            "only built-in Keras layers can be imported safely")
    if isinstance(registered, str) and registered != class_name and ">" in registered:
        raise ImportRefused(f"{shown}: {quote(registered)} is a custom object registered by other code, not Keras's own; "
                            "only built-in Keras layers can be imported safely")
    for value in config.values():
        if isinstance(value, dict):
            check_safe(value, name)
        elif isinstance(value, list):
            for item in value:
                check_safe(item, name)


def load_model(path, max_weight_bytes: int | None = DEFAULT_MAX_WEIGHT_BYTES):
    """The keras.Model in the file, loaded safely (see check_safe), after read_config's bounds."""
    config = read_config(path, max_weight_bytes)
    try:
        check_safe(config)
    except ImportRefused as exc:
        raise ImportRefused(f"{path}: {exc}") from None
    import keras

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".keras":
            return keras.saving.load_model(path, compile=False, safe_mode=True)
        if suffix in (".h5", ".hdf5"):
            return keras.models.load_model(path, compile=False, safe_mode=True)
        return keras.models.model_from_json(json.dumps(config))  # the text read and checked above
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever Keras refuses, say it with the file name
        raise ImportRefused(f"{path}: Keras cannot load it: {type(exc).__name__}: {quote(str(exc), 600)[1:-1]}") from None


# ---- model -> graph -------------------------------------------------------------------------------------------

def _plain(value):
    """A config value as plain JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


def _default_config(keras, layer) -> dict:
    """The config of the same layer class built with only its required arguments (and its name)."""
    import inspect

    cls = type(layer)
    config = layer.get_config()
    required = {}
    for name, p in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "kwargs", "args") or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if p.default is inspect.Parameter.empty and name in config:
            required[name] = config[name]
    try:
        return _plain(cls.from_config({**required, "name": config.get("name")}).get_config()), set(required)
    except Exception:  # noqa: BLE001 - a layer that needs more than its config's required keys: keep everything
        return {}, set(required)


def _differences(config: dict, default: dict, required: set) -> dict:
    """Every constructor argument that differs from Keras's default, and the required ones."""
    return {k: v for k, v in config.items()
            if k not in _SKIP_KEYS and (k in required or k not in default or default[k] != v)}


def _graph_of(keras, model):
    """The functional graph of a model (a Sequential keeps its graph in a functional twin)."""
    functional = getattr(model, "_functional", None) if isinstance(model, keras.Sequential) else None
    return functional or model


def _operations(keras, model) -> list:
    """The model's layers in graph order, its InputLayers included."""
    return list(_graph_of(keras, model).operations)


def _uses_in(keras, layer, model) -> list:
    """The calls of `layer` that belong to this model's graph. A layer also keeps the calls made outside it:
    a Sequential calls its layers again each time it is built (once more when it is loaded), and those
    calls are not uses of the layer in the model."""
    by_depth = getattr(_graph_of(keras, model), "_nodes_by_depth", None)  # {depth: [Node, ...]} of its graph
    inbound = list(layer._inbound_nodes)
    if not by_depth:
        return inbound
    in_graph = {id(node) for nodes in by_depth.values() for node in nodes}
    return [node for node in inbound if id(node) in in_graph]


def _history(tensor):
    operation, node_index, tensor_index = tensor._keras_history
    return operation, node_index, tensor_index


class _Walker:
    """Turns a (possibly nested) functional model into nodes and wires, flattening inner models."""

    def __init__(self, keras, model):
        self.keras = keras
        self.model = model
        self.nodes: list[dict] = []  # {"id", "layer", "params", "config", "keras_shape", "sources", "keras"}
        self.seen: set[str] = set()
        self.outputs = list(_graph_of(keras, model).outputs)

    def tensor_source(self, tensor) -> str:
        operation, _node_index, tensor_index = _history(tensor)
        if tensor_index and not (is_op(self.keras, operation) and function_of(operation) == "split"):
            raise ImportRefused(f"{operation.name}: a layer with several outputs cannot be one node; only layers "
                                "with a single output can be imported")
        if is_op(self.keras, operation) and function_of(operation) == "split":  # one node per part used
            return part_id(operation, tensor_index, used_parts(operation, self.outputs))
        if isinstance(operation, self.keras.Model):
            # The inner model's output tensor comes from one of its own layers.
            inner_out = operation.outputs[0] if isinstance(operation.outputs, list) else operation.outputs
            return self.tensor_source(inner_out)
        return operation.name

    def walk(self):
        for layer in _operations(self.keras, self.model):
            self.add(layer, self.model)
        return self.nodes

    def add(self, layer, owner):
        """Add `layer`, a layer of the model `owner` (the walked model, or an inner model flattened into it)."""
        keras = self.keras
        if isinstance(layer, keras.Model):
            self.add_nested(layer, owner)
            return
        if is_op(keras, layer):  # a keras.ops call: builder/keras/op_import.py
            self.add_op(layer, owner)
            return
        name = layer.name
        problem = node_id_problem(name)
        if problem:
            raise ImportRefused(f"layer {quote(name)}: Keras allows this name, but a project cannot hold it as an id "
                                f"({problem.split(': ', 1)[-1]}); rename the layer in Keras "
                                "(e.g. layer.name = 'dense_1') and save the model again")
        if name in self.seen:
            raise ImportRefused(f"{name}: two layers have this name; Keras names must be unique in a model")
        self.seen.add(name)
        class_name = type(layer).__name__
        if class_name == "InputLayer":
            config = _plain(layer.get_config())
            extra = {"dtype": config["dtype"]} if config.get("dtype") not in (None, "float32") else {}
            self.nodes.append({"id": name, "layer": "Input", "params": {"shape": config["batch_shape"][1:]},
                               "config": extra, "sources": [], "keras": layer})
            return
        inbound = _uses_in(keras, layer, owner)
        if len(inbound) != 1:
            raise ImportRefused(f"{name}: this {class_name} layer is used at {len(inbound)} places (shared "
                                "weights); a node is one use of one layer, so such models cannot be imported")
        node = inbound[0]
        sources = [self.tensor_source(t) for t in node.input_tensors]
        self.nodes.append({"id": name, "layer": class_name, "sources": sources, "keras": layer,
                           **self.describe(layer, class_name, node)})

    def add_op(self, operation, owner):
        """A keras.ops call: one node (a split: one per part used), as op_import describes it."""
        inbound = _uses_in(self.keras, operation, owner)
        if len(inbound) != 1:
            raise ImportRefused(f"{operation.name}: this operation is used at {len(inbound)} places; a node is one "
                                "call of one operation")
        node = inbound[0]
        sources = [self.tensor_source(t) for t in node.input_tensors]
        split = function_of(operation) == "split"
        parts = used_parts(operation, self.outputs) if split else [None]
        for index in parts:
            node_id = part_id(operation, index, parts) if split else operation.name
            claim_op_id(node_id, self.seen)
            described = describe_op(self.keras, operation, node, index)
            if "keras_shape" in described:
                check_generic_op(node_id, described)
            self.nodes.append({"id": node_id, "sources": sources, "keras": operation, **described})

    def add_nested(self, inner, owner):
        # Flattened: the inner model's Input layers stand for what feeds the inner model at its single use.
        inbound = _uses_in(self.keras, inner, owner)
        if len(inbound) != 1:
            raise ImportRefused(f"{inner.name}: this inner model is used at {len(inbound)} places; only an "
                                "inner model used once can be flattened into the graph")
        outer_sources = [self.tensor_source(t) for t in inbound[0].input_tensors]
        inner_inputs = [_history(t)[0].name for t in inner.inputs]
        rename = dict(zip(inner_inputs, outer_sources))
        for layer in _operations(self.keras, inner):
            if type(layer).__name__ == "InputLayer":
                continue
            before = len(self.nodes)
            self.add(layer, inner)
            for added in self.nodes[before:]:
                added["sources"] = [rename.get(s, s) for s in added["sources"]]

    def describe(self, layer, class_name, node) -> dict:
        full = _plain(layer.get_config())
        default, required = _default_config(self.keras, layer)
        diffs = _differences(full, default, required)
        spec = CATALOG.get(class_name)
        shape, trainable, frozen, inputs = self.keras_facts(layer, node)
        if spec is not None:
            return {"params": self.typed(layer, spec, full, default, diffs),
                    "config": {k: v for k, v in diffs.items() if k not in spec.param_by_name},
                    "check": (shape, trainable, frozen)}
        if class_name not in KERAS_LAYERS:
            raise ImportRefused(f"{layer.name}: {class_name} is not a built-in Keras layer this app knows; only "
                                "keras.layers classes can be imported")
        return {"layer": class_name, "params": {}, "config": diffs,
                "keras_shape": {"shape": list(shape), "trainable": trainable, "non_trainable": frozen,
                                "inputs": inputs}}

    @staticmethod
    def typed(layer, spec, full, derived, diffs) -> dict:
        """The catalog params of a layer: those that differ from Keras's default, and the required ones.
        A value the default-built layer derives from other arguments (pooling strides = pool_size) is judged
        against the catalog's default (Keras's signature), so `strides=(2, 2)` with a 3×3 pool survives."""
        params = {}
        for p in spec.params:
            if p.name not in full:
                continue
            value = full[p.name]
            if p.kind == "layer":  # a wrapper's layer (builder/keras/wrapper_import.py)
                import keras

                from builder.keras.wrapper_import import wrapped_param

                params[p.name] = wrapped_param(keras, layer, p.name)
                if params[p.name] is None:
                    del params[p.name]
                continue
            if p.name == "data_format" and value == "channels_last":
                continue  # what Keras's None resolves to with the usual keras.json: the catalog's default
            keep = p.required or p.name in diffs or (
                p.name != "activation" and derived.get(p.name) != _plain(p.default) and not p.is_default(value))
            if not keep:
                continue
            try:
                params[p.name] = p.validate(value)
            except ParamError as exc:
                raise ImportRefused(f"{layer.name}: {spec.name}'s {p.name}={value!r} is beyond what the catalog "
                                    f"models ({exc}); this layer cannot be imported yet") from None
        return params

    @staticmethod
    def keras_facts(layer, node):
        shape = _dims(node.output_tensors[0].shape)
        trainable = sum(int(_size(w)) for w in layer.trainable_weights)
        frozen = sum(int(_size(w)) for w in layer.non_trainable_weights)
        return shape, trainable, frozen, [_dims(t.shape) for t in node.input_tensors]


def _dims(shape) -> list:
    return [None if d is None else int(d) for d in shape]


def _size(weight) -> int:
    n = 1
    for d in weight.shape:
        n *= int(d)
    return n


def model_to_graph(model) -> GraphDocument:
    """A graph document for a built keras.Model, laid out left to right."""
    import keras

    from builder.keras.nested_import import BlockWalker, keep_blocks

    walker = BlockWalker(keras, model)
    nodes = walker.walk()
    doc = GraphDocument()
    for node in nodes:
        _add(doc, node)
    for node in nodes:
        for port, source in enumerate(node["sources"]):
            doc.graph.add_edge(source, node["id"], port=port)
    _refuse_where_shapes_differ(doc, nodes)
    keep_blocks(doc, nodes, walker.blocks)
    positions = block_layout(doc.graph)  # blocks laid out as cards, their nodes from where the card stands
    doc.graph.graph.setdefault("ui", {})["positions"] = {n: [float(x), float(y)] for n, (x, y) in positions.items()}
    return doc


def _add(doc, node):
    try:
        doc.add_node(node["id"], node["layer"], node["params"], config=node.get("config") or None,
                     keras_shape=node.get("keras_shape"))
    except GraphError as exc:  # a value Keras keeps that a project cannot (NaN in a config, say)
        raise ImportRefused(f"layer {quote(node['id'])} ({node['layer']}): it cannot be a node: {exc}") from None


def _refuse_where_shapes_differ(doc, nodes):
    """Refuse the model if a catalog node's inferred shape or weights differ from Keras's (an argument the
    catalog does not model changes them): an imported graph must say what Keras says."""
    results = infer(doc.graph)
    for node in nodes:
        check = node.get("check")
        if check is None:
            continue
        shape, trainable, frozen = check
        result = results[node["id"]]
        if result.shape == tuple(shape) and (result.trainable, result.non_trainable) == (trainable, frozen):
            continue
        data = doc.graph.nodes[node["id"]]
        if node["layer"].startswith("ops.") and result.error:  # an op Keras builds but the app refuses
            raise ImportRefused(f"{result.error} (Keras declares {tuple(shape)}, but the model would not run as "
                                "declared); change the operation in the model and save it again")
        ours = result.shape if result.shape is not None else (result.error or f"nothing (waits on {result.blocked_by})")
        raise ImportRefused(f"{node['id']}: Keras gives {node['layer']} the shape {tuple(shape)} with "
                            f"{trainable + frozen} weights, but the catalog's rule gives {ours} for params "
                            f"{data.get('params')} and config {data.get('config') or {}}; an argument it does "
                            "not model changes the shape, so this layer cannot be imported yet")


def import_model(path, max_weight_bytes: int | None = DEFAULT_MAX_WEIGHT_BYTES) -> GraphDocument:
    """Load a model file safely and return its graph document (see the module's docstring). Every refusal is
    an ImportRefused whose message starts with the file."""
    model = load_model(path, max_weight_bytes)
    try:
        return model_to_graph(model)
    except ImportRefused as exc:
        raise ImportRefused(f"{path}: {exc}") from None
