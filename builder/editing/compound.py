"""Compound edits of a node editor, each one undo step: delete a node keeping the wire through it, insert a
node on a wire, add a node wired to a dropped wire. Plus the checks the canvas runs before offering them
(which layers accept a tensor, whether an insertion keeps the shapes valid), so a refused edit changes
nothing. No Qt here.
"""

from __future__ import annotations

from builder.catalog.params import ParamError
from builder.catalog.rules import Arriving, ShapeError
from builder.catalog.specs import SPECS, UnknownLayerError, is_merge_layer, spec_for
from builder.editing.commands import AddNode, Command, Connect, Delete, Disconnect, Macro
from builder.inference.engine import infer
from builder.model.document import GraphDocument, GraphError


class DeleteKeepingWires(Command):
    """Delete nodes; where a deleted node had exactly one input, what it fed is wired to that input instead
    (through chains of deleted single-input nodes too), on the same ports."""

    def __init__(self, nodes):
        self.nodes = list(dict.fromkeys(nodes))
        self.steps: Macro | None = None
        self.text = (f"Delete {self.nodes[0]} keeping wires" if len(self.nodes) == 1
                     else f"Delete {len(self.nodes)} nodes keeping wires")

    def _plan(self, doc) -> Macro:
        gone = set(self.nodes)
        for node in self.nodes:
            doc.layer(node)  # refuse unknown nodes before anything changes

        def upstream(node):  # the surviving node whose tensor reached `node` through single-input nodes
            seen = set()
            while node in gone and node not in seen:
                seen.add(node)
                inputs = doc.inputs_of(node)
                if len(inputs) != 1:
                    return None
                node = inputs[0][0]
            return None if node in gone else node

        bridges = []
        for node in self.nodes:
            source = upstream(node)
            if source is None:
                continue
            for target, port in doc.outputs_of(node):
                if target not in gone:
                    bridges.append((source, target, port))
        # Ascending ports per target: a merge layer closed its gaps on delete; re-inserting each wire at its
        # old port, lowest first, puts every input back where it was.
        bridges.sort(key=lambda w: (w[1], w[2]))
        connects = [Connect(s, t, p, insert=is_merge_layer(doc.layer(t))) for s, t, p in bridges]
        return Macro(self.text, [Delete(self.nodes), *connects])

    def do(self, doc):
        self.steps = self._plan(doc)
        self.steps.do(doc)

    def undo(self, doc):
        self.steps.undo(doc)


def can_keep_wires(doc: GraphDocument, node: str) -> bool:
    return node in doc and len(doc.inputs_of(node)) == 1


class InsertOnWire(Command):
    """Put an unwired node between the two ends of a wire: source -> node -> target, target's port kept."""

    def __init__(self, node: str, wire: tuple[str, str, int]):
        self.node, self.wire = node, tuple(wire)
        source, target, _port = self.wire
        self.text = f"Insert {node} between {source} and {target}"
        self.steps: Macro | None = None

    def do(self, doc):
        source, target, port = self.wire
        if doc.inputs_of(self.node) or doc.outputs_of(self.node):
            raise GraphError(f"cannot insert {self.node} on a wire: it is already wired; "
                             "only a node without wires can be dropped on one")
        self.steps = Macro(self.text, [Disconnect(source, target, port), Connect(source, self.node),
                                       Connect(self.node, target, port, insert=is_merge_layer(doc.layer(target)))])
        self.steps.do(doc)

    def undo(self, doc):
        self.steps.undo(doc)


def insertion_problem(doc: GraphDocument, node: str, wire, results: dict | None = None) -> str | None:
    """Why inserting `node` on `wire` would be refused or give the node or the wire's target an error it did
    not have; None when it is fine. Runs the edit on a copy: the document is never touched. `results`: the
    document's inference results when the caller has them (the window does), so only the trial is inferred."""
    trial = GraphDocument(doc.graph.copy())
    try:
        InsertOnWire(node, wire).do(trial)
    except GraphError as exc:
        return str(exc)
    before = results if results is not None else infer(doc.graph)
    after = infer(trial.graph)
    for checked in (node, wire[1]):
        error = after[checked].error
        if error and error != before[checked].error:
            return f"cannot insert {node} between {wire[0]} and {wire[1]}: {error}"
    return None


def add_and_connect(doc: GraphDocument, layer: str, position, source: str | None = None,
                    target: tuple[str, int] | None = None) -> tuple[str, Macro]:
    """A new `layer` node at position wired from `source` (a wire dragged from an output) or into target's
    port (a wire dragged back from an input), as one step. Returns (new id, command)."""
    spec = spec_for(layer)
    node = doc.new_id(spec.id_prefix)
    steps = [AddNode(node, layer, spec.start_params(), position)]
    if source is not None:
        steps.append(Connect(source, node))
    if target is not None:
        steps.append(Connect(node, target[0], target[1]))
    return node, Macro(f"Add {layer} {node} and connect", steps)


def layers_accepting(shape) -> list[str]:
    """The layers a wire carrying `shape` could feed with their starting params: single-input layers whose
    shape rule accepts it, and merge layers (their other inputs come later). Every layer if shape is None."""
    names = []
    for spec in SPECS:
        if spec.is_input:
            continue
        if spec.is_merge or shape is None:
            names.append(spec.name)
            continue
        if spec.inputs != 1:
            continue
        try:
            spec.shape_rule(spec.resolve(spec.start_params()), [Arriving("wire", tuple(shape))])
        except (ShapeError, ParamError, UnknownLayerError, ValueError, TypeError):
            continue
        names.append(spec.name)
    return names
