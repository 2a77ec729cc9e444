"""Bidirectional and TimeDistributed as wrapper nodes, Normalization, and the params typed last (renorm_clipping,
attention_axes): shapes and counts against real Keras (the agreement oracle), the wrapped layer's params and
config checked, the card, and the round trip through export, build, import and the project file."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from builder import GraphDocument
from builder.catalog.card_summary import layer_title, summary_text
from builder.catalog.params import ParamError
from builder.catalog.specs import CATALOG
from builder.inference.engine import infer
from tests.builder.rule_rows import (
    Row,
    assert_agrees_with_keras,
    assert_inference_gives,
    assert_keras_gives,
    node_graph,
)

LSTM8 = {"layer": "LSTM", "params": {"units": 8}}
LSTM8_SEQ = {"layer": "LSTM", "params": {"units": 8, "return_sequences": True}}

# (layer, params, input shapes without the batch): each judged by Keras through the agreement oracle.
CASES = [
    ("Bidirectional", {"layer": LSTM8}, [[5, 3]]),
    ("Bidirectional", {"layer": LSTM8_SEQ, "merge_mode": "sum"}, [[5, 3]]),
    ("Bidirectional", {"layer": {"layer": "GRU", "params": {"units": 4, "reset_after": False}},
                       "merge_mode": "ave"}, [[None, 6]]),
    ("Bidirectional", {"layer": {"layer": "SimpleRNN", "params": {"units": 3, "return_sequences": True}},
                       "merge_mode": "mul"}, [[4, 2]]),
    ("Bidirectional", {"layer": LSTM8, "backward_layer": {"layer": "GRU", "params": {"units": 8,
                                                                                    "go_backwards": True}}}, [[5, 3]]),
    ("Bidirectional", {"layer": LSTM8, "backward_layer": {"layer": "GRU", "params": {"units": 4,
                                                                                    "go_backwards": True}}}, [[5, 3]]),
    ("Bidirectional", {"layer": LSTM8, "backward_layer": LSTM8}, [[5, 3]]),  # both forwards
    ("Bidirectional", {"layer": {"layer": "LSTM", "params": {"units": 8, "go_backwards": True}}}, [[5, 3]]),
    ("Bidirectional", {"layer": LSTM8, "backward_layer": {"layer": "LSTM", "params": {
        "units": 8, "go_backwards": True, "return_sequences": True}}}, [[5, 3]]),
    ("Bidirectional", {"layer": LSTM8}, [[5]]),
    ("TimeDistributed", {"layer": {"layer": "Dense", "params": {"units": 4}}}, [[5, 8]]),
    ("TimeDistributed", {"layer": {"layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3}}}, [[4, 8, 8, 3]]),
    ("TimeDistributed", {"layer": {"layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3}}}, [[None, 8, 8,
                                                                                                      3]]),
    ("TimeDistributed", {"layer": {"layer": "Flatten", "params": {}}}, [[3, 4, 5]]),
    ("TimeDistributed", {"layer": {"layer": "MaxPooling2D", "params": {"pool_size": 2}}}, [[3, 4, 6, 2]]),
    ("TimeDistributed", {"layer": {"layer": "Bidirectional", "params": {"layer": LSTM8}}}, [[2, 5, 4]]),
    ("TimeDistributed", {"layer": {"layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3}}}, [[4, 8, 3]]),
    ("TimeDistributed", {"layer": {"layer": "Dense", "params": {"units": 4}}}, [[8]]),
    ("Normalization", {}, [[4, 3]]),
    ("Normalization", {"axis": None}, [[4, 3]]),
    ("Normalization", {"axis": [1, 2]}, [[4, 3, 5]]),
    ("Normalization", {"axis": -2, "invert": True}, [[4, 3]]),
    ("Normalization", {"mean": 2.0, "variance": 4.0}, [[4, 3]]),
    ("Normalization", {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 1.0, 2.0]}, [[4, 3]]),
    ("Normalization", {"mean": [1.0], "variance": [2.0]}, [[4, 3]]),
    ("Normalization", {"mean": [1.0, 2.0], "variance": [1.0, 1.0]}, [[4, 3]]),
    ("Normalization", {"mean": 1.0}, [[4, 3]]),
    ("Normalization", {"axis": 0}, [[4, 3]]),
    ("Normalization", {}, [[4, None]]),
    ("Normalization", {"axis": 3}, [[4, 3]]),
    ("BatchNormalization", {"renorm": True, "renorm_clipping": {"rmax": 3.0, "rmin": 0.5, "dmax": 2.0}}, [[4, 3]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": [1]}, [[3, 5, 4], [3, 5, 4]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": 2}, [[3, 5, 4], [3, 7, 4]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": [1]}, [[3, 5, 4], [3, 7, 4]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": [1, 2]}, [[3, 5, 4], [6, 7, 4]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": [1, 1]}, [[3, 5, 4], [3, 5, 4]]),
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "attention_axes": 4}, [[3, 5, 4], [3, 5, 4]]),
    # Found by the seeded long runs: a value of size 1 before the steps broadcasts to the query's (not the other
    # way round), and the 'concat' score adds query and key, so their feature sizes must agree (or be 1).
    ("Attention", {}, [[2, 2, 1], [1, 1, 1]]),
    ("Attention", {}, [[1, 2, 1], [2, 1, 1]]),
    ("Attention", {"score_mode": "concat"}, [[None, 1, 3], [None, 1, 4], [None, 1, 4]]),
    ("Attention", {"score_mode": "concat"}, [[5, 3], [4, 1]]),
    ("Attention", {"score_mode": "concat", "use_scale": True}, [[5, 1], [4, 3]]),
    ("AdditiveAttention", {}, [[2, 5, 3], [1, 4, 3]]),
    ("Attention", {}, [[3, 3, 1], [1, 1, 1], [3, 1, 1]]),
    ("Attention", {}, [[3, 3, 1], [3, 2, 1], [3, 1, 1]]),
    # TimeDistributed skips its layer's input check: a SpatialDropout1D on (batch, features) steps passes them
    # through with rate 0 and fails in training with a rate above 0 (seed 104 of the 20,000-graph run)
    ("TimeDistributed", {"layer": {"layer": "SpatialDropout1D", "params": {"rate": 0.0}}}, [[1, 2]]),
    ("TimeDistributed", {"layer": {"layer": "SpatialDropout1D", "params": {"rate": 0.5}}}, [[1, 2]]),
    ("TimeDistributed", {"layer": {"layer": "SpatialDropout2D", "params": {"rate": 0.0}}}, [[4, 3, 2]]),
    ("TimeDistributed", {"layer": {"layer": "SpatialDropout1D", "params": {"rate": 0.5}}}, [[4, 3, 2]]),
    ("TimeDistributed", {"layer": {"layer": "Dropout", "params": {"rate": 0.5}}}, [[4, 3]]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-{json.dumps(case[1])[:60]}")
def test_shapes_and_counts_agree_with_keras(keras, case):
    assert_agrees_with_keras(keras, node_graph(*case))


def _td(layer: str, params: dict, step_shape: list, expect) -> Row:
    return Row("TimeDistributed", {"layer": {"layer": layer, "params": params}}, [step_shape], expect, (0, 0))


# TimeDistributed past its layer's rank check (builder/catalog/rules/step_rank.py): what Keras builds and runs,
# and what it refuses, for layers given steps of another rank than they take. Each row is judged by Keras too.
STEP_RANK_ROWS = [
    # Seed 104 of the 20,000-graph run: a 1D pooling on (batch, 2, 2, 1) steps pools both axes.
    _td("MaxPooling1D", {}, [1, 2, 2, 1], (None, 1, 1, 1, 1)),
    _td("MaxPooling1D", {"padding": "same"}, [3, 4, 4, 5], (None, 3, 2, 2, 5)),
    _td("MaxPooling1D", {"pool_size": [3], "strides": 1}, [2, 4, 3, 3], (None, 2, 2, 1, 3)),
    _td("MaxPooling1D", {"pool_size": [3]}, [2, None, 4, 4], (None, 2, None, 1, 4)),
    _td("MaxPooling1D", {"data_format": "channels_first"}, [2, 3, 4, 6], (None, 2, 3, 2, 3)),
    _td("AveragePooling1D", {"pool_size": [3]}, [2, 5, 3, 4, 2], (None, 2, 1, 1, 1, 2)),
    _td("AveragePooling1D", {"pool_size": 1}, [1, 1, 1, 1, 1], (None, 1, 1, 1, 1, 1)),
    _td("MaxPooling1D", {"pool_size": 3}, [2, 4, 2, 3], "pools each of the step's 2 spatial axes"),
    _td("AveragePooling1D", {"pool_size": 2}, [2, 4], "AveragePooling1D needs a 3D tensor"),
    # Global pooling reduces its own axes but declares a pooling over all the step's spatial axes.
    _td("GlobalAveragePooling2D", {"keepdims": True}, [1, None, 4, 1, 3], (None, 1, 1, 1, 1, 3)),
    _td("GlobalMaxPooling1D", {"keepdims": True}, [2, 1], (None, 2, 1)),
    _td("GlobalAveragePooling1D", {"keepdims": True, "data_format": "channels_first"}, [2, 3, 1, 1],
        (None, 2, 3, 1, 1)),
    _td("GlobalMaxPooling1D", {"keepdims": True}, [2, 3], "not the (None, 3) Keras declares"),
    _td("GlobalAveragePooling2D", {}, [2, 3, 4, 1, 2], "so the model fails"),
    _td("GlobalMaxPooling3D", {"keepdims": True}, [2, 3, 4], "GlobalMaxPooling3D needs a 5D tensor"),
    # RepeatVector reshapes each step to (batch, 1, axis 1): later sizes of 1 (or unknown) go through.
    _td("RepeatVector", {"n": 4}, [2, 4, 1], (None, 2, 4, 4)),
    _td("RepeatVector", {"n": 2}, [2, 5, None], (None, 2, 2, 5)),
    _td("RepeatVector", {"n": 3}, [2, 4, 1, 1], (None, 2, 3, 4)),
    _td("RepeatVector", {"n": 4}, [2, 4, 2], "fails unless every size after it is 1"),
    # A SpatialDropout above rate 0 fails in training on steps of another rank, unknown sizes or not.
    _td("SpatialDropout1D", {"rate": 0.5}, [2, None, 2, 2], "the first training batch fails"),
    _td("SpatialDropout1D", {"rate": 0.5}, [2, 2, None, 5, 3], "the first training batch fails"),
    _td("SpatialDropout1D", {"rate": 0.0}, [2, 2, None, 5, 3], (None, 2, 2, None, 5, 3)),
    # Resizing and CenterCrop, channels first, read a rank-3 tensor's batch axis as the channels.
    _td("Resizing", {"height": 2, "width": 5, "data_format": "channels_first"}, [1, 5, 1], (None, 1, 2, 5)),
    Row("Resizing", {"height": 2, "width": 3, "data_format": "channels_first"}, [[5, None]], (None, 2, 3), (0, 0)),
    Row("CenterCrop", {"height": 7, "width": 3, "data_format": "channels_first"}, [[5, 4]], (None, 7, 3), (0, 0)),
    Row("CenterCrop", {"height": 2, "width": 3}, [[5, 4]], "needs a 4D tensor"),
]


@pytest.mark.parametrize("row", STEP_RANK_ROWS, ids=lambda row: f"{row.layer}-{json.dumps(row.params)[:70]}")
def test_layers_past_their_rank_check_as_keras_gives_them(keras, row):
    assert_inference_gives(row)
    assert_keras_gives(keras, row)


@pytest.mark.parametrize(("layer", "name", "value", "says"), [
    ("Bidirectional", "layer", {"layer": "Dense", "params": {"units": 3}}, "got the layer 'Dense'"),
    ("Bidirectional", "layer", {"layer": "LSTM", "params": {"units": 0}}, "LSTM's units: expected a positive"),
    ("Bidirectional", "layer", {"layer": "LSTM", "params": {"unitz": 3}}, "LSTM has no parameter 'unitz'"),
    ("Bidirectional", "layer", "LSTM", 'as {"layer": "LSTM"'),
    ("Bidirectional", "merge_mode", None, "expected one of"),  # two outputs: a node has one
    ("TimeDistributed", "layer", {"layer": "Add", "params": {}}, "got the layer 'Add'"),
    ("TimeDistributed", "layer", {"layer": "Input", "params": {"shape": [3]}}, "got the layer 'Input'"),
    ("TimeDistributed", "layer", {"layer": "Conv1D", "params": {"filters": 2, "kernel_size": 3, "strides": 2,
                                                                "dilation_rate": 2}}, "Conv1D's"),
    ("TimeDistributed", "layer", {"layer": "Dense", "params": {"units": 2},
                                  "config": {"kernel_initializer": {"module": "os", "class_name": "system",
                                                                    "config": "touch x"}}}, "not a Keras module"),
    ("TimeDistributed", "layer", {"layer": "Dense", "params": {"units": 2}, "config": {"units": 3}},
     "typed param"),
    ("BatchNormalization", "renorm_clipping", {"rmax": 0.5, "rmin": 1.0}, "rmax >= rmin"),
    ("BatchNormalization", "renorm_clipping", {"dmax": -1}, "dmax >= 0"),
    ("BatchNormalization", "renorm_clipping", {"random_key": 1.0}, "rmax, rmin, dmax"),
])
def test_bad_values_are_refused_naming_what_is_wrong(layer, name, value, says):
    with pytest.raises(ParamError) as caught:
        CATALOG[layer].param(name).validate(value)
    assert says in str(caught.value)


def _doc() -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [10, 8]})
    doc.add_node("bi", "Bidirectional", {"layer": {
        "layer": "LSTM", "params": {"units": 16, "return_sequences": True},
        "config": {"kernel_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {},
                                          "registered_name": None}}}})
    doc.add_node("td", "TimeDistributed", {"layer": {"layer": "Dense", "params": {"units": 5}}})
    doc.add_node("norm", "Normalization", {"mean": 0.5, "variance": 2.0})
    doc.add_node("bi2", "Bidirectional", {
        "layer": {"layer": "GRU", "params": {"units": 4}}, "merge_mode": "sum",
        "backward_layer": {"layer": "SimpleRNN", "params": {"units": 4, "go_backwards": True}}})
    doc.connect("x", "bi")
    doc.connect("bi", "td")
    doc.connect("td", "norm")
    doc.connect("norm", "bi2")
    return doc


def test_the_card_says_what_a_wrapper_wraps():
    doc = _doc()
    assert layer_title("Bidirectional", doc.params("bi")) == "Bidirectional(LSTM 16)"
    assert summary_text("Bidirectional", doc.params("bi")) == "return_sequences"
    assert layer_title("TimeDistributed", doc.params("td")) == "TimeDistributed(Dense 5)"
    assert layer_title("Dense", {"units": 3}) == "Dense"
    assert summary_text("Bidirectional", doc.params("bi2")) == "merge_mode sum · backward SimpleRNN 4"


def test_export_build_import_and_the_project_file_keep_the_wrappers(keras, tmp_path):
    from builder.files import project
    from builder.keras.build import build_model
    from builder.keras.code_export import export_code
    from builder.keras.importer import import_model

    doc = _doc()
    results = infer(doc.graph)
    model = build_model(doc)
    for node in doc.graph:
        assert tuple(model.get_layer(node).output.shape) == results[node].shape, node
        if node != "x":
            assert model.get_layer(node).count_params() == results[node].params, node
    assert float(model.get_layer("bi").forward_layer.cell.kernel.numpy().min()) == 1.0  # the wrapped config
    code = export_code(doc)
    assert "layers.Bidirectional(layer=layers.LSTM(units=16, return_sequences=True, kernel_initializer=" in code
    assert "backward_layer=layers.SimpleRNN(units=4, go_backwards=True)" in code
    namespace = {}
    exec(compile(code, "exported.py", "exec"), namespace)  # noqa: S102 - our own export, the point of the test
    assert namespace["build_model"]().count_params() == model.count_params()
    model.save(tmp_path / "m.keras")
    imported = import_model(tmp_path / "m.keras")
    for node in doc.graph:
        assert imported.params(node) == doc.params(node), node
    project.write(imported.graph, tmp_path / "m.json")
    again = project.read(tmp_path / "m.json")
    assert {n: again.nodes[n]["params"] for n in again} == {n: doc.params(n) for n in doc.graph}


def test_a_wrapper_around_a_layer_outside_the_catalog_is_refused_by_name(keras, tmp_path):
    from builder.keras.importer import ImportRefused, import_model

    inp = keras.Input((4, 6), name="x")
    out = keras.layers.TimeDistributed(keras.layers.EinsumDense("ab,bc->ac", output_shape=3), name="td")(inp)
    keras.Model(inp, out).save(tmp_path / "e.keras")
    with pytest.raises(ImportRefused, match="td: it wraps a EinsumDense"):
        import_model(tmp_path / "e.keras")


def test_normalization_says_it_needs_data_and_training_adapts_it(keras):
    import numpy as np

    from builder.keras.training import train
    from builder.keras.training_data import Dataset
    from builder.keras.training_settings import resolve

    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [3]})
    graph.add_node("norm", layer="Normalization", params={})
    graph.add_node("out", layer="Dense", params={"units": 1})
    graph.add_edge("x", "norm", port=0)
    graph.add_edge("norm", "out", port=0)
    warnings = infer(graph)["norm"].warnings
    assert len(warnings) == 1 and "computed from data (adapt)" in warnings[0]
    assert not infer(_doc().graph)["norm"].warnings  # mean and variance given
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(64, 3)) * [1.0, 2.0, 3.0] + [5.0, -1.0, 10.0]).astype("float32")
    data = Dataset([x], [x[:, :1]], "numbers", "rows")
    settings = resolve(graph, {"epochs": 1, "validation_split": 0.25, "seed": 1}, data.y[0])
    result = train(graph, data, settings)
    assert result["adapted"] == ["norm"]
    layer = result["_model"].get_layer("norm")
    train_x = x[np.isin(np.arange(64), result["_held_out"][2], invert=True)]
    assert np.allclose(np.ravel(layer.mean), train_x.mean(axis=0), atol=1e-4)
    assert np.allclose(np.ravel(layer.variance), train_x.var(axis=0), rtol=1e-3)
