"""The merge mismatch message (issue 13): every input that disagrees is named with its size, and the advice
names only the branches that need the change, as a person fixes them one by one. Whether there is an error at
all is Keras's call (test_keras_agreement.py, test_shape_rules.py); these tables check the words."""

import pytest

from builder.catalog.rules import Arriving, ShapeError, concatenate_shape, elementwise_shape
from builder.catalog.rules.merging import padding_of
from builder.files import project
from builder.inference.engine import infer
from builder.inference.wire_preview import preview_connect
from builder.model.document import GraphDocument
from tests.builder.test_shape_rules import build

KERNELS = {"conv_3x3": 3, "conv_5x5": 5, "conv_7x7": 7}


def three_branches(merge: str, paddings: dict, filters: int = 32):
    nodes = [("image", "Input", {"shape": [28, 28, 1]})]
    nodes += [(conv, "Conv2D", {"filters": filters, "kernel_size": k, "padding": paddings.get(conv, "valid")})
              for conv, k in KERNELS.items()]
    nodes.append(("merged", merge, {"axis": -1} if merge == "Concatenate" else {}))
    edges = [("image", conv) for conv in KERNELS] + [(conv, "merged") for conv in KERNELS]
    return build(nodes, edges)


SAME = "same"
CONCAT_ROWS = {
    # nothing fixed yet: all three named, and all three need padding='same'
    "none_fixed": ({}, ("but conv_3x3 gives 26×26, conv_5x5 24×24 and conv_7x7 22×22; "
                       "set padding='same' on conv_3x3, conv_5x5 and conv_7x7, or crop or pool the larger ones")),
    # one fixed: it is still listed with its size, but no longer in the advice
    "one_fixed": ({"conv_3x3": SAME}, ("but conv_3x3 gives 28×28, conv_5x5 24×24 and conv_7x7 22×22; "
                                      "set padding='same' on conv_5x5 and conv_7x7, or crop")),
    # two fixed: they agree and are named together; the advice names the last one only
    "two_fixed": ({"conv_3x3": SAME, "conv_5x5": SAME},
                  "but conv_3x3 and conv_5x5 give 28×28, conv_7x7 gives 22×22; set padding='same' on conv_7x7, or"),
    "middle_left": ({"conv_3x3": SAME, "conv_7x7": SAME},
                    "but conv_3x3 and conv_7x7 give 28×28, conv_5x5 gives 24×24; set padding='same' on conv_5x5, or"),
}


@pytest.mark.parametrize("case", CONCAT_ROWS)
def test_concatenate_names_every_branch_and_only_those_to_change(case):
    paddings, expected = CONCAT_ROWS[case]
    error = infer(three_branches("Concatenate", paddings))["merged"].error
    assert error.startswith("merged: Concatenate needs equal sizes except on axis -1, ")
    assert expected in error


def test_all_fixed_is_no_error():
    results = infer(three_branches("Concatenate", dict.fromkeys(KERNELS, SAME)))
    assert results["merged"].error is None and results["merged"].shape == (None, 28, 28, 96)


@pytest.mark.parametrize("merge", ["Add", "Multiply", "Average", "Maximum"])
def test_elementwise_merges_name_branches_the_same_way(merge):
    error = infer(three_branches(merge, {"conv_3x3": SAME}))["merged"].error
    assert error.startswith(f"merged: {merge} needs equal shapes (or size 1 to broadcast), but ")
    assert "conv_3x3 gives (None, 28, 28, 32), conv_5x5 gives (None, 24, 24, 32) and conv_7x7 gives " \
           "(None, 22, 22, 32)" not in error  # image sizes are given as height × width
    assert "conv_3x3 gives 28×28, conv_5x5 24×24 and conv_7x7 22×22" in error
    assert "set padding='same' on conv_5x5 and conv_7x7" in error


def test_without_paddings_the_advice_names_the_inputs_that_differ():
    """Sources without a padding (Inputs here): the largest group is what the others should match."""
    inputs = [Arriving("a", (None, 4, 3)), Arriving("b", (None, 4, 3)), Arriving("c", (None, 5, 3))]
    with pytest.raises(ShapeError) as refused:
        concatenate_shape({"axis": 1}, [Arriving("a", (None, 4, 3)), Arriving("c", (None, 4, 5))])
    assert "a gives (None, 4, 3) and c gives (None, 4, 5)" in str(refused.value)
    with pytest.raises(ShapeError) as refused:
        elementwise_shape("Add")({}, inputs)
    message = str(refused.value)
    assert "a and b give (None, 4, 3), c gives (None, 5, 3)" in message
    assert "make c match a and b" in message


def test_an_input_of_unknown_size_agrees_and_is_left_out():
    inputs = [Arriving("in0", (None, None, 2)), Arriving("in1", (None, 3, 2)), Arriving("in2", (None, 4, 2))]
    with pytest.raises(ShapeError) as refused:
        concatenate_shape({"axis": -1}, inputs)
    assert "but in1 gives (None, 3, 2) and in2 gives (None, 4, 2);" in str(refused.value)
    assert "in0" not in str(refused.value)


def test_padding_of_reads_keras_defaults():
    assert padding_of({"layer": "Conv2D", "params": {}}) == "valid"
    assert padding_of({"layer": "MaxPooling2D", "params": {"padding": "same"}}) == "same"
    assert padding_of({"layer": "Dense", "params": {}}) is None
    assert padding_of({"layer": "ZeroPadding2D", "params": {"padding": 1}}) is None  # a size, not a choice


def test_the_wire_preview_gives_the_same_advice():
    doc = GraphDocument(three_branches("Concatenate", {"conv_3x3": SAME, "conv_5x5": SAME}))
    doc.disconnect("conv_7x7", "merged", 2)
    before = project.dumps(doc.graph)
    shape, message = preview_connect(doc, infer(doc), "conv_7x7", "merged", None)
    assert project.dumps(doc.graph) == before
    assert shape is None and "set padding='same' on conv_7x7, or" in message
