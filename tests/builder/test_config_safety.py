"""A node's Keras `config` can never make anything run: serialized objects that are not Keras's own are refused
when the project is read (naming the node), and Keras itself, in safe mode, refuses them as a second line.

Each hostile object would run `touch MARKER` if something imported its module or evaluated its text; every test
checks that the marker file never appears.
"""

from __future__ import annotations

import json

import pytest

from builder.files import project
from builder.model.document import GraphDocument, InvalidParam


def hostile_objects(marker) -> dict[str, dict]:
    command = f"touch {marker}"
    return {
        "os.system": {"module": "os", "class_name": "system", "config": {"command": command}},
        "builtins.eval": {"module": "builtins", "class_name": "eval", "config": f"__import__('os').system('{command}')"},
        "subprocess.Popen": {"module": "subprocess", "class_name": "Popen", "config": {"args": ["touch", str(marker)]}},
        "function from os": {"module": "os", "class_name": "function", "config": "system", "registered_name": None},
        "builtins function with code": {"module": "builtins", "class_name": "function",
                                        "config": f"__import__('os').system('{command}')"},
        "lambda": {"class_name": "__lambda__", "config": {"code": "YQ==", "defaults": None, "closure": None}},
        "custom registered": {"module": None, "class_name": "Evil", "config": {}, "registered_name": "evil>Evil"},
        "module not text": {"module": ["os"], "class_name": "system", "config": {}},
    }


NAMES = list(hostile_objects("m"))


def project_with(config: dict) -> dict:
    return {"format": project.FORMAT, "version": project.VERSION,
            "nodes": [{"id": "x", "layer": "Input", "params": {"shape": [4]}},
                      {"id": "dense", "layer": "Dense", "params": {"units": 3}, "config": config}],
            "edges": [{"source": "x", "target": "dense"}]}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("argument", ["kernel_initializer", "kernel_regularizer", "kernel_constraint", "dtype"])
def test_a_project_naming_a_non_keras_object_is_refused_with_the_node_and_argument(tmp_path, name, argument):
    marker = tmp_path / "marker"
    hostile = hostile_objects(marker)[name]
    for config in ({argument: hostile}, {argument: {"class_name": "L2", "config": {"nested": hostile}}}):
        with pytest.raises(project.ProjectError) as caught:
            project.from_dict(project_with(config))
        assert f"nodes[1].config.{argument}" in str(caught.value)
        doc = GraphDocument()
        doc.add_node("x", "Input", {"shape": [4]})
        with pytest.raises(InvalidParam, match=f"config.{argument}"):
            doc.add_node("dense", "Dense", {"units": 3}, config=config)
        assert "dense" not in doc.graph
    assert not marker.exists()


def test_keras_s_own_serialized_objects_are_accepted_and_build(keras):
    """What Keras writes for its own initializers, regularizers, constraints, dtype policies and functions."""
    from builder.keras.build import build_model

    serialize = keras.saving.serialize_keras_object
    config = {"kernel_initializer": serialize(keras.initializers.GlorotUniform(seed=1)),
              "kernel_regularizer": serialize(keras.regularizers.L2(0.1)),
              "kernel_constraint": serialize(keras.constraints.MaxNorm(2)),
              "dtype": serialize(keras.DTypePolicy("float32")),
              "bias_initializer": serialize(keras.initializers.Zeros())}
    assert serialize(keras.activations.relu)["module"] == "builtins"  # the form the rule lets through
    graph = project.from_dict(json.loads(json.dumps(project_with(config))))
    layer = build_model(graph).get_layer("dense")
    assert type(layer.kernel_regularizer).__name__ == "L2" and type(layer.kernel_constraint).__name__ == "MaxNorm"


@pytest.mark.parametrize("name", NAMES)
def test_keras_itself_refuses_the_same_objects_without_running_anything(keras, tmp_path, name):
    """The second line: if a config ever got past the reader, Keras's safe deserialization stops it too."""
    marker = tmp_path / "marker"
    hostile = hostile_objects(marker)[name]
    attempts = [
        lambda: keras.layers.Dense(3, kernel_initializer=hostile)(keras.Input((4,))),
        lambda: keras.layers.Dense(3, kernel_regularizer=hostile)(keras.Input((4,))),
        lambda: keras.layers.Dense(3, activation=hostile)(keras.Input((4,))),
        lambda: keras.layers.deserialize({"class_name": "Dense", "config": {"units": 3, "kernel_initializer": hostile}}),
        lambda: keras.layers.deserialize(hostile),
    ]
    for attempt in attempts:
        try:
            attempt()
        except Exception:  # noqa: BLE001, S110 -- Keras's refusal takes several forms; what matters is the marker
            pass
        else:
            # Keras accepted the object (an activation named by text it knows): it must still be Keras's own.
            assert hostile.get("module") in (None, "builtins") and "(" not in str(hostile.get("config"))
    assert not marker.exists()
