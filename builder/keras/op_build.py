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
    """The KerasTensor an op node gives; `tensors`: node id -> KerasTensor of what was built so far."""
    call = op_call(step.spec, step.params, step.sources, step.config)
    function = getattr(keras.ops, call.function)
    args = [_argument(a, tensors) if isinstance(a, Tensor) or (isinstance(a, list) and a and isinstance(a[0], Tensor))
            else _keyword(a) for a in call.args]
    out = function(*args, **{k: _keyword(v) for k, v in call.kwargs.items()})
    return out if call.index is None else out[call.index]
