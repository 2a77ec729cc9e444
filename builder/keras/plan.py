"""The walk shared by the Keras build and the code export: which layers, in what order, fed by what.

A plan exists only for a graph without errors; otherwise ModelError carries the same messages as inference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.catalog.specs import LayerSpec, spec_for
from builder.inference.engine import infer
from builder.model.block_checks import block_errors
from builder.model.document import GraphError, check_node_id
from builder.model.order import graph_of, model_inputs, model_outputs, topological_order, wires_into


class ModelError(ValueError):
    """The graph cannot become a Keras model; `errors` lists one message per problem."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("the graph has errors:\n" + "\n".join(f"  {e}" for e in self.errors))


@dataclass(frozen=True)
class Step:
    id: str
    spec: LayerSpec
    params: dict  # the params the node sets explicitly (stored form); Keras's defaults apply to the rest
    sources: tuple[str, ...]  # input nodes in port order
    config: dict = field(default_factory=dict)  # Keras arguments outside the typed params (builder/keras_config)

    @property
    def takes_list(self) -> bool:
        """Merge layers take their inputs as a list; a generic layer too when more than one arrives."""
        return self.spec.is_merge and not (self.spec.generic and len(self.sources) == 1)


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]  # topological, ties in document order
    inputs: tuple[str, ...]  # Input nodes in document order
    outputs: tuple[str, ...]  # nodes nothing reads from (Inputs excluded), in document order


def make_plan(source, results: dict | None = None) -> Plan:
    """The build plan, or ModelError. `results`: this graph's inference results when the caller has them
    already (the window's code preview), so they are not computed again."""
    graph = graph_of(source)
    if results is None:
        results = infer(graph)
    errors = [results[n].error for n in graph if results[n].error]
    errors += list(block_errors(graph).values())  # a block that is not one piece, uses that no longer match
    # The document refuses such ids, but a hand-built graph may hold them; Keras refuses '/', and the others
    # (line breaks, non-text) have no place in a layer name or an exported script.
    errors += [str(exc) for exc in map(_id_problem, graph) if exc]
    inputs, outputs = tuple(model_inputs(graph)), tuple(model_outputs(graph))
    if not errors and not inputs:
        errors.append("the graph has no Input node; add an Input and connect it to the first layer")
    if not errors and not outputs:
        errors.append("the graph has no layer after its Inputs; add a layer (e.g. Dense) and connect an Input to it")
    if errors:
        raise ModelError(errors)
    order, _stuck = topological_order(graph, set(graph))
    steps = []
    for node in order:
        steps.append(Step(node, spec_for(graph.nodes[node]["layer"]), dict(graph.nodes[node].get("params") or {}),
                          tuple(u for u, _p in wires_into(graph, node)), dict(graph.nodes[node].get("config") or {})))
    return Plan(tuple(steps), inputs, outputs)


def _id_problem(node) -> GraphError | None:
    try:
        check_node_id(node)
    except GraphError as exc:
        return exc
    return None
