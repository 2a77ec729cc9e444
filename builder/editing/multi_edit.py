"""Editing several nodes at once: the params a selection shares, each one's value across it (or MIXED), and one
undoable edit that sets (or resets) a param on every node, refused as a whole if any node refuses the value.

    params = shared_params(doc, ["conv_3x3", "conv_5x5", "conv_7x7"])   # same layer: all of its params
    shared_value(doc, nodes, "padding")                                 # 'valid', or MIXED
    history.push(SetParamOnMany(nodes, "padding", "same"))              # one step; undo restores each value

Nodes of different layers share the params with the same name and kind (activation, padding, use_bias...); a
choice offers only the values every one of them accepts. No Qt here.
"""

from __future__ import annotations

from dataclasses import replace

from builder.catalog.params import Param
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.editing.commands import Command, SetParam
from builder.model.document import UNSET, GraphDocument, GraphError


class _Mixed:
    """The value of a param that differs between the selected nodes."""

    def __repr__(self):
        return "MIXED"


MIXED = _Mixed()


def shared_params(doc: GraphDocument, nodes) -> list[Param]:
    """The params every node in `nodes` has, in the first node's order, as one Param each: of the first node's
    layer when all share it; otherwise with the choices (and None) that every one of them accepts."""
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return []
    try:
        specs = [spec_for(doc.layer(node)) for node in nodes]
    except (UnknownLayerError, GraphError):
        return []
    first = specs[0]
    if all(spec is first for spec in specs):
        return list(first.params)
    shared = []
    for param in first.params:
        others = [spec.param_by_name.get(param.name) for spec in specs[1:]]
        if any(other is None or other.kind != param.kind or other.length != param.length for other in others):
            continue
        if param.kind == "choice":
            choices = tuple(c for c in param.choices if all(c in other.choices for other in others))
            if not choices:
                continue
            param = replace(param, choices=choices, nullable=all([param.nullable, *(o.nullable for o in others)]))
        shared.append(param)
    return shared


def value_of(doc: GraphDocument, node: str, name: str):
    """What the node uses: its own value, or Keras's default (a required param's starting value)."""
    param = spec_for(doc.layer(node)).param(name)
    stored = doc.params(node).get(name, UNSET)
    return param.start_value() if stored is UNSET else stored


def shared_value(doc: GraphDocument, nodes, name: str):
    """The value all `nodes` use for `name`, or MIXED. Values of different types differ (1 is not 1.0 or True)."""
    values = [value_of(doc, node, name) for node in dict.fromkeys(nodes)]
    first = values[0]
    same = all(_same(first, value) for value in values[1:])
    return first if same else MIXED


def is_set_anywhere(doc: GraphDocument, nodes, name: str) -> bool:
    """Whether any of the nodes sets `name` itself (so resetting all of them changes something)."""
    return any(name in doc.params(node) for node in nodes)


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


class SetParamOnMany(Command):
    """Set one param (or reset it with value=UNSET) on several nodes, as one undo step. Every node is checked
    first; if any refuses, the whole edit is refused with its message and nothing changes. Nodes that already
    hold the value are left alone, so undo touches only what changed."""

    def __init__(self, nodes, name: str, value=UNSET):
        self.nodes, self.name, self.value = list(dict.fromkeys(nodes)), name, value
        self.steps: list[SetParam] = []
        shown = "default" if value is UNSET else repr(value)
        self.text = (f"Set {self.nodes[0]}.{name} = {shown}" if len(self.nodes) == 1
                     else f"Set {name} = {shown} on {len(self.nodes)} nodes")

    def plan(self, doc: GraphDocument) -> list[SetParam]:
        """The SetParam steps this edit makes; raises the first node's refusal (a GraphError)."""
        steps = []
        for node in self.nodes:
            current = doc.params(node).get(self.name, UNSET)
            if self.value is UNSET:
                spec_param = spec_for(doc.layer(node)).param_by_name.get(self.name)
                if spec_param is not None and spec_param.required:
                    raise GraphError(f"{node}: {self.name} is required by {doc.layer(node)} and has no default; "
                                     "give it a value")
                if current is not UNSET:
                    steps.append(SetParam(node, self.name, UNSET))
                continue
            stored = doc.check_param(node, self.name, self.value)  # raises InvalidParam naming the node
            if current is UNSET:
                # As the one-node inspector does: Keras's default stays unwritten rather than set explicitly.
                if not spec_for(doc.layer(node)).param(self.name).is_default(stored):
                    steps.append(SetParam(node, self.name, stored))
            elif not _same(current, stored):
                steps.append(SetParam(node, self.name, stored))
        return steps

    def do(self, doc):
        self.steps = self.plan(doc)
        done = []
        try:
            for step in self.steps:
                step.do(doc)
                done.append(step)
        except GraphError:  # checked above, so only a document that changed under us gets here
            for step in reversed(done):
                step.undo(doc)
            raise

    def undo(self, doc):
        for step in reversed(self.steps):
            step.undo(doc)
