"""The table-driven rule tests' shared parts: a row (layer, params, input shapes -> output shape or a fragment of
the error), the one-node graph a row stands for, and the two checks every row gets: our inference gives the
row's answer, and real Keras gives it too (through tests/builder/keras_oracle.py). Used by test_shape_rules.py,
test_op_rules.py, test_keras_layer_tests.py (Keras's own layer-test cases) and test_wrappers.py.
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx

from builder.inference.engine import infer

NODE = "x"


class Row(NamedTuple):
    layer: str
    params: dict
    inputs: list  # shapes per sample, as keras.Input(shape=...) takes them; an int i: input number i again
    expect: tuple | str  # the output shape (batch included, None for unknown), or a fragment of the error message
    weights: tuple | None = None  # (trainable, non_trainable)
    keras_accepts: bool = False  # a deliberate difference: Keras builds and runs it, we refuse it (see `why`)
    why: str = ""


def node_graph(layer: str, params: dict, inputs) -> nx.MultiDiGraph:
    """Inputs in0, in1, ... feeding the node NODE, in port order (an int repeats an earlier input)."""
    graph = nx.MultiDiGraph()
    sources = []
    for i, item in enumerate(inputs):
        if isinstance(item, int):
            sources.append(sources[item])
            continue
        graph.add_node(f"in{i}", layer="Input", params={"shape": list(item)})
        sources.append(f"in{i}")
    graph.add_node(NODE, layer=layer, params=dict(params))
    for port, source in enumerate(sources):
        graph.add_edge(source, NODE, port=port)
    return graph


def graph_for(row: Row) -> nx.MultiDiGraph:
    return node_graph(row.layer, row.params, row.inputs)


def assert_inference_gives(row: Row, weights: tuple | None = None) -> None:
    """Our inference gives the row's shape (and weights: the row's, else `weights` when given), or an error on
    the node that starts with its id and holds the row's fragment."""
    result = infer(graph_for(row))[NODE]
    if isinstance(row.expect, str):
        assert result.error and result.error.startswith(f"{NODE}: ") and row.expect in result.error, result
        assert result.shape is None
        return
    assert result.error is None and result.shape == row.expect, result
    expected_weights = row.weights if row.weights is not None else weights
    if expected_weights is not None:
        assert (result.trainable, result.non_trainable) == expected_weights, result


def assert_keras_gives(keras, row: Row) -> None:
    """Keras, judged by the oracle, gives the row's answer: refuses it, or builds it with the row's shape (and
    weights when the row has them)."""
    from tests.builder.keras_oracle import judge

    verdict = judge(keras, graph_for(row), suspects={NODE})[0][NODE]
    if isinstance(row.expect, str):
        assert verdict.status == "error", verdict
        return
    assert verdict.status == "ok" and verdict.shape == row.expect, verdict
    if row.weights is not None:
        assert (verdict.trainable, verdict.non_trainable) == row.weights, verdict


def assert_agrees_with_keras(keras, graph: nx.MultiDiGraph) -> None:
    """For a graph whose answer no table gives: our result on NODE is Keras's (an error where Keras refuses it,
    else the same shape and the same trainable / non-trainable split)."""
    from tests.builder.keras_oracle import judge

    verdict = judge(keras, graph, suspects={NODE})[0][NODE]
    ours = infer(graph)[NODE]
    if verdict.status == "error":
        assert ours.error and ours.error.startswith(f"{NODE}: "), f"Keras refuses it ({verdict.reason[:300]}), we {ours}"
        return
    assert ours.error is None, f"Keras gives {verdict.shape}, we: {ours.error}"
    assert ours.shape == verdict.shape, f"Keras gives {verdict.shape}, we {ours}"
    assert (ours.trainable, ours.non_trainable) == (verdict.trainable, verdict.non_trainable), ours
