"""How an op node calls its keras.ops function: which arguments are tensors (by source node), which are numbers
or keywords. The Keras build (builder/keras/build.py) and the code export (builder/keras/code_export.py) both
spell the call from here, so the script and the built model cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from builder.catalog.layer_spec import LayerSpec
from builder.catalog.ops.names import LIST_OPS


class Tensor(NamedTuple):
    """A tensor argument: the output of the node `source`."""
    source: str


@dataclass(frozen=True)
class OpCall:
    function: str  # the keras.ops function
    args: tuple  # positional: Tensor, a list of Tensors, or a number
    kwargs: dict  # keyword arguments, as stored (lists are JSON's tuples)
    index: int | None = None  # split: which of the parts the node gives


def op_call(spec: LayerSpec, params: dict, sources, config: dict | None = None) -> OpCall:
    """The call of an op node with these params (explicitly set ones), wires (source ids in port order) and, for a
    generic op, config."""
    tensors = [Tensor(s) for s in sources]
    function = spec.op
    if spec.generic:
        args = (tensors,) if function in LIST_OPS else tuple(tensors)
        return OpCall(function, args, dict(config or {}))
    if spec.operands:  # a number set for an operand takes its place; wires fill the others, in order
        numbers = sum(params.get(n) is not None for n in spec.operands)
        if numbers + len(tensors) != len(spec.operands):  # the shape rule says so on the node
            raise ValueError(f"{spec.name} takes {len(spec.operands)} operands, but {len(tensors)} wires and "
                             f"{numbers} numbers give them")
        wires = iter(tensors)
        args = tuple(params[n] if params.get(n) is not None else next(wires) for n in spec.operands)
        return OpCall(function, args, {})
    written = {p.name: params.get(p.name, p.default) for p in spec.params
               if (p.name in params and not p.is_default(params[p.name])) or p.always_written}
    if function == "split":
        sections = params.get("indices_or_sections")
        axis = params.get("axis", spec.param("axis").default)
        return OpCall(function, (tensors[0], sections), {"axis": axis}, params.get("index", 0))
    if function in LIST_OPS:
        return OpCall(function, (tensors,), written)
    if function == "reshape":  # Keras's required argument, written as the reader expects: reshape(x, (-1, 256))
        return OpCall(function, (tensors[0], written.pop("newshape")), written)
    if function == "cast":
        return OpCall(function, (tensors[0], written.pop("dtype")), written)
    return OpCall(function, tuple(tensors), written)
