"""An op node in a Keras build: its keras.ops function called on the tensors of its sources, as the exported
script calls it (both spell the call from builder/catalog/ops/calls.py). keras is passed in by the caller."""

from __future__ import annotations

from builder.catalog.ops.calls import Tensor, op_call


def _argument(value, tensors):
    if isinstance(value, Tensor):
        return tensors[value.source]
    if isinstance(value, list):
        return [_argument(v, tensors) for v in value]
    return value


def _keyword(value):
    """JSON lists as Keras takes sizes and axes: tuples."""
    return tuple(_keyword(v) for v in value) if isinstance(value, list) else value


def build_op(keras, step, tensors: dict):
    """The KerasTensor an op node gives; `tensors`: node id -> KerasTensor of what was built so far. Its
    operation is named after the node, as a layer is (see name_operation)."""
    call = op_call(step.spec, step.params, step.sources, step.config)
    function = getattr(keras.ops, call.function)
    args = [_argument(a, tensors) if isinstance(a, Tensor) or (isinstance(a, list) and a and isinstance(a[0], Tensor))
            else _keyword(a) for a in call.args]
    out = function(*args, **{k: _keyword(v) for k, v in call.kwargs.items()})
    out = out if call.index is None else out[call.index]
    name_operation(keras, out, step.id)
    return out


def name_operation(keras, tensor, node_id: str) -> None:
    """Give the operation that made `tensor` the node's id for a name. Keras names an operation by itself, after
    its class and a counter kept across the process ("reshape", "reshape_1", ...), so a layer node with such an
    id (a Reshape named reshape_1 beside an ops.reshape node) could meet an operation of the same name, and
    Keras refuses a model with a name twice; whether it did depended on what the process had built before.
    Node ids are unique, so named after them, operations never meet a layer's name, and a saved model imports
    back with the same ids. A tensor that comes from a layer (an op that passed its input through unchanged)
    is left alone: that name is the layer's."""
    history = getattr(tensor, "_keras_history", None)
    operation = getattr(history, "operation", None)
    if operation is not None and not isinstance(operation, keras.layers.Layer):
        operation.name = node_id
