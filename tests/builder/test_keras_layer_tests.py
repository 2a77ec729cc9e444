"""Keras's own layer tests as a table: every catalog layer, built and called in keras/src/layers/**/*_test.py.

keras_layer_cases.json was mined by running Keras 3's layer tests with a recorder around each catalog layer's
constructor and call: the arguments (initializers, regularizers and constraints dropped: they change no shape),
the input shapes (batch dropped) and what Keras did: the output shape, or where it refused ("constructor" or
"call"). Calls with a mask or other call arguments, layers used with arguments the catalog lacks (lora_rank,
renorm_clipping, return_state, attention_axes...) and layers given a list they do not take were left out.
Attention layers' inputs are recorded in their call's order: query, value, key (ports 0, 1, 2). A case with `deliberate` is a
known, documented difference, with its reason.

The cases of Bidirectional, TimeDistributed, Normalization, renorm_clipping and attention_axes (27) were mined
later with tests/builder/mine_layer_cases.py, which says how to run it again.

Each case is compared twice: with what Keras did in its own test (the recorded verdict), and with real Keras
now, through the oracle of the agreement test (keras_oracle.judge: built, traced and run on zeros): in the
default run up to six cases of each layer, with `-m slow` (make long-agreement) every case.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

pytestmark = pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`:UserWarning")

from builder.inference.engine import infer
from tests.builder.rule_rows import NODE, assert_agrees_with_keras, node_graph

CASES = json.loads((Path(__file__).with_name("keras_layer_cases.json")).read_text())


def graph_for(case) -> nx.MultiDiGraph:
    return node_graph(case["layer"], case["params"], case.get("inputs", []))


def ours(case):
    """("error", message) or ("ok", shape as a list) for the case's node."""
    result = infer(graph_for(case))[NODE]
    if result.error:
        return "error", result.error
    return "ok", None if result.shape is None else list(result.shape)


def _id(index):
    case = CASES[index]
    return f"{index}-{case['layer']}"


def test_the_cases_cover_every_layer_of_the_catalog_s_spatial_families():
    counts = Counter(case["layer"] for case in CASES)
    for layer in ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
                  "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "MaxPooling3D",
                  "AveragePooling1D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalAveragePooling3D",
                  "Cropping1D", "Cropping3D", "ZeroPadding1D", "ZeroPadding3D", "UpSampling1D", "UpSampling3D",
                  "Minimum", "Dot", "Masking", "ELU", "LeakyReLU", "PReLU", "Softmax", "MultiHeadAttention",
                  "Attention", "AdditiveAttention", "GroupNormalization", "SimpleRNN", "Resizing", "CenterCrop",
                  "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast",
                  "RandomBrightness", "Bidirectional", "TimeDistributed", "Normalization"):
        assert counts[layer] >= 2, layer


@pytest.mark.parametrize("index", range(len(CASES)), ids=_id)
def test_case_agrees_with_what_keras_did_in_its_own_test(index):
    case = CASES[index]
    status, got = ours(case)
    keras = case["keras"]
    if case.get("deliberate"):
        assert (status == "error") != isinstance(keras, str) or got != keras, case["deliberate"]
        return
    if isinstance(keras, str):  # Keras refused it in its constructor or its call
        assert status == "error", f"Keras refused it ({keras}), we give {got}"
        if keras == "constructor":
            assert "has no input" not in got, got  # refused for its params, before any input is looked at
    else:
        assert status == "ok" and got == keras, f"Keras gave {keras}, we give {got}"


LIVE = [i for i, case in enumerate(CASES) if "inputs" in case and not case.get("deliberate")]
# Judging a case with Keras builds, traces and runs it; a few layers hold most cases (Conv1D/2DTranspose,
# Cropping3D and Resizing: sweeps over their params, 296 of the 782). The default run judges up to LIVE_PER_LAYER
# cases of each layer, spread over its cases; the comparison with what Keras did in its own test (above) still
# takes every case, and `-m slow` (make long-agreement) judges the rest.
LIVE_PER_LAYER = 6


def _spread(indices: list[int], most: int) -> list[int]:
    """At most `most` of `indices`, evenly spaced from the first to the last."""
    if len(indices) <= most:
        return indices
    return [indices[round(k * (len(indices) - 1) / (most - 1))] for k in range(most)]


_BY_LAYER = {}
for _index in LIVE:
    _BY_LAYER.setdefault(CASES[_index]["layer"], []).append(_index)
LIVE_DEFAULT = sorted(i for indices in _BY_LAYER.values() for i in _spread(indices, LIVE_PER_LAYER))
LIVE_REST = sorted(set(LIVE) - set(LIVE_DEFAULT))


def test_the_default_run_judges_every_layer_with_keras():
    assert {CASES[i]["layer"] for i in LIVE_DEFAULT} == set(_BY_LAYER)
    assert sorted(LIVE_DEFAULT + LIVE_REST) == LIVE


@pytest.mark.parametrize("index", LIVE_DEFAULT, ids=_id)
def test_case_agrees_with_keras_now(keras, index):
    assert_agrees_with_keras(keras, graph_for(CASES[index]))


@pytest.mark.slow
@pytest.mark.parametrize("index", LIVE_REST, ids=_id)
def test_every_other_case_agrees_with_keras_now(keras, index):
    assert_agrees_with_keras(keras, graph_for(CASES[index]))
