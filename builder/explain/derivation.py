"""One node's derivations: a line per output dimension and lines for its parameter count.

The node's shape and weight rules run again on traced numbers (terms.py): params and arriving sizes become
Term leaves that know where they came from, and the rule's arithmetic builds the formula as it computes the
value. The values are asserted equal to the inference result, so an explanation never disagrees with the
number it explains (tests/builder/test_explain.py checks it over every catalog layer and generated graphs).
"""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.ops import op_spec
from builder.catalog.rules import Arriving
from builder.catalog.rules.merging import with_paddings
from builder.catalog.rules.terms import Term, number, tracing_on
from builder.catalog.specs import CATALOG
from builder.inference.engine import NodeResult, infer
from builder.model.order import graph_of, wires_into

# Why a layer without weights has none, by catalog family (the words only: every number comes from the rules).
_NO_WEIGHTS = {
    "Merging": "only joins tensors",
    "Reshaping": "only moves, pads or crops values",
    "Pooling": "only takes the maximum or mean of windows",
    "Regularization": "only drops or perturbs values while training",
    "Activation": "only applies a function to each value",
    "Preprocessing": "only transforms the values it is given",
    "Core": "only passes values on",
}


INTERNAL = "internal error: the derivation does not match the inferred numbers; please report it with the file"


class Explanation(NamedTuple):
    node: str
    layer: str | None
    shape: tuple[str, ...]  # one line per output dimension, batch axis first; empty without a shape
    params: tuple[str, ...]  # the parameter count, then its trainable and non-trainable parts when both exist
    error: str | None = None  # the node's error, when it has no shape to explain

    def as_dict(self) -> dict:
        return {"shape": list(self.shape), "params": list(self.params)}


def explain_node(source, node: str, results: dict[str, NodeResult] | None = None) -> Explanation:
    """The derivations of one node (results: the graph's inference results, computed when not given)."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    result = results[node]
    if result.shape is None:
        why = result.error or (f"waits on {result.blocked_by}" if result.blocked_by else "no shape")
        return Explanation(node, result.layer, (), (), why)
    spec = CATALOG.get(result.layer) or op_spec(result.layer)  # a layer, or an op node ("ops.add")
    if spec is None or spec.generic:  # an imported layer outside the catalog: Keras computed it
        return Explanation(node, result.layer, tuple(_stored_line(d, i) for i, d in enumerate(result.shape)),
                           (f"{number(result.params)}: counted by Keras when the model was imported",))
    try:
        shape, trainable, frozen = _traced(graph, node, spec, results)
    except Exception as exc:  # noqa: BLE001 -- a rule that cannot run traced is a bug of ours, not the person's
        return Explanation(node, result.layer, (), (), f"{node}: {INTERNAL} ({type(exc).__name__}: {exc})")
    if tuple(shape) != result.shape or (trainable, frozen) != (result.trainable, result.non_trainable):
        # Cannot happen while the rules are pure functions of their params and inputs; said, never hidden.
        return Explanation(node, result.layer, (), (), f"{node}: {INTERNAL} (traced {shape}, {trainable}, "
                                                       f"{frozen}; inferred {result.shape})")
    lines = tuple(_dim_line(d, i, node) for i, d in enumerate(shape))
    return Explanation(node, result.layer, lines, _params_lines(spec, trainable, frozen))


def explain_graph(source, results: dict[str, NodeResult] | None = None) -> dict[str, Explanation]:
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    return {node: explain_node(graph, node, results) for node in graph}


def _traced(graph, node, spec, results):
    raw = graph.nodes[node].get("params") or {}
    with tracing_on():
        params = {name: _leaf_params(value, name) for name, value in spec.resolve(raw).items()}
        arriving = [Arriving(source, _leaf_shape(results[source].shape, source)) for source, _port in
                    wires_into(graph, node)]
        if spec.is_merge:
            arriving = with_paddings(graph, arriving)
        if spec.is_input:
            shape = (None, *params["shape"])
        else:
            shape = tuple(spec.shape_rule(params, arriving))
        trainable, frozen = spec.weight_rule(params, arriving, shape)
    return shape, trainable, frozen


def _leaf_params(value, name):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Term(value, label=None, source=name)
    if isinstance(value, list | tuple):
        return type(value)(_leaf_params(v, name) for v in value)
    return value


def _leaf_shape(shape, source):
    return tuple(None if d is None else Term(d, source=(source, axis)) for axis, d in enumerate(shape))


def _dim_line(value, axis: int, node: str) -> str:
    if value is None:
        return ("None: the batch size, open until the model runs" if axis == 0
                else "None: unknown here, a size left open upstream (an Input's null size)")
    if isinstance(value, Term):
        if not value.is_leaf:
            return value.formula()
        if isinstance(value.source, tuple):
            source, at = value.source
            return f"{number(value)}: axis {at} of {source}'s output, unchanged"
        if isinstance(value.source, str):
            return f"{number(value)}: the {value.source} parameter of {node}"
        if value.label:
            return value.formula()
    return f"{number(value)}: set by the layer whatever its input"


def _stored_line(value, axis: int) -> str:
    if value is None:
        return _dim_line(None, axis, "")
    return f"{number(value)}: computed by Keras for this imported layer"


def _params_lines(spec, trainable, frozen) -> tuple[str, ...]:
    total = int(trainable) + int(frozen)
    if total == 0:
        why = _NO_WEIGHTS.get(spec.category, "only computes from its inputs")
        return (f"0: {spec.name} {why}; it has no weights",)
    if not frozen:
        return (_count_line(trainable, spec),)
    if not trainable:
        return (_count_line(frozen, spec) + "; none of them trained",)
    return (f"{number(total)} = {number(trainable)} trainable + {number(frozen)} non-trainable",
            _count_line(trainable, spec) + "; trainable",
            _count_line(frozen, spec) + "; not trainable")


def _count_line(value, spec) -> str:
    if isinstance(value, Term) and not value.is_leaf:
        return value.formula()
    if isinstance(value, Term) and value.source is not None:
        return f"{number(value)}: the {value.source if isinstance(value.source, str) else 'input size'}"
    return f"{number(value)}: {spec.name}'s fixed weights"

