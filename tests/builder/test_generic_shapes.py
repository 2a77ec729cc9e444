"""Generic nodes (Keras layers outside the catalog): their stored Keras shape, when it is stale, and Keras again.

The recompute tests compare with real Keras (the session `keras` fixture): a layer built in a model by hand
must give the same output shape and weight counts as builder.generic_shapes.recompute.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from builder.files import project
from builder.inference.engine import ShapeInference, infer
from builder.inference.report import check_dict
from builder.inference.stored_shapes import stale_requests
from builder.keras.recompute import recompute, refresh_with_keras
from builder.model.document import Change, GraphDocument, InvalidParam
from tests.conftest import ROOT
from tests.main_in_process import run_main

RMS_CONFIG = {"axis": [1, 2, 3]}


def prelu_doc(size=7, inputs=True) -> GraphDocument:
    """x (size, size, 64) -> act (RMSNormalization over every axis, a generic node with 64*size*size weights) ->
    head (Dense 3). (PReLU played act's part until issue 17 made it a catalog layer.)"""
    stored = {"shape": [None, size, size, 64], "trainable": size * size * 64, "non_trainable": 0}
    if inputs:
        stored["inputs"] = [[None, size, size, 64]]
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [size, size, 64]})
    doc.add_node("act", "RMSNormalization", {}, config=dict(RMS_CONFIG), keras_shape=stored)
    doc.add_node("head", "Dense", {"units": 3})
    doc.connect("x", "act")
    doc.connect("act", "head")
    return doc


# ---- keras_shape validation -------------------------------------------------------------------------------

def test_keras_shape_with_inputs_round_trips_and_old_files_still_load():
    for inputs in (True, False):
        doc = prelu_doc(inputs=inputs)
        text = project.dumps(doc.graph)
        again = project.parse(text)
        assert project.dumps(again) == text
        assert ("inputs" in again.nodes["act"]["keras_shape"]) is inputs
        assert infer(again)["act"].shape == (None, 7, 7, 64)


@pytest.mark.parametrize(("stored", "fragment"), [
    ({"shape": [None, 4], "inputs": []}, "keras_shape.inputs: expected a list of 1 to"),
    ({"shape": [None, 4], "inputs": [[None, -1]]}, "keras_shape.inputs[0]: expected a list of sizes"),
    ({"shape": [None, 4], "inputs": "x"}, "keras_shape.inputs"),
    ({"shape": [None, 4], "inputs": [[None, 4]], "error": "no"}, "holds only the inputs"),
    ({"inputs": [[None, 4]], "error": ""}, "keras_shape.error"),
    ({"inputs": [[None, 4]], "error": "x" * 2001}, "keras_shape.error"),
    ({"error": "refused"}, "holds only the inputs"),
    ({"shape": [None, 4], "extra": 1}, "keras_shape: expected"),
])
def test_bad_keras_shape_is_refused(stored, fragment):
    doc = GraphDocument()
    with pytest.raises(InvalidParam, match=fragment.replace("[", r"\[")):
        doc.add_node("noise", "RMSNormalization", {}, keras_shape=stored)
    assert "noise" not in doc.graph


def test_project_reader_names_a_bad_inputs_entry():
    data = json.loads(project.dumps(prelu_doc().graph))
    data["nodes"][1]["keras_shape"]["inputs"] = [[None, "seven"]]
    with pytest.raises(project.ProjectError, match=r"nodes\[1\]\.keras_shape\.inputs\[0\]"):
        project.from_dict(data)


# ---- staleness ----------------------------------------------------------------------------------------------

def test_editing_what_feeds_a_generic_node_makes_it_stale_and_blocks_what_follows():
    doc = prelu_doc()
    engine = ShapeInference(doc)
    engine.update()
    assert engine.results["act"].shape == (None, 7, 7, 64) and engine.results["act"].params == 3136
    assert not engine.results["act"].stale

    doc.set_param("x", "shape", [14, 14, 64])
    engine.update()
    act, head = engine.results["act"], engine.results["head"]
    assert act.stale and act.shape is None
    assert act.error == ("act: its shape was computed by Keras for input (None, 7, 7, 64), but the input is now "
                         "(None, 14, 14, 64). Keras recomputes it in the app once Keras is loaded; on the command "
                         "line, run check --keras, or import the model again")
    assert head.blocked_by == "act" and head.error is None
    assert check_dict(doc)["nodes"]["act"]["stale"] is True
    assert engine.results == infer(doc.graph)  # incremental and full inference agree

    doc.set_param("x", "shape", [7, 7, 64])  # back to the inputs Keras saw: the stored shape holds again
    engine.update()
    assert not engine.results["act"].stale and engine.results["head"].shape == (None, 7, 7, 3)


def test_a_file_without_stored_inputs_keeps_its_shape_as_before():
    doc = prelu_doc(inputs=False)
    doc.set_param("x", "shape", [14, 14, 64])
    result = infer(doc.graph)["act"]
    assert result.shape == (None, 7, 7, 64) and not result.stale


def test_several_inputs_are_named_in_the_message():
    doc = GraphDocument()
    doc.add_node("a", "Input", {"shape": [4]})
    doc.add_node("b", "Input", {"shape": [4]})
    # A layer outside the catalog that takes several inputs (Minimum was one until issue 17).
    doc.add_node("low", "GroupQueryAttention", {}, keras_shape={"shape": [None, 4], "inputs": [[None, 4], [None, 4]]})
    doc.connect("a", "low")
    doc.connect("b", "low")
    assert infer(doc.graph)["low"].shape == (None, 4)
    doc.set_param("b", "shape", [5])
    error = infer(doc.graph)["low"].error
    assert "for inputs (None, 4) and (None, 4), but the inputs are now (None, 4) and (None, 5)" in error


def test_a_refusal_keras_gave_is_the_node_error_for_those_inputs_only():
    doc = prelu_doc()
    doc.set_keras_shape("act", {"inputs": [[None, 7, 7, 64]], "error": "ValueError: no, thanks"})
    result = infer(doc.graph)["act"]
    assert not result.stale
    assert result.error == ("act: Keras refuses RMSNormalization on input (None, 7, 7, 64): ValueError: no, thanks; change "
                            "what feeds it, or replace this layer")
    doc.set_param("x", "shape", [8, 8, 64])
    assert infer(doc.graph)["act"].stale


def test_wiring_a_generic_node_into_a_new_layer_updates_incrementally():
    doc = prelu_doc()
    engine = ShapeInference(doc)
    engine.update()
    doc.add_node("more", "Flatten", {})
    doc.connect("act", "more")  # act is touched (its warnings are re-read), not recomputed
    engine.update()
    assert engine.results["more"].shape == (None, 7 * 7 * 64)
    assert engine.results == infer(doc.graph)


def test_set_keras_shape_is_checked_and_announced():
    doc = prelu_doc()
    changes = []
    doc.subscribe(changes.append)
    same = dict(doc.graph.nodes["act"]["keras_shape"])
    doc.set_keras_shape("act", same)
    assert changes == []  # nothing changed, nothing announced
    new = {"shape": [None, 14, 14, 64], "trainable": 12544, "non_trainable": 0, "inputs": [[None, 14, 14, 64]]}
    doc.set_keras_shape("act", new)
    assert changes == [Change("keras_shape_changed", "act")]
    assert doc.graph.nodes["act"]["keras_shape"] == new
    with pytest.raises(InvalidParam, match="only layers outside the catalog"):
        doc.set_keras_shape("head", new)
    with pytest.raises(InvalidParam, match="act: keras_shape.shape"):
        doc.set_keras_shape("act", {"shape": "big"})
    assert doc.graph.nodes["act"]["keras_shape"] == new


def test_stale_requests_are_plain_copies_in_document_order():
    doc = prelu_doc()
    doc.set_param("x", "shape", [3, 3, 64])
    requests = stale_requests(doc.graph, infer(doc.graph))
    assert requests == [{"node": "act", "layer": "RMSNormalization", "config": RMS_CONFIG,
                         "inputs": [[None, 3, 3, 64]]}]
    requests[0]["config"]["x"] = 1
    assert doc.graph.nodes["act"]["config"] == RMS_CONFIG


# ---- recomputing with Keras -----------------------------------------------------------------------------------

def _keras_facts(keras, layer, shapes):
    tensors = [keras.Input(batch_shape=tuple(s)) for s in shapes]
    out = layer(tensors if len(tensors) > 1 else tensors[0])
    return {"shape": list(out.shape), "trainable": sum(int(w.numpy().size) for w in layer.trainable_weights),
            "non_trainable": sum(int(w.numpy().size) for w in layer.non_trainable_weights),
            "inputs": [list(s) for s in shapes]}


@pytest.mark.parametrize(("layer", "config", "inputs", "make"), [
    ("PReLU", {}, [[None, 14, 14, 64]], lambda k: k.layers.PReLU()),
    ("PReLU", {"shared_axes": [1, 2]}, [[None, 9, 5, 16]], lambda k: k.layers.PReLU(shared_axes=[1, 2])),
    ("GaussianNoise", {"stddev": 0.1}, [[None, 5, 3]], lambda k: k.layers.GaussianNoise(0.1)),
    ("SpatialDropout2D", {"rate": 0.2}, [[None, 6, 6, 8]], lambda k: k.layers.SpatialDropout2D(0.2)),
    ("Conv3D", {"filters": 4, "kernel_size": [3, 3, 3]}, [[None, 8, 7, 7, 2]],
     lambda k: k.layers.Conv3D(4, 3)),
    ("GroupNormalization", {"groups": 4}, [[None, 6, 6, 8]], lambda k: k.layers.GroupNormalization(4)),
    ("Minimum", {}, [[None, 4], [None, 4]], lambda k: k.layers.Minimum()),
    ("ELU", {"alpha": 0.5}, [[None, None, 3]], lambda k: k.layers.ELU(0.5)),
])
def test_recompute_gives_what_keras_gives(keras, layer, config, inputs, make):
    assert recompute("node", layer, config, inputs) == _keras_facts(keras, make(keras), inputs)


def test_keras_refusals_come_back_as_the_node_error(keras):
    refused = recompute("c3", "Conv3D", {"filters": 4, "kernel_size": [3, 3, 3]}, [[None, 7, 7, 64]])
    assert set(refused) == {"inputs", "error"} and refused["inputs"] == [[None, 7, 7, 64]]
    assert "expected min_ndim=5, found ndim=4" in refused["error"]
    doc = prelu_doc()
    doc.set_keras_shape("act", {"inputs": [[None, 7, 7, 64]], "error": refused["error"]})  # a valid keras_shape


def test_recompute_refuses_custom_objects_and_unknown_layers_without_keras_running_them(keras):
    evil = {"layer": {"module": "my_package", "class_name": "Evil", "config": {}, "registered_name": "my>Evil"}}
    answer = recompute("wrap", "SpectralNormalization", evil, [[None, 4, 3]])
    assert "custom object" in answer["error"] and "Evil" in answer["error"]
    lam = {"layer": {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "l", "function": "x"}}}
    assert "Lambda" in recompute("wrap", "SpectralNormalization", lam, [[None, 4, 3]])["error"]
    assert "not a built-in Keras layer" in recompute("n", "Lambda", {}, [[None, 3]])["error"]


def test_refresh_with_keras_recomputes_a_chain_of_generic_nodes(keras):
    doc = prelu_doc()
    doc.add_node("noise", "RMSNormalization", {}, config={"epsilon": 0.1},
                 keras_shape={"shape": [None, 7, 7, 64], "inputs": [[None, 7, 7, 64]]})
    doc.disconnect("act", "head", 0)
    doc.connect("act", "noise")
    doc.connect("noise", "head")
    doc.set_param("x", "shape", [5, 5, 64])
    graph = doc.graph
    assert refresh_with_keras(graph) == ["act", "noise"]  # noise was blocked by act, then stale in its turn
    results = infer(graph)
    assert results["act"].params == 5 * 5 * 64 and results["head"].shape == (None, 5, 5, 3)
    assert graph.nodes["noise"]["keras_shape"]["inputs"] == [[None, 5, 5, 64]]
    assert refresh_with_keras(graph) == []


def test_check_names_a_stale_node_without_tensorflow_and_recomputes_it_with_keras(keras, tmp_path, capsys):
    doc = prelu_doc()
    doc.set_param("x", "shape", [14, 14, 64])
    path = tmp_path / "stale.json"
    project.write(doc.graph, path)
    probe = ("import sys, main\ncode = main.main(['check', sys.argv[1]])\n"
             "print('tensorflow' in sys.modules or 'keras' in sys.modules, code)")
    plain = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, cwd=ROOT,
                           timeout=120, check=False)
    assert plain.stdout.splitlines()[-1] == "False 1"  # an error, and TensorFlow never loaded
    assert "act: its shape was computed by Keras for input (None, 7, 7, 64)" in plain.stdout
    assert "ERROR (stale)" in plain.stdout and "waits on act" in plain.stdout
    done = run_main(capsys, "check", "--keras", path, "--json")  # Keras is loaded here already
    assert done.returncode == 0, done.stderr
    assert "recomputed with Keras: act" in done.stderr
    nodes = json.loads(done.stdout)["nodes"]
    assert "stale" not in nodes["act"]
    assert nodes["act"]["params"] == 14 * 14 * 64 and nodes["head"]["shape"] == [None, 14, 14, 3]
    assert json.loads(path.read_text())["nodes"][1]["keras_shape"]["inputs"] == [[None, 7, 7, 64]]  # unchanged


def wrapper_model(keras):
    inp = keras.Input((6, 6, 8), name="x")
    y = keras.layers.RMSNormalization(name="norm")(inp)
    y = keras.layers.PReLU(shared_axes=[1, 2], name="prelu")(y)
    y = keras.layers.Reshape((36, 8), name="seq")(y)
    # A wrapper outside the catalog (Bidirectional and TimeDistributed are catalog layers since issue 17), with a
    # weight that is not trained (its power-iteration vector).
    y = keras.layers.SpectralNormalization(keras.layers.Dense(3), name="sn")(y)
    y = keras.layers.TimeDistributed(keras.layers.Dense(2), name="td")(y)
    return keras.Model(inp, y)


def test_recompute_agrees_with_the_importer_and_wrappers_forget_their_old_build(keras, tmp_path):
    from builder.keras.importer import import_model

    path = tmp_path / "wrappers.keras"
    wrapper_model(keras).save(path)
    graph = import_model(path).graph
    generic = {n: d for n, d in graph.nodes(data=True) if "keras_shape" in d}
    assert set(generic) == {"norm", "sn"}  # prelu and td: catalog layers since issue 17
    for node, data in generic.items():  # the same inputs give what the importer stored
        assert recompute(node, data["layer"], data.get("config") or {}, data["keras_shape"]["inputs"]) \
            == data["keras_shape"], node
    # The wrapped layer's config holds the build of the imported model (8 features); new inputs must give the
    # weights a fresh layer has for them, not those of that build.
    sn = recompute("sn", "SpectralNormalization", graph.nodes["sn"]["config"], [[None, 20, 5]])
    assert sn == _keras_facts(keras, keras.layers.SpectralNormalization(keras.layers.Dense(3)), [[None, 20, 5]])
