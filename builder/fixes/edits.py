"""A fix's edits in their documented, JSON-ready form, and the one undoable command that applies them.

    {"op": "set_param", "node": "conv_5x5", "param": "padding", "value": "same"}
    {"op": "insert", "node": "crop_1", "layer": "Cropping2D", "params": {...}, "wire": ["conv_3x3", "merged", 0]}
        a new node put on the wire source -> target (its port kept): source -> node -> target
    {"op": "connect", "source": "image", "target": "dense", "port": 0}
    {"op": "disconnect", "source": "extra", "target": "difference", "port": 2}
    {"op": "remove", "node": "unused_input"}
    {"op": "rename", "node": "reshape_1", "to": "reshape_layer_1"}

Edits apply in order; `fix_command` makes them one Macro, so the app applies a fix as one undo step and
verification (verify.py) runs the very same commands on a trial document.
"""

from __future__ import annotations

from builder.catalog.specs import is_merge_layer
from builder.editing.commands import AddNode, Command, Connect, Delete, Disconnect, Macro, Rename, SetParam
from builder.editing.compound import InsertOnWire
from builder.model.document import GraphDocument

OPS = ("set_param", "insert", "connect", "disconnect", "remove", "rename")


def set_param(node: str, param: str, value) -> dict:
    return {"op": "set_param", "node": node, "param": param, "value": value}


def insert(node: str, layer: str, params: dict, wire) -> dict:
    return {"op": "insert", "node": node, "layer": layer, "params": params, "wire": list(wire)}


def connect(source: str, target: str, port: int) -> dict:
    return {"op": "connect", "source": source, "target": target, "port": port}


def disconnect(source: str, target: str, port: int) -> dict:
    return {"op": "disconnect", "source": source, "target": target, "port": port}


def remove(node: str) -> dict:
    return {"op": "remove", "node": node}


def rename(node: str, to: str) -> dict:
    return {"op": "rename", "node": node, "to": to}


def touched_nodes(edits) -> set[str]:
    """Nodes whose own result an edit may change (the new nodes included); their descendants follow."""
    nodes = set()
    for edit in edits:
        op = edit["op"]
        if op == "set_param":
            nodes.add(edit["node"])
        elif op == "insert":
            nodes.update((edit["node"], edit["wire"][1]))
        elif op in ("connect", "disconnect"):
            nodes.add(edit["target"])
        elif op == "rename":  # its readers' messages name it
            nodes.add(edit["node"])
    return nodes


def fix_command(doc: GraphDocument, title: str, edits) -> Command:
    """The edits as one undoable Macro (inserted nodes placed between the ends of their wire)."""
    steps = []
    positions = doc.positions
    for edit in edits:
        op = edit["op"]
        if op == "set_param":
            steps.append(SetParam(edit["node"], edit["param"], edit["value"]))
        elif op == "insert":
            source, target, port = edit["wire"]
            steps.append(AddNode(edit["node"], edit["layer"], dict(edit["params"]), _between(positions, source, target)))
            steps.append(InsertOnWire(edit["node"], (source, target, port)))
        elif op == "connect":
            steps.append(Connect(edit["source"], edit["target"], edit["port"],
                                 insert=is_merge_layer(doc.layer(edit["target"]))))
        elif op == "disconnect":
            steps.append(Disconnect(edit["source"], edit["target"], edit["port"]))
        elif op == "remove":
            steps.append(Delete([edit["node"]]))
        elif op == "rename":
            steps.append(Rename(edit["node"], edit["to"]))
        else:
            raise ValueError(f"unknown edit op {op!r}; expected one of {', '.join(OPS)}")
    return Macro(title, steps)


def _between(positions: dict, source: str, target: str):
    a, b = positions.get(source), positions.get(target)
    if a is None or b is None:
        return None
    return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 40]
