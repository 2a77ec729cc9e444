"""The lines of an exported script for op nodes (`x = keras.ops.concatenate([a, b], axis=-1)`), and the third
export style for merge layers: `keras.ops.concatenate([a, b], axis=-1)` instead of `layers.Concatenate(axis=-1)
([a, b])` (style "layer") or `layers.concatenate([a, b], axis=-1)` (style "function").

What differs: the layer and the function both create a named layer that shows in `model.summary()` and can be
reused; the op creates no layer and no name, only an operation in `model.operations`. Parameter counts and
shapes are the same (merges have no weights). Where keras.ops has no such op (Average: `keras.ops.average` is a
weighted mean along one axis, not of a list; Dot), where the merge carries Keras arguments an op does not take
(a dtype policy), where it has a single input, or where its inputs differ in rank (the Add layer inserts the
missing axes after the batch axis, keras.ops.add aligns them from the right), the layer is written instead, with
a comment that says why.
"""

from __future__ import annotations

from builder.catalog.ops.calls import OpCall, Tensor, op_call
from builder.catalog.ops.forms import MERGE_OPS


def _value(value, names, literal) -> str:
    if isinstance(value, Tensor):
        return names[value.source]
    if isinstance(value, list) and value and all(isinstance(v, Tensor) for v in value):
        return f"[{', '.join(names[v.source] for v in value)}]"
    return literal(value)


def call_text(call: OpCall, names, literal) -> str:
    """`keras.ops.concatenate([a, b], axis=-1)` for a call; `literal` writes numbers and strings safely."""
    parts = [_value(a, names, literal) for a in call.args]
    parts += [f"{key}={literal(value)}" for key, value in call.kwargs.items() if key.isidentifier()]
    text = f"keras.ops.{call.function}({', '.join(parts)})"
    return text if call.index is None else f"{text}[{call.index}]"


def op_line(step, names, literal) -> str:
    """The line of an op node."""
    call = op_call(step.spec, step.params, step.sources, step.config)
    return f"{names[step.id]} = {call_text(call, names, literal)}"


def merge_as_op(step, names, literal, ranks_differ: bool) -> tuple[str | None, str | None]:
    """(the line writing a merge layer as a keras.ops call, None) or (None, why the layer is written instead)."""
    function = MERGE_OPS.get(step.spec.name)
    if function is None:
        return None, f"keras.ops has no {step.spec.name.lower()} of a list of tensors: written as the layer"
    if step.config:
        return None, "it carries Keras arguments that an op does not take: written as the layer"
    if len(step.sources) < 2:
        return None, "a single input: written as the layer, which passes it through"
    if ranks_differ:
        return None, "its inputs differ in rank, which the layer and the op align differently: written as the layer"
    tensors = [names[s] for s in step.sources]
    if function == "concatenate":
        axis = step.params.get("axis", step.spec.param("axis").default)
        return f"{names[step.id]} = keras.ops.concatenate([{', '.join(tensors)}], axis={literal(axis)})", None
    text = tensors[0]
    for other in tensors[1:]:
        text = f"keras.ops.{function}({text}, {other})"
    return f"{names[step.id]} = {text}", None
