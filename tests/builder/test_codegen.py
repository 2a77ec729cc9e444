"""Code export: both styles, only non-default params, clean under ruff, injection-proof, and the exported
script, when run, builds the same model as builder.build_model."""

from __future__ import annotations

import ast
import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import builder
from builder.keras.code_export import export_code, literal, string_literal, variable_names
from builder.keras.plan import ModelError
from builder.model.document import GraphDocument, InvalidName
from tests.builder.samples import cnn_branches, dense_merges

RUFF = Path(sys.executable).with_name("ruff")
_counter = itertools.count()


def body(code: str) -> list[str]:
    lines = code.splitlines()
    start = lines.index("def build_model():") + 1
    return [line.strip() for line in lines[start:lines.index("", start)]]


def run_exported(code: str, folder: Path):
    """Import the script as a module from a file (so `__main__` code does not run) and call build_model()."""
    path = folder / f"exported_{next(_counter)}.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_model()


def ruff_problems(code: str, folder: Path) -> str:
    path = folder / f"ruff_{next(_counter)}.py"
    path.write_text(code, encoding="utf-8")
    outputs = []
    for extra in ([], ["--select", "E,F,W,B", "--ignore", "E501"]):
        result = subprocess.run([str(RUFF), "check", "--no-cache", "--isolated", *extra, str(path)],
                                check=False, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            outputs.append(result.stdout + result.stderr)
    return "\n".join(outputs)


# ---- the text --------------------------------------------------------------------------------------------

def test_layer_style_writes_merge_layers_called_on_a_list():
    lines = body(export_code(cnn_branches(), "layer"))
    assert lines == [
        'image = keras.Input(shape=(28, 28, 1), name="image")',
        'conv_3x3 = layers.Conv2D(filters=4, kernel_size=3, padding="same", activation="relu", name="conv_3x3")(image)',
        'conv_5x5 = layers.Conv2D(filters=4, kernel_size=(5, 5), padding="same", name="conv_5x5")(image)',
        'merged = layers.Concatenate(axis=-1, name="merged")([conv_3x3, conv_5x5])',
        'flat = layers.Flatten(name="flat")(merged)',
        'classes = layers.Dense(units=10, activation="softmax", name="classes")(flat)',
        "return keras.Model(inputs=image, outputs=classes)",
    ]


def test_function_style_writes_concatenate_and_add_functions():
    lines = body(export_code(dense_merges(), "function"))
    assert 'cat = layers.concatenate([a, b, a], axis=-1, name="cat")' in lines
    assert 'sum_ = layers.add([a, b], name="sum")' in lines
    assert lines[-1] == "return keras.Model(inputs=[left, right], outputs=[head, aux])"
    layer_lines = body(export_code(dense_merges(), "layer"))
    assert 'cat = layers.Concatenate(axis=-1, name="cat")([a, b, a])' in layer_lines
    assert 'sum_ = layers.Add(name="sum")([a, b])' in layer_lines


def test_the_script_imports_keras_only_and_builds_under_main():
    code = export_code(cnn_branches())
    tree = ast.parse(code)
    imports = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == ["import keras", "from keras import layers"]
    assert code.endswith('if __name__ == "__main__":\n    model = build_model()\n    model.summary()\n')
    assert code == export_code(cnn_branches().graph, style="layer")  # deterministic, document or graph


def test_only_params_that_differ_from_keras_defaults_are_written():
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [8, 8, 3]})
    doc.add_node("conv", "Conv2D", {"filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
                                    "dilation_rate": 1, "groups": 1, "activation": None, "use_bias": True})
    doc.add_node("bn", "BatchNormalization", {"axis": -1, "momentum": 0.9, "epsilon": 0.001, "center": True,
                                              "scale": False})
    doc.add_node("pool", "MaxPooling2D", {"pool_size": [2, 2], "strides": None, "padding": "valid"})
    doc.add_node("gap", "GlobalAveragePooling2D", {"keepdims": False})
    doc.add_node("cat", "Concatenate", {})
    for source, target in [("x", "conv"), ("conv", "bn"), ("bn", "pool"), ("pool", "gap"), ("gap", "cat")]:
        doc.connect(source, target)
    lines = body(export_code(doc))
    assert 'conv = layers.Conv2D(filters=4, kernel_size=(3, 3), name="conv")(x)' in lines
    assert 'bn = layers.BatchNormalization(momentum=0.9, scale=False, name="bn")(conv)' in lines
    assert 'pool = layers.MaxPooling2D(name="pool")(bn)' in lines
    assert 'gap = layers.GlobalAveragePooling2D(name="gap")(pool)' in lines
    assert 'cat = layers.Concatenate(axis=-1, name="cat")([gap])' in lines  # the axis is always shown


def test_unknown_style_and_graphs_with_errors_are_refused():
    with pytest.raises(ValueError, match="unknown style 'functional'"):
        export_code(cnn_branches(), "functional")
    doc = cnn_branches()
    doc.set_param("conv_5x5", "padding", "valid")
    messages = [r.error for r in builder.infer(doc).values() if r.error]
    with pytest.raises(ModelError) as caught:
        export_code(doc)
    assert caught.value.errors == messages and "set padding='same'" in messages[0]


def test_variable_names_are_unique_identifiers_and_never_keywords_or_script_names():
    ids = ["a-b", "a_b", "A_B", "class", "import", "None", "True", "match", "_", "__name__", "1st", "été", "🙂",
           "keras", "layers", "model", "build_model", "inputs", "print", "x_2", "x", "x!"]
    names = variable_names(ids)
    assert names["a-b"] == "a_b" and names["a_b"] == "a_b_2" and names["A_B"] == "a_b_3"
    assert names["class"] == "class_" and names["keras"] == "keras_" and names["1st"] == "x_1st"
    assert len(set(names.values())) == len(ids)
    for name in names.values():
        assert name.isidentifier() and name.isascii()
        assert name not in {"keras", "layers", "model", "build_model", "None", "True", "print"}
        assert not __import__("keyword").iskeyword(name)


@given(st.text())
def test_string_literals_read_back_as_the_same_text(text):
    source = string_literal(text)
    assert source.isascii() and "\n" not in source
    assert ast.literal_eval(source) == text


def test_literals_of_values():
    assert literal([28, None, 1]) == "(28, None, 1)"
    assert literal([3]) == "(3,)"
    assert literal(1e-05) == "1e-05" and literal(True) == "True" and literal(-1) == "-1"
    with pytest.raises(ValueError):
        literal(float("nan"))
    # Dicts are Keras configs carried by imported nodes (initializers...): keys escaped like any text.
    assert literal({"a": 1, 'say "hi"': [1, 2]}) == '{"a": 1, "say \\"hi\\"": (1, 2)}'
    with pytest.raises(ModelError):
        literal({1, 2})


# ---- injection -------------------------------------------------------------------------------------------

PAYLOAD = "__import__('os').system('touch MARKER')"
HOSTILE_IDS = ['say "hi"', "back\\slash", "tail\\", "été", "🙂 emoji", "class", "import", "None", "a-b", "a_b",
               "keras", "layers", "model", "build_model", "inputs", PAYLOAD, "x = 1; import os", '"""', "'''",
               "# comment", "{name}", "%s", "\\n", "1st", "__name__"]


def hostile_doc() -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("in", "Input", {"shape": [4]})
    previous = "in"
    for node in HOSTILE_IDS:
        doc.add_node(node, "Dense", {"units": 2})
        doc.connect(previous, node)
        previous = node
    doc.add_node("exec", "Concatenate")
    doc.connect(PAYLOAD, "exec")
    doc.connect("in", "exec")
    doc.connect("class", "exec")
    return doc


def test_ids_with_line_breaks_are_refused_before_they_reach_code():
    doc = hostile_doc()
    for bad in ["x\ny", "x\r\nimport os", "a\u2028b", "a/b"]:
        with pytest.raises(InvalidName):
            doc.add_node(bad, "Dense", {"units": 1})
        with pytest.raises(InvalidName):
            doc.rename("class", bad)


def test_hand_built_graphs_with_bad_ids_or_values_are_refused_not_exported():
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4]})
    graph.add_node("a\nimport os", layer="Dense", params={"units": 2})
    graph.add_edge("x", "a\nimport os", port=0)
    with pytest.raises(ModelError, match="invalid id"):
        export_code(graph)
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4]})
    graph.add_node("d", layer="Dense", params={"units": 2, "activation": f'relu"); {PAYLOAD}; ("'})
    graph.add_edge("x", "d", port=0)
    with pytest.raises(ModelError, match="d: activation: expected one of"):
        export_code(graph)


@pytest.mark.parametrize("style", ["layer", "function"])
def test_hostile_ids_export_as_inert_text_that_passes_ruff(tmp_path, style):
    code = export_code(hostile_doc(), style)
    assert code.isascii()
    compile(code, "exported.py", "exec")
    assert ruff_problems(code, tmp_path) == ""
    strings = {n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert set(HOSTILE_IDS) <= strings
    allowed = {"keras.Input", "keras.Model", "layers.Dense", "layers.Concatenate", "layers.concatenate",
               "build_model", "model.summary"}
    for call in (n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)):
        assert isinstance(call.func, ast.Call) or ast.unparse(call.func) in allowed, ast.unparse(call)


# ---- running the script ----------------------------------------------------------------------------------

def kitchen_sink() -> GraphDocument:
    """Every catalog layer, defaults written out explicitly, two inputs, two outputs, a merge fed twice."""
    doc = GraphDocument()
    nodes = [
        ("in_a", "Input", {"shape": [8, 8, 3]}),
        ("conv", "Conv2D", {"filters": 4, "kernel_size": 3, "strides": 1, "padding": "same",
                            "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": True}),
        ("bn", "BatchNormalization", {"momentum": 0.9, "center": False, "axis": -1}),
        ("pool", "MaxPooling2D", {"pool_size": [2, 2], "strides": None}),
        ("avg", "AveragePooling2D", {"pool_size": 2, "strides": 1, "padding": "same"}),
        ("act", "Activation", {"activation": "tanh"}),
        ("drop", "Dropout", {"rate": 0.25}),
        ("gap", "GlobalAveragePooling2D", {"keepdims": False}),
        ("flat", "Flatten", {}),
        ("dense_flat", "Dense", {"units": 4, "use_bias": False}),
        ("sum", "Add", {}),
        ("in_b", "Input", {"shape": [4]}),
        ("cat", "Concatenate", {"axis": -1}),
        ("out", "Dense", {"units": 2, "activation": "softmax"}),
        ("reshaped", "Reshape", {"target_shape": [3, -1]}),
    ]
    for node, layer, params in nodes:
        doc.add_node(node, layer, params)
    wires = [("in_a", "conv"), ("conv", "bn"), ("bn", "pool"), ("conv", "avg"), ("pool", "act"), ("act", "drop"),
             ("drop", "gap"), ("avg", "flat"), ("flat", "dense_flat"), ("dense_flat", "sum"), ("gap", "sum"),
             ("sum", "cat"), ("in_b", "cat"), ("sum", "cat"), ("cat", "out"), ("cat", "reshaped")]
    for source, target in wires:
        doc.connect(source, target)
    return doc


def _inbound(node) -> list[str]:
    found = []

    def walk(value):
        if isinstance(value, dict):
            history = value.get("config", {}).get("keras_history") if isinstance(value.get("config"), dict) else None
            if history:
                found.append(history[0])
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
    walk(node)
    return found


def signature(model) -> dict:
    config = model.get_config()
    wiring = {entry["name"]: _inbound(entry["inbound_nodes"]) for entry in config["layers"]}
    return {
        "layers": [(layer.name, type(layer).__name__, layer.get_config()) for layer in model.layers],
        "wiring": wiring,
        "inputs": config["input_layers"], "outputs": config["output_layers"],
        "params": model.count_params(),
    }


@pytest.mark.parametrize("make", [kitchen_sink, hostile_doc])
def test_running_the_exported_script_builds_the_same_model(keras, tmp_path, monkeypatch, make):
    monkeypatch.chdir(tmp_path)
    doc = make()
    expected = signature(builder.build_model(doc))
    assert expected["params"] == sum(r.params for r in builder.infer(doc).values())
    for style in ("layer", "function"):
        code = export_code(doc, style)
        assert ruff_problems(code, tmp_path) == ""
        assert signature(run_exported(code, tmp_path)) == expected
    assert not (tmp_path / "MARKER").exists()
    if make is kitchen_sink:
        assert expected["wiring"]["cat"] == ["sum", "in_b", "sum"]
        assert expected["wiring"]["sum"] == ["dense_flat", "gap"]
        assert expected["inputs"] == [["in_a", 0, 0], ["in_b", 0, 0]]
        assert expected["outputs"] == [["out", 0, 0], ["reshaped", 0, 0]]
