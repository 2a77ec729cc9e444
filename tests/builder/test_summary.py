"""The one-line param summary shown on canvas nodes."""

import pytest

from builder.catalog.card_summary import summary_text
from builder.catalog.specs import CATALOG


@pytest.mark.parametrize("layer, params, expected", [
    ("Conv2D", {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}, "32 · 3×3 · same · relu"),
    ("Conv2D", {"filters": 32, "kernel_size": [3, 5], "strides": 1}, "32 · 3×5 · valid"),
    ("Conv2D", {"filters": 16, "kernel_size": 3, "strides": [2, 2], "padding": "same"}, "16 · 3×3 · stride 2×2 · same"),
    ("Conv2D", {"filters": 16, "kernel_size": 3, "strides": [1, 1]}, "16 · 3×3 · valid"),
    ("Dense", {"units": 64, "activation": "relu"}, "64 · relu"),
    ("Dense", {"units": 10}, "10"),
    ("Input", {"shape": [28, 28, 1]}, "28×28×1"),
    ("Input", {"shape": [None, None, 3]}, "?×?×3"),
    ("MaxPooling2D", {}, "2×2 · valid"),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, "3×3 · stride 2×2 · same"),
    ("Dropout", {"rate": 0.25}, "rate 0.25"),
    ("Concatenate", {"axis": -1}, "axis -1"),
    ("Concatenate", {}, "axis -1"),
    ("GlobalAveragePooling2D", {}, ""),
    ("GlobalAveragePooling2D", {"keepdims": True}, "keepdims"),
    ("Reshape", {"target_shape": [7, 7, 64]}, "7×7×64"),
    ("Activation", {"activation": "tanh"}, "tanh"),
    ("Flatten", {}, ""),
    ("Add", {}, ""),
])
def test_summary_table(layer, params, expected):
    assert summary_text(layer, params) == expected


def test_unknown_layer_gives_empty_line():
    assert summary_text("ConvLSTM2D", {"filters": 3}) == ""


def test_odd_values_from_a_hand_built_graph_do_not_raise():
    assert summary_text("Conv2D", {"filters": "many", "kernel_size": "big", "strides": [1, 2, 3]}) \
        == "many · big · stride 1×2×3 · valid"
    assert summary_text("Dense", None) == ""


@pytest.mark.parametrize("layer", sorted(CATALOG))
def test_every_layer_summarises_its_start_params(layer):
    spec = CATALOG[layer]
    text = summary_text(layer, spec.start_params())
    assert isinstance(text, str) and "None" not in text
