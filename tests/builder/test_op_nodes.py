"""Op nodes end to end: models written with keras.ops import (exit 0) as op nodes whose shapes equal Keras's, and
the exported script rebuilds the same layers, configs, operations, wiring and parameter count; what no node can
hold is refused by name; generic ops are recomputed by Keras; the project format keeps op nodes; the three
export styles of merges rebuild the seed CNN.
"""

from __future__ import annotations

import json
import re

import pytest

from builder.catalog.ops import KERAS_OPS, OP_SPECS
from builder.files import project
from builder.inference.engine import infer
from builder.keras.code_export import export_code
from tests.main_in_process import run_main


def quoted_concatenate(keras):
    """The issue's first model: two Dense branches joined by keras.ops.concatenate."""
    from keras import layers

    a, b = keras.Input((4,)), keras.Input((4,))
    x = keras.ops.concatenate([layers.Dense(3)(a), layers.Dense(3)(b)], axis=-1)
    return keras.Model([a, b], layers.Dense(1)(x))


def quoted_add_reshape(keras):
    """The issue's second model: keras.ops.add(x, 1.0) and keras.ops.reshape(x, (-1, 256)) after a Conv2D."""
    from keras import layers

    image = keras.Input((6, 6, 1))
    x = layers.Conv2D(16, 3)(image)  # (4, 4, 16): 256 values per sample
    x = keras.ops.add(x, 1.0)
    x = keras.ops.reshape(x, (-1, 256))
    return keras.Model(image, layers.Dense(10)(x))


def every_listed_op(keras):
    """One model using each op the issue lists."""
    from keras import layers, ops

    a, b = keras.Input((4, 6), name="a"), keras.Input((4, 6), name="b")
    x = ops.concatenate([a, b], axis=-1)  # (4, 12)
    s = ops.stack([a, b], axis=1)  # (2, 4, 6)
    s = ops.mean(s, axis=1)  # (4, 6)
    s = ops.sum(ops.expand_dims(s, -1), axis=-1)  # (4, 6)
    y = ops.subtract(ops.add(a, s), 0.5)
    y = ops.divide(ops.multiply(y, b), 2.0)
    y = ops.minimum(ops.maximum(y, a), 3.0)
    m = ops.matmul(ops.transpose(a, (0, 2, 1)), y)  # (6, 4) @ (4, 6) -> (6, 6)
    m = ops.max(m, axis=-1, keepdims=True)  # (6, 1)
    m = ops.squeeze(m, axis=-1)  # (6,)
    m = ops.add(m, ops.min(ops.reshape(x, (-1, 6, 8)), axis=-1))  # (6,)
    first, second = ops.split(ops.softmax(x), 2, axis=-1)  # (4, 6) each
    z = ops.relu(first) + ops.sigmoid(second)  # Python's + is keras.ops.add
    z = ops.tanh(ops.cast(z, "float32"))
    z = layers.Flatten()(z)
    out = layers.Concatenate()([z, m])
    return keras.Model([a, b], layers.Dense(2)(out))


def _signature(keras, model, merges_as_ops=False) -> str:
    """The model's graph as one text, independent of the names Keras gives operations: each output as its
    operation (a layer: its class and config, name included; an op: its class and config without the name)
    over the signatures of its inputs. Equal texts: the same layers, configs, operations and wiring.
    `merges_as_ops`: a Concatenate layer reads as the keras.ops.concatenate operation would (its axis only)."""
    memo: dict = {}

    def of_tensor(tensor):
        operation, _node_index, index = tensor._keras_history
        return [of_operation(operation), index]

    def of_operation(operation):
        if id(operation) not in memo:
            config = operation.get_config()
            if not isinstance(operation, keras.layers.Layer):
                config = {k: v for k, v in config.items() if k != "name"}
            elif merges_as_ops and isinstance(operation, keras.layers.Concatenate):
                config = {"axis": config["axis"]}
            node = operation._inbound_nodes[0]
            memo[id(operation)] = json.dumps([type(operation).__name__, config,
                                              [of_tensor(t) for t in node.input_tensors]], sort_keys=True, default=str)
        return memo[id(operation)]

    return json.dumps([of_tensor(t) for t in model.outputs])


def _rebuild(doc, style="layer"):
    namespace: dict = {}
    exec(compile(export_code(doc, style), "exported", "exec"), namespace)  # noqa: S102 - our own script, tested
    return namespace["build_model"]()


def _import_and_compare(keras, model, path):
    from builder.keras.importer import import_model

    if path.suffix == ".json":
        path.write_text(model.to_json())
    else:
        model.save(path)
    doc = import_model(path)
    results = infer(doc.graph)
    assert all(r.error is None for r in results.values()), {n: r.error for n, r in results.items() if r.error}
    ops = [o for o in model.operations if not isinstance(o, keras.layers.Layer)]
    assert ops, "the model uses keras.ops"
    for operation in model.operations:
        outputs = operation._inbound_nodes[0].output_tensors
        for index, tensor in enumerate(outputs):
            node = operation.name if operation.name in results else f"{operation.name}_part{index}"
            if node in results:
                assert results[node].shape == tuple(tensor.shape), (node, results[node].shape, tensor.shape)
    for operation in ops:
        layer = doc.graph.nodes.get(operation.name) or doc.graph.nodes[f"{operation.name}_part0"]
        assert layer["layer"].startswith("ops.")
    rebuilt = _rebuild(doc)
    assert rebuilt.count_params() == model.count_params()
    assert _signature(keras, rebuilt) == _signature(keras, model)
    return doc


def test_quoted_concatenate_model(keras, tmp_path):
    doc = _import_and_compare(keras, quoted_concatenate(keras), tmp_path / "m.keras")
    concat = [n for n, d in doc.graph.nodes(data=True) if d["layer"] == "ops.concatenate"]
    assert doc.graph.nodes[concat[0]]["params"] == {"axis": -1}
    # The Dense names are Keras's own counters (dense, dense_1, ... in a fresh process), so only their form is fixed.
    assert re.search(r"keras\.ops\.concatenate\(\[\w+, \w+\], axis=-1\)", export_code(doc))


def test_quoted_add_reshape_model_json(keras, tmp_path):
    doc = _import_and_compare(keras, quoted_add_reshape(keras), tmp_path / "m.json")
    layers = {d["layer"]: d["params"] for _n, d in doc.graph.nodes(data=True)}
    assert layers["ops.add"] == {"x2": 1.0} and layers["ops.reshape"] == {"newshape": [-1, 256]}


def test_every_listed_op_round_trips(keras, tmp_path):
    doc = _import_and_compare(keras, every_listed_op(keras), tmp_path / "m.keras")
    used = {d["layer"] for _n, d in doc.graph.nodes(data=True)}
    assert {spec.name for spec in OP_SPECS} <= used
    text = project.dumps(doc.graph)  # the project format keeps them, byte for byte
    assert project.dumps(project.parse(text)) == text


def test_cli_imports_with_exit_0_and_refuses_indexing_with_exit_2(keras, tmp_path, capsys):
    quoted_add_reshape(keras).save(tmp_path / "ok.keras")
    inp = keras.Input((4, 3))
    keras.Model(inp, keras.layers.Dense(2)(inp[:, 0])).save(tmp_path / "indexing.keras")  # x[...]: GetItem
    ok = run_main(capsys, "import", tmp_path / "ok.keras", "-o", tmp_path / "ok.json")
    assert ok.returncode == 0, ok.stderr
    check = run_main(capsys, "check", tmp_path / "ok.json")
    assert check.returncode == 0 and "ops.reshape" in check.stdout, check.stdout
    bad = run_main(capsys, "import", tmp_path / "indexing.keras", "-o", tmp_path / "bad.json")
    assert bad.returncode == 2, bad.stderr
    assert "the operation GetItem (keras.ops)" in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
    assert not (tmp_path / "bad.json").exists()


def test_generic_op_is_recomputed_by_keras(keras, tmp_path):
    from builder.keras.importer import import_model
    from builder.keras.recompute import refresh_with_keras

    inp = keras.Input((8, 6), name="seq")
    x = keras.ops.swapaxes(keras.ops.clip(inp, 0.0, 2.0), 1, 2)
    keras.Model(inp, keras.layers.Dense(3, name="head")(x)).save(tmp_path / "g.keras")
    doc = import_model(tmp_path / "g.keras")
    graph = doc.graph
    swap = next(n for n, d in graph.nodes(data=True) if d["layer"] == "ops.swapaxes")
    assert graph.nodes[swap]["config"] == {"axis1": 1, "axis2": 2}
    assert infer(graph)[swap].shape == (None, 6, 8)
    assert "keras.ops.swapaxes(clip, axis1=1, axis2=2)" in export_code(doc)
    graph.nodes["seq"]["params"]["shape"] = [5, 7]  # an edit upstream: the stored shape is stale
    assert infer(graph)["clip"].stale and infer(graph)[swap].blocked_by == "clip"
    assert refresh_with_keras(graph) == ["clip", swap]  # Keras again, in the worker's way
    assert infer(graph)[swap].shape == (None, 7, 5) and infer(graph)["head"].shape == (None, 7, 3)


def test_every_op_name_is_a_keras_ops_function(keras):
    missing = sorted(name for name in KERAS_OPS if not callable(getattr(keras.ops, name, None)))
    assert not missing


def test_op_params_are_validated():
    from builder.model.document import GraphDocument, InvalidParam

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    node = doc.add_node("c", "ops.add")
    with pytest.raises(InvalidParam, match="x2: expected a number"):
        doc.set_param(node, "x2", "one")
    doc.add_node("m", "ops.mean")  # a new node starts with a feature axis, not Keras's None (every axis)
    doc.connect("x", "m")
    assert doc.graph.nodes["m"]["params"] == {"axis": -1} and infer(doc.graph)["m"].shape == (None,)
    with pytest.raises(project.ProjectError, match=r"nodes\[0\].params.axis: expected an integer axis"):
        project.parse(json.dumps({"format": project.FORMAT, "version": project.VERSION, "nodes": [
            {"id": "c", "layer": "ops.concatenate", "params": {"axis": "last"}}], "edges": []}))


def _cnn():
    """The seed CNN: 3×3, 5×5 and 7×7 branches joined by a concatenation (the bundled example)."""
    from builder.files.resources import examples_dir

    return project.read(examples_dir() / "cnn_28x28_three_kernels.json")


@pytest.mark.parametrize("style", ["layer", "function", "ops"])
def test_three_merge_styles_rebuild_the_seed_cnn(keras, style):
    """Each style rebuilds the seed CNN exactly: the same layers (names and configs), wiring and parameter count;
    the ops style joins the branches with the keras.ops.concatenate operation instead of a Concatenate layer."""
    from builder.keras.build import build_model

    doc = _cnn()
    reference = build_model(doc)
    rebuilt = _rebuild(doc, style)
    assert rebuilt.count_params() == reference.count_params()
    assert [t.shape for t in rebuilt.outputs] == [t.shape for t in reference.outputs]
    expected = _signature(keras, reference)
    if style == "ops":
        merged = next(layer for layer in reference.layers if type(layer).__name__ == "Concatenate")
        # The same graph once the Concatenate layer reads as the op (its class and axis, no name, no dtype).
        assert _signature(keras, rebuilt) == _signature(keras, reference, merges_as_ops=True) != expected
        assert "keras.ops.concatenate(" in export_code(doc, "ops")
        assert "Concatenate" not in [type(layer).__name__ for layer in rebuilt.layers]
        ops = [o for o in rebuilt.operations if not isinstance(o, keras.layers.Layer)]
        assert [type(o).__name__ for o in ops] == ["Concatenate"] and ops[0].get_config()["axis"] == -1
        names = sorted(layer.name for layer in rebuilt.layers)
        assert names == sorted(layer.name for layer in reference.layers if layer is not merged)
    else:
        assert _signature(keras, rebuilt) == expected


def test_ops_style_writes_each_merge_as_its_op_or_says_why_not(keras):
    """Add over three inputs folds into nested keras.ops.add calls; Average has no op of a list and stays a layer,
    with a comment saying so; the model computes the same shapes with the same parameters."""
    from builder.keras.build import build_model
    from tests.builder.samples import dense_merges

    doc = dense_merges()
    doc.add_node("third", "Dense", {"units": 8})
    doc.connect("left", "third")
    doc.connect("third", "sum")
    doc.add_node("avg", "Average", {})
    doc.connect("a", "avg")
    doc.connect("b", "avg")
    doc.add_node("mean_head", "Dense", {"units": 1})
    doc.connect("avg", "mean_head")
    code = export_code(doc, "ops")
    assert "sum_ = keras.ops.add(keras.ops.add(a, b), third)" in code
    assert "cat = keras.ops.concatenate([a, b, a], axis=-1)" in code
    assert "# avg: keras.ops has no average of a list of tensors: written as the layer" in code
    assert 'avg = layers.Average(name="avg")([a, b])' in code
    rebuilt, reference = _rebuild(doc, "ops"), build_model(doc)
    assert rebuilt.count_params() == reference.count_params()
    assert [t.shape for t in rebuilt.outputs] == [t.shape for t in reference.outputs]


def test_op_param_defaults_are_keras_defaults(keras):
    """Every param of a native op is an argument of its keras.ops function with Keras's default (or none where
    Keras has none); the operands stand for x1/x2 and split's index is the node's own (which part it gives)."""
    import inspect

    for spec in OP_SPECS:
        signature = inspect.signature(getattr(keras.ops, spec.op))
        for param in spec.params:
            if param.name in spec.operands or (spec.op == "split" and param.name == "index"):
                continue
            theirs = signature.parameters[param.name].default
            where = f"{spec.name}.{param.name}"
            if param.required:
                assert theirs is inspect.Parameter.empty, where
            else:
                assert param.is_default(theirs), f"{where}: ours {param.default!r}, Keras {theirs!r}"
