"""Blocks with Keras (issue 20, done-when (1)-(4)): nested models and shared uses import as blocks, check, export
and rebuild with Keras's configs, wiring and parameter counts; copies export as one function; the applications
open collapsed."""

from __future__ import annotations

import json

import pytest

from builder.editing.block_edits import UseAgain, create_block
from builder.editing.commands import Connect, History, SetParam
from builder.files import project
from builder.inference.engine import infer
from builder.inference.report import check_dict
from builder.keras.build import build_model
from builder.keras.code_export import export_code
from builder.keras.importer import import_model, model_to_graph
from builder.model.blocks import blocks_of, members, top_level_items


def _config(model) -> str:
    config = dict(model.get_config())
    config.pop("name", None)  # the outer model's automatic name counts up with each model made
    return json.dumps(config, sort_keys=True, default=str)


def _rebuilt(code):
    namespace: dict = {}
    exec(compile(code, "exported.py", "exec"), namespace)  # noqa: S102 - our own exported script, the thing tested
    return namespace["build_model"]()


def _shapes_match(keras_model, doc):
    """Every node's shape equals the output shape of the Keras layer call it stands for."""
    results = infer(doc.graph)
    assert all(r.error is None for r in results.values()), [r.error for r in results.values() if r.error]
    return results


def seed_models(keras):
    from keras import layers

    image = keras.Input((28, 28, 1), name="cnn_in")
    x = layers.Conv2D(8, 3, activation="relu", name="cnn_conv")(image)
    x = layers.MaxPooling2D(name="cnn_pool")(x)
    cnn = keras.Model(image, layers.Flatten(name="cnn_flat")(x), name="cnn_branch")
    mlp = keras.Sequential([keras.Input((16,), name="mlp_in"), layers.Dense(32, activation="relu", name="mlp_hidden"),
                            layers.Dense(16, activation="relu", name="mlp_out")], name="mlp_branch")
    a, b = keras.Input((28, 28, 1), name="image"), keras.Input((16,), name="features")
    joined = layers.Concatenate(name="joined")([cnn(a), mlp(b)])
    return keras.Model([a, b], layers.Dense(10, activation="softmax", name="classes")(joined)), cnn, mlp


def test_seed_two_models_concatenated_keep_both_as_blocks(keras, tmp_path):
    model, cnn, mlp = seed_models(keras)
    path = tmp_path / "two_models.keras"
    model.save(path)
    doc = import_model(path)
    meta = blocks_of(doc.graph)
    assert {b: m["kind"] for b, m in meta.items()} == {"cnn_branch": "model", "mlp_branch": "sequential"}
    assert members(doc.graph, "cnn_branch") == ["cnn_conv", "cnn_pool", "cnn_flat"]
    results = _shapes_match(model, doc)
    for inner in (cnn, mlp):
        for layer in [la for la in inner.layers if type(la).__name__ != "InputLayer"]:
            assert results[layer.name].shape == tuple(layer.output.shape), layer.name
            assert results[layer.name].params == layer.count_params(), layer.name
    assert results["joined"].shape == tuple(model.get_layer("joined").output.shape) == (None, 13 * 13 * 8 + 16)
    text = project.dumps(doc.graph)
    assert project.dumps(project.parse(text)) == text
    for rebuilt in (_rebuilt(export_code(doc)), build_model(doc)):
        assert rebuilt.count_params() == model.count_params()
        for name in ("cnn_branch", "mlp_branch"):
            assert json.dumps(rebuilt.get_layer(name).get_config(), sort_keys=True) == \
                json.dumps(model.get_layer(name).get_config(), sort_keys=True)
        assert _config(rebuilt) == _config(model)


def siamese(keras):
    from keras import layers

    inp = keras.Input((12,), name="enc_in")
    h = layers.Dense(8, activation="relu", name="enc_hidden")(inp)
    encoder = keras.Model(inp, layers.Dense(4, name="enc_embed")(h), name="encoder")
    a, b = keras.Input((12,), name="left"), keras.Input((12,), name="right")
    distance = layers.Subtract(name="distance")([encoder(a), encoder(b)])
    return keras.Model([a, b], layers.Dense(1, activation="sigmoid", name="same")(distance))


def test_siamese_encoder_imports_as_shared_uses_and_counts_once(keras, tmp_path):
    model = siamese(keras)
    path = tmp_path / "siamese.keras"
    model.save(path)
    doc = import_model(path)
    meta = blocks_of(doc.graph)
    assert set(meta) == {"encoder", "encoder_2"}
    assert all(m["shared"] and m["definition"] == "encoder" and m["kind"] == "model" for m in meta.values())
    assert members(doc.graph, "encoder_2") == ["enc_hidden_2", "enc_embed_2"]
    report = check_dict(doc)
    assert report["valid"] and report["total_params"] == model.count_params()
    assert report["blocks"]["encoder_2"]["inputs"] == ["right"]
    code = export_code(doc)
    assert code.count("encoder_model(") == 2 and "def make_encoder():" in code
    for rebuilt in (_rebuilt(code), build_model(doc)):
        assert rebuilt.count_params() == model.count_params()
        assert _config(rebuilt) == _config(model)


def test_a_layer_called_twice_is_a_shared_block(keras):
    from keras import layers

    shared = layers.Dense(3, name="shared")
    x = keras.Input((3,), name="x")
    model = keras.Model(x, shared(shared(x)))
    doc = model_to_graph(model)
    assert list(doc.graph) == ["x", "shared", "shared_2"]
    assert check_dict(doc)["total_params"] == model.count_params() == 12
    assert _config(build_model(doc)) == _config(model)
    assert _config(_rebuilt(export_code(doc))) == _config(model)


def test_block_of_the_seed_cnn_reused_three_times_exports_as_a_function():
    doc = project.read("resources/examples/cnn_28x28_three_kernels.json")
    from builder.model.document import GraphDocument

    doc = GraphDocument(doc)
    history = History(doc)
    history.push(create_block(doc, ["conv_3x3"], "branch")[1])
    copies = [UseAgain("branch"), UseAgain("branch")]
    for copy, kernel in zip(copies, (4, 6), strict=True):
        history.push(copy)
        conv = copy.paste.renamed["conv_3x3"]
        history.push(Connect("image", conv))
        history.push(Connect(conv, "merged"))
        history.push(SetParam(conv, "kernel_size", [kernel, kernel]))  # this use alone: an argument
    history.push(SetParam("conv_3x3", "padding", "same"))
    code = export_code(doc)
    assert "def branch(x, kernel_size, name):" in code
    assert code.count("= branch(image, kernel_size=") == 3
    assert 'conv_3x3_2 = branch(image, kernel_size=(4, 4), name="conv_3x3_2")' in code
    built = build_model(doc)
    rebuilt = _rebuilt(code)
    assert rebuilt.count_params() == built.count_params() == check_dict(doc)["total_params"]
    assert _config(rebuilt) == _config(built)


@pytest.mark.parametrize("application, block", [("MobileNetV2", "block_3"), ("DenseNet121", "conv3")])
def test_applications_open_collapsed_with_few_top_level_items(keras, application, block):
    model = getattr(keras.applications, application)(weights=None)
    doc = model_to_graph(model)
    items = top_level_items(doc.graph)
    assert len(items) <= 30, items
    meta = blocks_of(doc.graph)
    assert meta and all(m["collapsed"] for m in meta.values())
    assert block in items
    results = infer(doc.graph)
    inside = members(doc.graph, block)
    assert len(inside) >= 3
    for node in inside:
        assert results[node].shape == tuple(model.get_layer(node).output.shape), node
    if application == "MobileNetV2":  # DenseNet121's rebuild is the slow importer round trip's (-m slow)
        assert _config(build_model(doc, None)) == _config(model)


def test_copies_of_a_two_layer_block_take_a_name_prefix_and_the_script_is_clean(tmp_path):
    from builder.editing.commands import Rename
    from builder.model.document import GraphDocument
    from tests.builder.test_codegen import ruff_problems

    doc = GraphDocument()
    doc.add_node("image", "Input", {"shape": [16, 16, 3]})
    doc.add_node("b1_conv", "Conv2D", {"filters": 8, "kernel_size": [3, 3], "padding": "same"})
    doc.add_node("b1_pool", "MaxPooling2D", {})
    doc.add_node("head", "Flatten", {})
    doc.connect("image", "b1_conv")
    doc.connect("b1_conv", "b1_pool")
    history = History(doc)
    history.push(create_block(doc, ["b1_conv", "b1_pool"], "stage")[1])
    copy = UseAgain("stage")
    history.push(copy)
    history.push(Rename(copy.paste.renamed["b1_conv"], "b2_conv"))
    history.push(Rename(copy.paste.renamed["b1_pool"], "b2_pool"))
    history.push(Connect("b1_pool", "b2_conv"))
    history.push(Connect("b2_pool", "head"))
    history.push(SetParam("b2_conv", "filters", 16))
    code = export_code(doc)
    assert "def stage(x, filters, prefix):" in code
    assert 'name=prefix + "_conv"' in code and 'b2_pool = stage(b1_pool, filters=16, prefix="b2")' in code
    assert ruff_problems(code, tmp_path) == ""
    built = build_model(doc)
    assert _config(_rebuilt(code)) == _config(built)
    assert built.count_params() == check_dict(doc)["total_params"]


def test_a_model_inside_a_model_with_a_shared_layer_rebuilds_exactly(keras):
    from keras import layers

    inner_in = keras.Input((6,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    mid_in = keras.Input((6,), name="mid_in")
    twice = layers.Dense(6, name="twice")
    mid = keras.Model(mid_in, inner(twice(twice(mid_in))), name="middle")
    x = keras.Input((6,), name="x")
    model = keras.Model(x, layers.Dense(2, name="out")(mid(x)))
    doc = model_to_graph(model)
    meta = blocks_of(doc.graph)
    assert meta["inner"]["parent"] == "middle" and meta["middle"]["parent"] is None
    assert meta["twice"]["shared"] and meta["twice"]["parent"] == "middle"
    assert check_dict(doc)["total_params"] == model.count_params()
    for rebuilt in (build_model(doc), _rebuilt(export_code(doc))):
        assert json.dumps(rebuilt.get_layer("middle").get_config(), sort_keys=True) == \
            json.dumps(model.get_layer("middle").get_config(), sort_keys=True)
        assert _config(rebuilt) == _config(model)


def test_the_training_script_keeps_the_block_functions():
    from builder.keras.training_script import training_script
    from tests.builder.test_blocks_document import chain_doc

    doc = chain_doc()
    History(doc).push(create_block(doc, ["conv_b", "pool_b"], "enc", kind="model")[1])
    script = training_script(doc.graph)
    assert "def make_enc():" in script and script.index("def make_enc():") < script.index("def build_model():")
    compile(script, "train.py", "exec")


def test_a_layer_inserted_in_one_copy_is_in_every_copy_and_keras_builds_it():
    """Editing a definition's structure in one use (a BatchNormalization inserted after the conv of one copy):
    the function every copy calls gains it, and the exported script and the build agree with our counts."""
    from builder.editing.commands import AddNode, Disconnect, Macro
    from builder.editing.every_use import in_every_use
    from builder.model.document import GraphDocument

    doc = GraphDocument(project.read("resources/examples/cnn_28x28_three_kernels.json"))
    history = History(doc)
    history.push(create_block(doc, ["conv_3x3"], "branch")[1])
    copy = UseAgain("branch")
    history.push(copy)
    conv = copy.paste.renamed["conv_3x3"]
    history.push(Connect("image", conv))
    history.push(Connect(conv, "merged"))
    insert = Macro("Insert bn", [AddNode("bn", "BatchNormalization", {}), Disconnect(conv, "merged", 3),
                                 Connect(conv, "bn"), Connect("bn", "merged", 3)])
    history.push(in_every_use(doc, insert, joins={"bn": copy.block_id}))  # inserted at the copy's exit, inside it
    assert doc.inputs_of("merged") == [("bn_2", 0), ("conv_5x5", 1), ("conv_7x7", 2), ("bn", 3)]
    assert doc.inputs_of("bn_2") == [("conv_3x3", 0)]
    code = export_code(doc)
    assert code.count("layers.BatchNormalization(") == 1 and code.count("= branch(image") == 2
    built = build_model(doc)
    rebuilt = _rebuilt(code)
    assert rebuilt.count_params() == built.count_params() == check_dict(doc)["total_params"]
    assert _config(rebuilt) == _config(built)
