"""Adding a layer where a person points at the graph, as one undo step that also makes room (builder/layout/
make_room.py) so the new node overlaps nothing:

    node, command = add_on_wire(doc, "BatchNormalization", (x, y), ("conv", "pool", 0))   # between two nodes
    node, command = add_after(doc, "conv", "Dropout", (x, y))    # fed by conv; what conv fed now reads from it
    node, command = merge_after(doc, ["a", "b", "c"], "Concatenate", (x, y))   # one merge fed by all of them
    node, command = duplicate_keeping_inputs(doc, ["conv_3x3"], (x, y))          # a copy wired from conv's inputs

Each is built and tried on a copy of the document first, so a refused edit raises GraphError (or
UnknownLayerError) before anything changes. No Qt here.
"""

from __future__ import annotations

import copy

from builder.catalog.specs import spec_for
from builder.editing.clipboard import Paste, copy_text
from builder.editing.commands import AddNode, Command, Connect, Disconnect, Macro, Move
from builder.editing.compound import InsertOnWire
from builder.inference.engine import infer
from builder.layout.make_room import make_room
from builder.model.document import GraphDocument


def trial_copy(doc: GraphDocument) -> GraphDocument:
    """A copy to try an edit on. networkx's copy shares the graph's attributes, where the positions live: a
    move tried on a shallow copy would move the real nodes."""
    graph = doc.graph.copy()
    graph.graph = copy.deepcopy(doc.graph.graph)
    return GraphDocument(graph)


def _is_merge(doc: GraphDocument, node: str) -> bool:
    return spec_for(doc.layer(node)).is_merge


def _with_room(doc: GraphDocument, text: str, make_steps, node_of, sizes) -> tuple[str, Macro]:
    """Try the steps on a copy, work out the moves that make room for the new node there, and return the one
    command that does both. `make_steps()` builds fresh steps (commands keep state once done)."""
    trial = trial_copy(doc)
    steps = make_steps()
    Macro(text, steps).do(trial)  # raises the document's refusal; `doc` is untouched
    node = node_of(steps)
    moves = make_room(trial.graph, trial.positions, node, sizes)
    final = make_steps()
    if moves:
        final.append(Move(moves, text="Make room"))
    return node, Macro(text, final)


def add_on_wire(doc: GraphDocument, layer: str, position, wire, sizes: dict | None = None) -> tuple[str, Macro]:
    """A new `layer` node at `position`, inserted on `wire` (source, target, port)."""
    spec = spec_for(layer)
    node = doc.new_id(spec.id_prefix)
    source, target, _port = wire
    return _with_room(doc, f"Insert {layer} {node} between {source} and {target}",
                      lambda: [AddNode(node, layer, spec.start_params(), position), InsertOnWire(node, wire)],
                      lambda _steps: node, sizes)


def add_after(doc: GraphDocument, source: str, layer: str, position, sizes: dict | None = None) -> tuple[str, Macro]:
    """A new `layer` node fed by `source`; every node `source` fed reads from the new node instead, on the same
    port (merge layers keep their input order)."""
    spec = spec_for(layer)
    node = doc.new_id(spec.id_prefix)
    outputs = sorted(doc.outputs_of(source), key=lambda wire: (wire[0], wire[1]))

    def steps():
        # Highest port first per target when unwiring, lowest first when wiring again: merge layers close and
        # reopen their gaps so every input ends where it was.
        unwire = [Disconnect(source, t, p) for t, p in sorted(outputs, key=lambda w: (w[0], -w[1]))]
        rewire = [Connect(node, t, p, insert=_is_merge(doc, t)) for t, p in outputs]
        return [AddNode(node, layer, spec.start_params(), position), Connect(source, node), *unwire, *rewire]

    return _with_room(doc, f"Add {layer} {node} after {source}", steps, lambda _steps: node, sizes)


def merge_after(doc: GraphDocument, sources, layer: str, position, sizes: dict | None = None) -> tuple[str, Macro]:
    """A new merge `layer` node fed by every node of `sources`, in their order (its ports 0..n-1)."""
    spec = spec_for(layer)
    if not spec.is_merge:
        raise ValueError(f"{layer} is not a merge layer")
    node = doc.new_id(spec.id_prefix)
    sources = list(dict.fromkeys(sources))
    return _with_room(doc, f"Merge {len(sources)} nodes into {layer} {node}",
                      lambda: [AddNode(node, layer, spec.start_params(), position),
                               *(Connect(s, node) for s in sources)],
                      lambda _steps: node, sizes)


class DuplicateKeepingInputs(Command):
    """Paste a copy of `nodes` at `at`, then wire each copy from the same outside nodes as its original (on the
    same port; a merge layer gets them after its copied inputs). One undo step; `added` lists the new ids."""

    def __init__(self, doc: GraphDocument, nodes, at, positions: dict | None = None):
        self.nodes = [n for n in doc.node_ids() if n in set(nodes)]
        self.paste = Paste(copy_text(doc, self.nodes, positions), at)
        self.outside = {n: [(s, p) for s, p in doc.inputs_of(n) if s not in set(self.nodes)] for n in self.nodes}
        self.connects: list[Connect] = []
        self.added: list[str] = []
        self.text = (f"Duplicate {self.nodes[0]} keeping inputs" if len(self.nodes) == 1
                     else f"Duplicate {len(self.nodes)} nodes keeping inputs")

    def do(self, doc):
        self.paste.do(doc)
        self.connects = []
        try:
            for node in self.nodes:
                copy = self.paste.renamed[node]
                merge = _is_merge(doc, copy)
                for source, port in sorted(self.outside[node], key=lambda wire: wire[1]):
                    connect = Connect(source, copy, None if merge else port)
                    connect.do(doc)
                    self.connects.append(connect)
        except Exception:
            self.undo(doc)
            raise
        self.added = list(self.paste.added)

    def undo(self, doc):
        for connect in reversed(self.connects):
            connect.undo(doc)
        self.connects = []
        self.paste.undo(doc)


def insertion_problem_after(doc: GraphDocument, command: Command, node: str, wire) -> str | None:
    """Why doing `command` (an add_on_wire edit) would give the new node or the wire's target an error it did not
    have; None when the shapes allow it. Tried on a copy: the document is never touched."""
    trial = trial_copy(doc)
    command.do(trial)
    before, after = infer(doc.graph), infer(trial.graph)
    for checked in (node, wire[1]):
        error = after[checked].error
        if error and (checked not in before or error != before[checked].error):
            return f"cannot insert {node} between {wire[0]} and {wire[1]}: {error}"
    return None
