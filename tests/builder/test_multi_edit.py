"""Editing several nodes at once (builder/editing/multi_edit.py): which params a selection shares, mixed values,
and one undo step that sets a param everywhere or is refused as a whole."""

import pytest

import builder
from builder.editing.commands import History
from builder.editing.multi_edit import MIXED, SetParamOnMany, shared_params, shared_value
from builder.files import project
from builder.model.document import UNSET, GraphDocument, GraphError
from tests.conftest import EXAMPLES

CONVS = ["conv_3x3", "conv_5x5", "conv_7x7"]


@pytest.fixture
def mismatch():
    return GraphDocument(builder.load(EXAMPLES / "shape_mismatch.json"))


def test_same_layer_shares_every_param(mismatch):
    names = [p.name for p in shared_params(mismatch, CONVS)]
    assert names == [p.name for p in builder.catalog.specs.spec_for("Conv2D").params]


def test_different_layers_share_params_of_the_same_name_and_kind(mismatch):
    mismatch.add_node("pool", "MaxPooling2D", {})
    mismatch.add_node("dense_2", "Dense", {"units": 3})
    assert [p.name for p in shared_params(mismatch, ["conv_3x3", "pool"])] == ["strides", "padding", "data_format"]
    assert [p.name for p in shared_params(mismatch, ["conv_3x3", "dense_2"])] == ["activation", "use_bias"]
    assert shared_params(mismatch, ["merged", "dense_2"]) == []
    mismatch.add_node("seq_conv", "Conv1D", {"filters": 2, "kernel_size": 3})
    padding = next(p for p in shared_params(mismatch, ["conv_3x3", "seq_conv"]) if p.name == "padding")
    assert padding.choices == ("valid", "same")  # 'causal' is Conv1D's alone


def test_values_show_as_shared_or_mixed(mismatch):
    assert shared_value(mismatch, CONVS, "padding") == "valid"
    assert shared_value(mismatch, CONVS, "kernel_size") is MIXED
    mismatch.set_param("conv_3x3", "use_bias", True)  # explicit, but the same as the others' default
    assert shared_value(mismatch, CONVS, "use_bias") is True


def test_one_change_fixes_all_three_branches_in_one_undo_step(mismatch):
    history = History(mismatch)
    before = project.dumps(mismatch.graph)
    assert builder.infer(mismatch.graph)["merged"].error
    history.push(SetParamOnMany(CONVS, "padding", "same"))
    assert [mismatch.params(c)["padding"] for c in CONVS] == ["same"] * 3
    assert builder.infer(mismatch.graph)["merged"].error is None
    after = project.dumps(mismatch.graph)
    history.undo()
    assert project.dumps(mismatch.graph) == before
    history.redo()
    assert project.dumps(mismatch.graph) == after


def test_a_refusal_by_any_node_refuses_the_whole_edit(mismatch):
    mismatch.add_node("pool", "MaxPooling2D", {})
    before = project.dumps(mismatch.graph)
    with pytest.raises(GraphError, match="conv_3x3"):
        SetParamOnMany(["conv_3x3", "pool"], "strides", 0).do(mismatch)
    assert project.dumps(mismatch.graph) == before


def test_nodes_that_already_hold_the_value_are_left_alone(mismatch):
    mismatch.set_param("conv_5x5", "padding", "same")
    command = SetParamOnMany(CONVS, "padding", "same")
    assert [step.node_id for step in command.plan(mismatch)] == ["conv_3x3", "conv_7x7"]
    # A default not written yet stays unwritten, as in the one-node inspector.
    assert SetParamOnMany(CONVS, "use_bias", True).plan(mismatch) == []


def test_reset_on_many_and_required_params(mismatch):
    history = History(mismatch)
    history.push(SetParamOnMany(CONVS, "padding", UNSET))
    assert all("padding" not in mismatch.params(c) for c in CONVS)
    with pytest.raises(GraphError, match="required"):
        SetParamOnMany(CONVS, "filters", UNSET).do(mismatch)
