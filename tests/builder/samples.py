"""Small documents shared by the builder tests, and helpers to compare documents exactly."""

from __future__ import annotations

from builder.files import project
from builder.model.document import GraphDocument


def snapshot(doc) -> str:
    """The saved text of a document: equal snapshots mean equal nodes, order, params, wires and positions."""
    return project.dumps(doc.graph if isinstance(doc, GraphDocument) else doc)


def do_undo_redo(doc, command) -> str:
    """Push `command` on a fresh History, check that it changed the document, that undo restores the exact
    saved text and that redo gives the edited one again; returns that edited text."""
    from builder.editing.commands import History

    history = History(doc)
    before = snapshot(doc)
    history.push(command)
    after = snapshot(doc)
    assert after != before
    history.undo()
    assert snapshot(doc) == before
    history.redo()
    assert snapshot(doc) == after
    return after


class Recorder:
    """Collects a document's change events."""

    def __init__(self, doc: GraphDocument):
        self.changes = []
        doc.subscribe(self.changes.append)

    @property
    def kinds(self) -> list[str]:
        return [c.kind for c in self.changes]

    def clear(self):
        self.changes.clear()


def cnn_branches() -> GraphDocument:
    """The seed's CNN: one image, 3x3 and 5x5 branches, merged, flattened and classified."""
    doc = GraphDocument()
    doc.add_node("image", "Input", {"shape": [28, 28, 1]}, position=(0, 0))
    doc.add_node("conv_3x3", "Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
                 position=(220, -80))
    doc.add_node("conv_5x5", "Conv2D", {"filters": 4, "kernel_size": [5, 5], "padding": "same"},
                 position=(220, 80))
    doc.add_node("merged", "Concatenate", {"axis": -1}, position=(440, 0))
    doc.add_node("flat", "Flatten", {}, position=(660, 0))
    doc.add_node("classes", "Dense", {"units": 10, "activation": "softmax"}, position=(880, 0.5))
    doc.connect("image", "conv_3x3")
    doc.connect("image", "conv_5x5")
    doc.connect("conv_3x3", "merged")
    doc.connect("conv_5x5", "merged")
    doc.connect("merged", "flat")
    doc.connect("flat", "classes")
    return doc


def dense_merges() -> GraphDocument:
    """Two inputs, Dense branches, a Concatenate fed by `a` twice (ports 0 and 2), and an Add."""
    doc = GraphDocument()
    doc.add_node("left", "Input", {"shape": [16]})
    doc.add_node("right", "Input", {"shape": [8]}, position=(0, 150))
    doc.add_node("a", "Dense", {"units": 8, "activation": "relu"}, position=(200, 0))
    doc.add_node("b", "Dense", {"units": 8, "activation": "tanh", "use_bias": False})
    doc.add_node("cat", "Concatenate", {"axis": -1})
    doc.add_node("sum", "Add", {})
    doc.add_node("head", "Dense", {"units": 3})
    doc.add_node("aux", "Dense", {"units": 2})
    doc.connect("left", "a")
    doc.connect("right", "b")
    doc.connect("a", "cat")
    doc.connect("b", "cat")
    doc.connect("a", "cat")
    doc.connect("a", "sum")
    doc.connect("b", "sum")
    doc.connect("cat", "head")
    doc.connect("sum", "aux")
    return doc


class Mirror:
    """A listener that, like the canvas, keeps one item per node from the events alone, and checks at every
    event that the document holds exactly the nodes it has been told about."""

    def __init__(self, doc: GraphDocument):
        self.doc = doc
        self.nodes = set(doc.node_ids())
        doc.subscribe(self.on_change)

    def on_change(self, change):
        if change.kind == "node_added":
            assert change.node not in self.nodes
            self.nodes.add(change.node)
        elif change.kind == "node_removed":
            self.nodes.remove(change.node)
        elif change.kind == "node_renamed":
            self.nodes.remove(change.old_id)
            self.nodes.add(change.node)
        elif change.kind == "reset":
            self.nodes = set(self.doc.node_ids())
        elif change.kind in ("edge_added", "edge_removed"):
            assert change.node in self.nodes and change.source in self.nodes
        else:
            assert change.node in self.nodes
        assert self.nodes == set(self.doc.node_ids()), change
