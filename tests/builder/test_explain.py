"""Explanations: every line's number is the inferred size or count, and its formula computes that number.

Checked over Keras's own layer-test cases (every catalog layer: keras_layer_cases.json), over the agreement test's
generated graphs, and on the issue's examples word for word. The explanation is the rule's own arithmetic
(builder/catalog/rules/terms.py), so these tests fail if a rule's number and its text ever part.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings

import builder
from builder.catalog.rules.terms import Term, tracing
from builder.catalog.specs import SPECS
from builder.explain import explain_graph, explain_node
from builder.inference.engine import infer
from tests.builder.graph_strategy import describe, graphs
from tests.builder.small_graphs import wired_graph
from tests.builder.test_keras_layer_tests import CASES, NODE, graph_for
from tests.conftest import EXAMPLES

_ALLOWED = re.compile(r"^[0-9+\-*/(). _a-z,]*$")


def evaluate(formula: str) -> int:
    """The value of a formula as explanations write it: labels dropped, × − floor ceil read as Python."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", formula).replace("×", "*").replace("−", "-")
    text = re.sub(r"\([^()0-9]*\)", " ", text)  # parenthesised labels: "(γ and β)"
    text = re.sub(r"\b(?!floor\b|ceil\b|max\b)[A-Za-z_](?:[A-Za-z_-]*[A-Za-z_])?", " ", text)  # word labels: "units", "biases"
    assert _ALLOWED.match(text), (formula, text)
    value = eval(text, {"__builtins__": {}}, {"floor": math.floor, "ceil": math.ceil, "max": max})
    assert value == int(value)
    return int(value)


def _check_line(line: str, expected) -> None:
    head = line.split(";")[0]
    number, _sep, rest = head.partition(" = ") if " = " in head.split(":")[0] else (head.split(":")[0], "", "")
    shown = "None" if expected is None else f"{expected:,}"
    assert number.strip() == shown, (line, expected)
    if rest:
        formula = rest.split(" along axis")[0]
        assert evaluate(formula) == expected, line


def check_explanations(graph) -> int:
    """Assert every node's explanation agrees with inference; returns how many nodes were explained."""
    results = infer(graph)
    explained = 0
    for node, explanation in explain_graph(graph, results).items():
        result = results[node]
        if result.shape is None:
            assert explanation.error and not explanation.shape
            continue
        explained += 1
        assert explanation.error is None, explanation.error  # the traced rule ran and agreed with inference
        assert len(explanation.shape) == len(result.shape), explanation
        for line, size in zip(explanation.shape, result.shape):
            _check_line(line, size)
        _check_line(explanation.params[0], result.params)
        if len(explanation.params) == 3:
            _check_line(explanation.params[1], result.trainable)
            _check_line(explanation.params[2], result.non_trainable)
    assert not tracing()
    return explained


def test_every_catalog_layer_is_explained_on_keras_s_own_test_cases():
    seen = set()
    for case in CASES:
        graph = graph_for(case)
        if infer(graph)[NODE].shape is None:
            continue
        check_explanations(graph)
        seen.add(case["layer"])
    layers = {spec.name for spec in SPECS if not spec.is_input}
    assert layers - seen == set()


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(graphs())
def test_explanations_agree_with_inference_on_generated_graphs(graph):
    try:
        check_explanations(graph)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{describe(graph)}") from None


def test_the_issue_s_examples_word_for_word():
    graph = builder.load(EXAMPLES / "shape_mismatch.json")
    assert explain_node(graph, "conv_3x3").shape[1] == "26 = floor((28 − 3) / 1) + 1"
    for node in ("conv_3x3", "conv_5x5", "conv_7x7"):
        graph.nodes[node]["params"]["padding"] = "same"
    assert explain_node(graph, "conv_5x5").shape[2] == "28 = ceil(28 / 1)"
    assert explain_node(graph, "merged").shape[3] == ("96 = 32 + 32 + 32 along axis -1; the other sizes must be "
                                                       "equal: 28 = 28 = 28, 28 = 28 = 28")
    assert explain_node(graph, "merged").params == ("0: Concatenate only joins tensors; it has no weights",)
    assert explain_node(graph, "flatten").shape[1] == "75,264 = 28 × 28 × 96"
    graph.nodes["dense"]["params"]["units"] = 10
    assert explain_node(graph, "dense").params == ("752,650 = 75,264 inputs × 10 units + 10 biases",)


def test_dilation_strides_batch_normalization_and_lstm():
    graph = wired_graph(("x", "Input", {"shape": [28, 28, 4]}),
                   ("conv", "Conv2D", {"filters": 32, "kernel_size": 3, "dilation_rate": 2}),
                   ("strided", "Conv2D", {"filters": 8, "kernel_size": 5, "strides": 2}),
                   ("bn", "BatchNormalization", {}),
                   ("seq", "Input", {"shape": [10, 16]}), ("lstm", "LSTM", {"units": 32}),
                   edges=[("x", "conv", 0), ("conv", "strided", 0), ("conv", "bn", 0), ("seq", "lstm", 0)])
    assert explain_node(graph, "conv").shape[1] == "24 = floor((28 − 2 × (3 − 1) − 1) / 1) + 1"
    assert explain_node(graph, "strided").shape[1] == "10 = floor((24 − 5) / 2) + 1"
    assert explain_node(graph, "bn").params == (
        "128 = 64 trainable + 64 non-trainable",
        "64 = 2 (γ and β) × 32 channels; trainable",
        "64 = 2 (moving mean and variance) × 32 channels; not trainable")
    assert explain_node(graph, "lstm").params == ("6,272 = 4 gates × (32 units × (16 inputs + 32 units) + 32 biases)",)
    assert explain_node(graph, "lstm").shape[1] == "32: the units parameter of lstm"
    assert check_explanations(graph) == 6


def test_inference_itself_makes_plain_ints_and_an_error_node_says_why_it_has_no_derivation():
    graph = builder.load(EXAMPLES / "shape_mismatch.json")
    results = infer(graph)
    assert all(type(d) is int for r in results.values() if r.shape for d in r.shape if d is not None)
    assert all(type(r.trainable) is int for r in results.values())
    assert not any(isinstance(r.trainable, Term) for r in results.values())
    merged = explain_node(graph, "merged", results)
    assert merged.shape == () and "needs equal sizes" in merged.error
    assert "waits on merged" in explain_node(graph, "flatten", results).error


@pytest.mark.parametrize("example", ["cnn_28x28_three_kernels", "dense_branches", "two_inputs", "relu_tanh_fusion"])
def test_the_bundled_examples_are_explained(example):
    assert check_explanations(builder.load(EXAMPLES / f"{example}.json")) > 0
