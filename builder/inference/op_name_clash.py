"""Layer ids that can meet the name Keras gives an operation by itself.

Keras names an operation it makes for a keras.ops call after the operation's class in snake case, with a
counter kept across the process: the first ops.reshape in a process is "reshape", the next "reshape_1", and so
on (keras/src/utils/naming.py, auto_name). A layer node whose id has that form (a Reshape layer named reshape_1
beside an ops.reshape node) can then share its name with an operation, and Keras refuses a model with a name
twice; whether it happens depends on what the process built before (real Keras, tests/builder/test_op_name_clash.py).
The app's own builds name each operation after its node (builder/keras/op_build.py), so they never meet; the
exported script cannot name its ops, so such a node gets a warning with a new id to take.
"""

from __future__ import annotations

import re

from builder.catalog.ops.names import op_name
from builder.model.order import free_id

# The operation class of a keras.ops function, in snake case, where it is not the function's own name (read
# from Keras 3's source; tests/builder/test_op_name_clash.py checks every catalog op function against Keras).
_CLASS_NAMES = {
    "abs": "absolute", "allclose": "all_close", "batch_normalization": "batch_norm", "cdist": "c_dist",
    "conj": "conjugate", "hard_swish": "hard_silu", "isin": "is_in", "layer_normalization": "layer_norm",
    "rms_normalization": "rms_norm", "searchsorted": "search_sorted", "swish": "silu",
}
_COUNTER = re.compile(r"_\d+$")


def auto_name(layer) -> str | None:
    """The name Keras gives the first operation of an op node's layer ("ops.abs" -> "absolute"), None for a
    layer that is not an op."""
    function = op_name(layer)
    return None if function is None else _CLASS_NAMES.get(function, function)


def clash_warnings(graph, op_nodes) -> dict[str, str]:
    """A warning for each node that is not an op and whose id has the form NAME or NAME_<number>, NAME being
    the automatic name of an op node's operation in this graph. `op_nodes`: the op nodes."""
    names: dict[str, list[str]] = {}
    node_table = graph._node
    for node in [n for n in node_table if n in op_nodes]:  # in document order
        name = auto_name(node_table[node].get("layer"))
        if name is not None:
            names.setdefault(name, []).append(node)
    if not names:
        return {}
    found = {}
    for node in node_table:
        if node in op_nodes or node.__class__ is not str:
            continue
        name = _COUNTER.sub("", node)
        if name not in names:
            continue
        ops = names[name]
        suggestion = new_id(graph, node, name)
        shown = ", ".join(ops[:3]) + (" ..." if len(ops) > 3 else "")
        found[node] = (f"{node}: Keras names its {name} operations '{name}', '{name}_1', '{name}_2', ... by itself "
                       f"({shown} here), so in the exported script this name can be given twice, and Keras "
                       f"refuses such a model; rename this node, e.g. to '{suggestion}'")
    return found


def new_id(graph, node: str, name: str) -> str:
    """The id to suggest for a node whose id has the form of the automatic name NAME: reshape_1 ->
    reshape_layer_1 (taken: reshape_layer_1_1, ...), which no operation is named by itself."""
    wanted = f"{name}_layer{node[len(name):]}"
    return wanted if wanted not in graph._node else free_id(wanted, graph._node)


def clash_fix(graph, node, warning: str) -> tuple[str, str] | None:
    """(the automatic name, the new id) when `warning` is this module's warning on `node`; else None."""
    name = _COUNTER.sub("", node) if isinstance(node, str) else None
    if name is None or not warning.startswith(f"{node}: Keras names its {name} operations "):
        return None
    return name, new_id(graph, node, name)
