"""Undoable edits as plain objects: `do(doc)` applies, `undo(doc)` restores exactly. No Qt here; the GUI
wraps each in a QUndoCommand. A command remembers what it needs at `do` time (removed wires, old values,
indexes), so undo restores node order, ports and params exactly, and redo is `do` again.

If `do` is refused (a GraphError), the document is unchanged and the command must not be pushed.
"""

from __future__ import annotations

from builder.model.document import UNSET, GraphDocument, NoSuchEdge, check_position


class Command:
    text = "Edit"

    def do(self, doc: GraphDocument):
        raise NotImplementedError

    def undo(self, doc: GraphDocument):
        raise NotImplementedError


class AddNode(Command):
    def __init__(self, node_id: str, layer: str, params: dict | None = None, position=None):
        self.node_id, self.layer, self.params, self.position = node_id, layer, params, position
        self.text = f"Add {layer} {node_id}"

    def do(self, doc):
        doc.add_node(self.node_id, self.layer, self.params, self.position)

    def undo(self, doc):
        doc.remove_node(self.node_id)


class Connect(Command):
    """Wire source into target's port (the next free one if None); insert=True on a merge layer puts the wire
    at port and moves the inputs from there up by one (a wire dropped between two inputs)."""

    def __init__(self, source: str, target: str, port: int | None = None, insert: bool = False):
        self.source, self.target, self.port, self.insert = source, target, port, insert
        self.used_port = None
        self.text = f"Connect {source} → {target}"

    def do(self, doc):
        self.used_port = doc.connect(self.source, self.target, self.port, self.insert)

    def undo(self, doc):
        doc.disconnect(self.source, self.target, self.used_port)


class Disconnect(Command):
    def __init__(self, source: str, target: str, port: int):
        self.source, self.target, self.port = source, target, port
        self.text = f"Disconnect {source} → {target}"

    def do(self, doc):
        doc.disconnect(self.source, self.target, self.port)

    def undo(self, doc):
        doc.restore_wire(self.source, self.target, self.port)


class Delete(Command):
    """Delete nodes (with their wires) and wires, as one step."""

    def __init__(self, nodes=(), wires=()):
        self.nodes = list(dict.fromkeys(nodes))
        self.wires = [w for w in dict.fromkeys(tuple(w) for w in wires)
                      if w[0] not in self.nodes and w[1] not in self.nodes]
        self.removed_nodes = []
        self.removed_wires = []
        self.text = _delete_text(self.nodes, self.wires)

    def do(self, doc):
        # Refuse unknown nodes and wires before changing anything.
        for node in self.nodes:
            doc.layer(node)
        existing = set(doc.edges()) if self.wires else set()  # every wire of the graph: only when wires are named
        for source, target, port in self.wires:
            if (source, target, port) not in existing:
                raise NoSuchEdge(f"there is no wire {source} -> {target} on port {port}")
        # Highest port first per target, so each recorded port is still valid when undone in reverse.
        self.removed_wires = []
        for source, target, port in sorted(self.wires, key=lambda w: (w[1], -w[2])):
            doc.disconnect(source, target, port)
            self.removed_wires.append((source, target, port))
        self.removed_nodes = [doc.remove_node(node) for node in self.nodes]

    def undo(self, doc):
        doc.restore_nodes(self.removed_nodes)
        for source, target, port in reversed(self.removed_wires):
            doc.restore_wire(source, target, port)


def _delete_text(nodes, wires) -> str:
    if len(nodes) == 1 and not wires:
        return f"Delete {nodes[0]}"
    parts = [f"{len(nodes)} nodes"] if nodes else []
    parts += [f"{len(wires)} wire" + ("s" if len(wires) > 1 else "")] if wires else []
    return "Delete " + " and ".join(parts)


class SetParam(Command):
    """Set a param, or reset it to Keras's default with value=UNSET."""

    def __init__(self, node_id: str, name: str, value=UNSET):
        self.node_id, self.name, self.value = node_id, name, value
        self.old = UNSET
        shown = "default" if value is UNSET else repr(value)
        self.text = f"Set {node_id}.{name} = {shown}"

    def do(self, doc):
        self.old = doc.set_param(self.node_id, self.name, self.value)

    def undo(self, doc):
        doc.restore_param(self.node_id, self.name, self.old)


class Rename(Command):
    def __init__(self, old_id: str, new_id: str):
        self.old_id, self.new_id = old_id, new_id
        self.text = f"Rename {old_id} to {new_id}"

    def do(self, doc):
        doc.rename(self.old_id, self.new_id)

    def undo(self, doc):
        doc.rename(self.new_id, self.old_id)


class Move(Command):
    """Place nodes at new positions (one drag, or an auto-layout), as one step."""

    def __init__(self, positions: dict, text: str | None = None):
        self.new = dict(positions)
        self.old = {}
        count = len(self.new)
        self.text = text or (f"Move {next(iter(self.new))}" if count == 1 else f"Move {count} nodes")

    def do(self, doc):
        # Refuse unknown nodes and bad positions before moving any node.
        for node, xy in self.new.items():
            doc.layer(node)
            check_position(xy)
        self.old = {n: doc.positions.get(n) for n in self.new}
        for node, xy in self.new.items():
            doc.move(node, xy)

    def undo(self, doc):
        for node, xy in self.old.items():
            doc.move(node, xy)


class Macro(Command):
    """Several commands as one undo step (e.g. add a node and wire it). If one is refused, the ones already
    done are undone, so the document is unchanged."""

    def __init__(self, text: str, commands):
        self.text, self.commands = text, list(commands)

    def do(self, doc):
        done = []
        try:
            for command in self.commands:
                command.do(doc)
                done.append(command)
        except Exception:  # a refused step (GraphError) or a bad argument: either way, change nothing
            for command in reversed(done):
                command.undo(doc)
            raise

    def undo(self, doc):
        for command in reversed(self.commands):
            command.undo(doc)


class History:
    """A plain undo stack, for scripts and tests (the GUI uses QUndoStack with the same commands)."""

    def __init__(self, doc: GraphDocument):
        self.doc = doc
        self.done: list[Command] = []
        self.undone: list[Command] = []

    def push(self, command: Command):
        command.do(self.doc)
        self.done.append(command)
        self.undone.clear()

    def undo(self):
        command = self.done.pop()
        command.undo(self.doc)
        self.undone.append(command)

    def redo(self):
        command = self.undone.pop()
        command.do(self.doc)
        self.done.append(command)
