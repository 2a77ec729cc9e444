"""Import of keras.ops operations (called on the tensors of a functional model) as op nodes.

In Keras 3 `keras.ops.concatenate([a, b], axis=-1)` on symbolic tensors leaves an Operation in the model
(`model.operations`, not `model.layers`): no weights, its constructor arguments in its config, its tensors and
constants in the call's arguments. Each becomes a node "ops.<function>": tensors on ports, numbers and keyword
arguments as params (native ops, builder/catalog/ops/specs.py, whose rule must then give Keras's shape, as the
importer checks for layers) or as config (any other keras.ops function: its shape is Keras's, stored in
keras_shape, and the call the node spells is rebuilt on symbolic tensors at once to prove it gives that shape).

A split used through one or more of its parts becomes one node per part used (`index`). What no node can hold
is refused with a message naming the operation: an operation that is no keras.ops function (`x[0]` indexing),
a constant that is an array, tensors in arguments after constants, several outputs.
"""

from __future__ import annotations

import inspect
import json
import re

from builder.catalog.ops import KERAS_OPS, LIST_OPS, OPS, PREFIX
from builder.catalog.params import ParamError
from builder.files.project import node_id_problem
from builder.keras.model_file import ImportRefused
from builder.quoting import quote


def is_op(keras, operation) -> bool:
    """An operation of a functional model that is not a layer (nor a model): a keras.ops call."""
    return not isinstance(operation, keras.layers.Layer)


def function_of(operation) -> str:
    """The keras.ops function an Operation class stands for: ExpandDims -> expand_dims."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(operation).__name__).lower()


def _refuse(operation, why: str):
    raise ImportRefused(f"{operation.name}: the operation {type(operation).__name__} (keras.ops) {why}")


def _plain(operation, name: str, value):
    """A constant argument as plain JSON, or a refusal naming it."""
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()  # a NumPy number
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        _refuse(operation, f"has the argument {name}={quote(repr(value), 60)}, which is not a number, text or a "
                           "list of them; a node cannot hold it. Use a layer, or a number, instead")
    return json.loads(text)


def _arguments(keras, operation, node) -> tuple[list[tuple[str, object]], dict]:
    """([(parameter, tensor or list of tensors)], {parameter: constant}) of the call, bound to the function's
    signature; the operation's config supplies the arguments it took when it was made."""
    function = function_of(operation)
    if function not in KERAS_OPS or not hasattr(keras.ops, function):
        _refuse(operation, "is not a keras.ops function a node can call (it comes from Python syntax such as "
                           "x[0] or from Keras internals); write it with layers or keras.ops functions")
    signature = inspect.signature(getattr(keras.ops, function))
    try:
        bound = signature.bind_partial(*node.arguments.args, **node.arguments.kwargs).arguments
    except TypeError as exc:
        _refuse(operation, f"was called in a way its function does not take ({exc})")
    config = {k: v for k, v in operation.get_config().items() if k != "name"}
    for key in config:
        if key not in signature.parameters:
            _refuse(operation, f"keeps the argument {quote(key)}, which keras.ops.{function} does not take")
    tensors, constants = [], {}
    for name, value in {**config, **bound}.items():
        kind = signature.parameters[name].kind
        if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            _refuse(operation, f"takes its {name} as *{name}; a node cannot spell that call")
        if isinstance(value, keras.KerasTensor):
            tensors.append((name, value))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, keras.KerasTensor) for v in value):
            tensors.append((name, list(value)))
        elif isinstance(value, (list, tuple)) and any(isinstance(v, keras.KerasTensor) for v in value):
            _refuse(operation, f"mixes tensors and constants in its argument {name}; a node cannot hold that")
        else:
            constants[name] = _plain(operation, name, value)
    return tensors, constants


def describe_op(keras, operation, node, index: int | None = None) -> dict:
    """The node of one keras.ops call: {"layer", "params", "config", and "check" (native) or "keras_shape"}.
    `index`: the part of a split this node gives."""
    function = function_of(operation)
    tensors, constants = _arguments(keras, operation, node)
    outputs = node.output_tensors
    if len(outputs) != 1 and function != "split":
        _refuse(operation, f"gives {len(outputs)} tensors; a node has a single output")
    shape = _dims(outputs[index or 0].shape)
    spec = OPS.get(PREFIX + function)
    if spec is not None:
        params = _typed(operation, spec, tensors, constants, index)
        return {"layer": spec.name, "params": params, "config": {}, "check": (shape, 0, 0)}
    names = list(inspect.signature(getattr(keras.ops, function)).parameters)
    wired = [name for name, _t in tensors]
    if wired != names[:len(wired)] or (function in LIST_OPS) != any(isinstance(t, list) for _n, t in tensors) or (
            any(isinstance(t, list) for _n, t in tensors) and len(tensors) > 1):
        _refuse(operation, "takes its tensors in other places than its first arguments; a node passes them first")
    inputs = [_dims(t.shape) for t in node.input_tensors]
    return {"layer": PREFIX + function, "params": {}, "config": constants,
            "keras_shape": {"shape": shape, "trainable": 0, "non_trainable": 0, "inputs": inputs}}


def _typed(operation, spec, tensors, constants, index) -> dict:
    """The params of a native op: its constants, each validated by the spec's params."""
    params = {}
    if spec.operands:
        for name in spec.operands:
            if name in constants:
                constants = dict(constants)
                value = constants.pop(name)
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    _refuse(operation, f"has {name}={quote(repr(value), 60)}, but an operand that is not a tensor "
                                       "must be a number here")
                params[name] = value
    if spec.op == "split":
        if not isinstance(constants.get("indices_or_sections"), int):
            _refuse(operation, "splits at a list of indices; only a split into equal parts can be a node here "
                               "(keras.ops.split(x, 2, axis=-1))")
        constants = {**constants, "index": index or 0}
    for name, value in constants.items():
        param = spec.param_by_name.get(name)
        if param is None:
            _refuse(operation, f"has the argument {name}, which the op node {spec.name} does not model")
        if isinstance(value, list) and param.kind == "axes" and len(value) == 1:
            value = value[0]  # Keras stores axis=1 as [1]
        if param.is_default(value) and not param.always_written:
            continue
        try:
            params[name] = param.validate(value)
        except ParamError as exc:
            _refuse(operation, f"has {name}={quote(repr(value), 60)}, beyond what {spec.name} models ({exc})")
    return params


def used_parts(operation, model_outputs=()) -> list[int]:
    """The output indices of an operation that its consumers or the model's outputs read (a split's parts)."""
    used = set()
    tensors = [t for consumer in operation._outbound_nodes for t in consumer.input_tensors]
    for tensor in [*tensors, *model_outputs]:
        source, _node_index, tensor_index = tensor._keras_history
        if source is operation:
            used.add(tensor_index)
    return sorted(used) or [0]


def part_id(operation, index: int, parts: list[int]) -> str:
    """The node id of one used part of a split: the operation's name when one part is used."""
    return operation.name if len(parts) <= 1 else f"{operation.name}_part{index}"


def _dims(shape) -> list:
    return [None if d is None else int(d) for d in shape]


def check_generic_op(node_id: str, described: dict):
    """Refuse a generic op whose call, as the node spells it (tensors first, the rest by keyword), does not give
    Keras's shape: the node would export and rebuild something else."""
    from builder.keras.recompute import recompute

    stored = described["keras_shape"]
    again = recompute(node_id, described["layer"], described["config"], stored["inputs"])
    if again.get("shape") != stored["shape"]:
        what = again.get("error") or f"the shape {tuple(again['shape'])}"
        raise ImportRefused(f"{node_id}: keras.ops.{described['layer'][len(PREFIX):]} called as a node calls it "
                            f"(tensors first, the other arguments by keyword) gives {what}, not Keras's "
                            f"{tuple(stored['shape'])}; this operation cannot be a node")


def claim_op_id(node_id: str, seen: set):
    """Take an operation's name as a node id (added to `seen`), or refuse the model saying why it cannot be one."""
    problem = node_id_problem(node_id)
    if problem:
        raise ImportRefused(f"operation {quote(node_id)}: a project cannot hold this name as an id "
                            f"({problem.split(': ', 1)[-1]})")
    if node_id in seen:
        raise ImportRefused(f"{node_id}: two layers or operations have this name; names must be unique in a model")
    seen.add(node_id)
