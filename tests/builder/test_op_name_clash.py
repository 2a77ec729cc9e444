"""A layer id of the form Keras gives an operation by itself (reshape, reshape_1, ... beside an ops.reshape node),
judged by real Keras: the app's builds name each operation after its node, so they build whatever the process
built before and import back with the same ids; the exported script cannot name its operations, and Keras
refuses it, so such a node warns and says what to rename it to."""

from __future__ import annotations

import importlib.util
import inspect
import re
from itertools import pairwise

import networkx as nx
import pytest

from builder.catalog.ops.names import KERAS_OPS
from builder.inference.engine import infer
from builder.inference.op_name_clash import auto_name
from builder.keras.build import build_model
from builder.keras.code_export import export_code

CLASH = "is used 2 times in the model"


def reshapes(layer_ids, ops=2) -> nx.MultiDiGraph:
    """Reshape layers with these ids, then `ops` ops.reshape nodes, in a chain."""
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4, 6]})
    chain = ["x"]
    for i, node in enumerate(layer_ids):
        graph.add_node(node, layer="Reshape", params={"target_shape": [6, 4] if i % 2 == 0 else [4, 6]})
        chain.append(node)
    for k in range(ops):
        graph.add_node(f"flat{k}", layer="ops.reshape", params={"newshape": [-1, 24]})
        chain.append(f"flat{k}")
    for source, target in pairwise(chain):
        graph.add_edge(source, target, port=0)
    return graph


def run_script(graph, name, tmp_path):
    path = tmp_path / f"{name}.py"
    path.write_text(export_code(graph))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_model


def test_builds_name_operations_after_their_nodes_whatever_was_built_before(keras, tmp_path):
    from builder.keras.importer import import_model

    graph = reshapes(["reshape", "reshape_1", "reshape_2"])
    keras.backend.clear_session()
    for _build in range(3):  # Keras's counters move on with each build: none may meet a layer's name
        model = build_model(graph)
        assert [op.name for op in model.operations] == ["x", "reshape", "reshape_1", "reshape_2", "flat0", "flat1"]
    model.save(tmp_path / "m.keras")
    back = import_model(tmp_path / "m.keras")
    assert {n: back.layer(n) for n in ("flat0", "flat1", "reshape_1")} == {
        "flat0": "ops.reshape", "flat1": "ops.reshape", "reshape_1": "Reshape"}


def test_the_exported_script_is_refused_as_the_warning_says_and_builds_once_renamed(keras, tmp_path):
    graph = reshapes(["reshape", "reshape_1"])
    results = infer(graph)
    for node, suggestion in (("reshape", "reshape_layer"), ("reshape_1", "reshape_layer_1")):
        (warning,) = results[node].warnings
        assert "flat0, flat1" in warning and warning.endswith(f"rename this node, e.g. to '{suggestion}'")
    assert not any(results[n].warnings for n in ("x", "flat0", "flat1"))
    keras.backend.clear_session()  # a fresh process: the first reshape operation is "reshape"
    with pytest.raises(ValueError, match=CLASH):
        run_script(graph, "clashing", tmp_path)()

    renamed = nx.relabel_nodes(graph, {"reshape": "reshape_layer", "reshape_1": "reshape_layer_1"})
    assert not any(r.warnings for r in infer(renamed).values())
    keras.backend.clear_session()
    script = run_script(renamed, "renamed", tmp_path)
    for _build in range(3):
        script()


def test_an_id_past_the_first_operations_still_warns_it_meets_one_in_a_later_build(keras, tmp_path):
    """reshape_2 beside two ops.reshape: a fresh process names them reshape and reshape_1, so the first run
    of the script builds, and the second (reshape_2, reshape_3) is refused."""
    graph = reshapes(["reshape_2"])
    assert "rename this node, e.g. to 'reshape_layer_2'" in infer(graph)["reshape_2"].warnings[0]
    keras.backend.clear_session()
    script = run_script(graph, "later", tmp_path)
    script()
    with pytest.raises(ValueError, match=CLASH):
        script()


def _operation_classes(keras, function: str, depth: int = 0) -> set[str]:
    """The Operation classes a keras.ops function makes on a symbolic tensor, read from its source (following
    a call of another keras.ops function, as abs -> absolute)."""
    import keras.src.ops.operation as operation_module

    source = inspect.getsource(getattr(keras.ops, function))
    body = source.split('"""')[-1] if source.count('"""') >= 2 else source
    module = inspect.getmodule(getattr(keras.ops, function))
    classes = {name for name in re.findall(r"\b([A-Z]\w*)\(", body)
               if isinstance(getattr(module, name, None), type)
               and issubclass(getattr(module, name), operation_module.Operation)}
    if not classes and depth < 2:
        for other in re.findall(r"return (\w+)\(", body):
            if other != function and other in dir(keras.ops):
                classes |= _operation_classes(keras, other, depth + 1)
    return classes


def test_every_catalog_op_s_automatic_name_is_keras_own(keras):
    from keras.src.utils.naming import to_snake_case

    checked = 0
    for function in sorted(KERAS_OPS):
        classes = _operation_classes(keras, function)
        if not classes:  # no operation on a symbolic tensor (ones, eye, linspace...): nothing is named
            continue
        assert {to_snake_case(c) for c in classes} == {auto_name(f"ops.{function}")}, function
        checked += 1
    assert checked > 250
    # And as Keras names them when it builds: the first of each in a fresh session.
    keras.backend.clear_session()
    x = keras.Input((4, 6))
    for function, call in (("abs", keras.ops.abs), ("swish", keras.ops.swish), ("reshape", lambda t:
                           keras.ops.reshape(t, (-1, 24))), ("conj", keras.ops.conj)):
        assert call(x)._keras_history.operation.name == auto_name(f"ops.{function}")


def test_the_warning_offers_the_rename_as_a_verified_one_step_fix():
    from builder.fixes import fixes_for
    from builder.fixes.edits import fix_command
    from builder.model.document import GraphDocument

    doc = GraphDocument(reshapes(["reshape_1"]))
    (fix,) = [f for f in fixes_for(doc.graph, "reshape_1", infer(doc.graph)) if f.title.startswith("rename")]
    assert fix.title == "rename reshape_1 to reshape_layer_1"
    assert fix.edits == ({"op": "rename", "node": "reshape_1", "to": "reshape_layer_1"},)
    command = fix_command(doc, fix.title, fix.edits)
    command.do(doc)
    assert not any(r.warnings or r.error for r in infer(doc.graph).values())
    command.undo(doc)
    assert "reshape_1" in doc.graph and infer(doc.graph)["reshape_1"].warnings
