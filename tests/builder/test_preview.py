"""Previewing a wire: the target's shape (or error) before the wire is made, with the document untouched."""

import pytest

from builder.files import project
from builder.inference.engine import infer
from builder.inference.wire_preview import preview_connect
from builder.model.document import GraphDocument


def _doc(*nodes, edges=()):
    doc = GraphDocument()
    for node_id, layer, params in nodes:
        doc.add_node(node_id, layer, params)
    for source, target in edges:
        doc.connect(source, target)
    return doc


def _preview(doc, source, target, port=None):
    before = project.dumps(doc.graph)
    outcome = preview_connect(doc, infer(doc), source, target, port)
    assert project.dumps(doc.graph) == before, "preview must not change the document"
    return outcome


@pytest.fixture
def branches():
    return _doc(
        ("image", "Input", {"shape": [28, 28, 1]}),
        ("conv_3x3", "Conv2D", {"filters": 32, "kernel_size": 3, "padding": "same"}),
        ("conv_5x5", "Conv2D", {"filters": 16, "kernel_size": 5, "padding": "valid"}),
        ("merged", "Concatenate", {"axis": -1}),
        ("dense", "Dense", {"units": 10}),
        edges=[("image", "conv_3x3"), ("image", "conv_5x5"), ("conv_3x3", "merged")],
    )


def test_shape_of_a_free_target(branches):
    assert _preview(branches, "image", "dense") == ((None, 28, 28, 10), None)


def test_merge_preview_includes_existing_inputs(branches):
    branches.add_node("conv_1x1", "Conv2D", {"filters": 8, "kernel_size": 1})
    branches.connect("image", "conv_1x1")
    assert _preview(branches, "conv_1x1", "merged") == ((None, 28, 28, 40), None)


def test_merge_preview_error_names_the_mismatch(branches):
    shape, message = _preview(branches, "conv_5x5", "merged")
    assert shape is None
    assert message.startswith("merged: Concatenate needs equal sizes")
    assert "conv_5x5 24×24" in message and "padding='same' on conv_5x5" in message


def test_refused_wires_return_the_document_reason(branches):
    shape, message = _preview(branches, "conv_3x3", "image")
    assert shape is None and "is an Input" in message
    shape, message = _preview(branches, "merged", "conv_3x3")
    assert shape is None and "cycle" in message
    shape, message = _preview(branches, "conv_5x5", "conv_3x3")
    assert shape is None and "already reads from image" in message
    shape, message = _preview(branches, "conv_5x5", "merged", port=0)
    assert shape is None and "already connected" in message


def test_explicit_free_port(branches):
    assert _preview(branches, "conv_3x3", "dense", port=0) == ((None, 28, 28, 10), None)
    shape, message = _preview(branches, "conv_3x3", "dense", port=1)
    assert shape is None and "input port" in message


def test_source_without_shape_says_why():
    doc = _doc(
        ("image", "Input", {"shape": [28, 28, 1]}),
        ("dense", "Dense", {"units": 8}),
        ("flat", "Flatten", {}),
        ("late", "Dense", {"units": 4}),
        ("out", "Dense", {"units": 2}),
        edges=[("flat", "late")],
    )
    shape, message = _preview(doc, "flat", "out")
    assert shape is None and "flat has no output shape because of its error" in message
    shape, message = _preview(doc, "late", "out")
    assert shape is None and "waits on flat" in message


def test_param_error_on_target_is_reported():
    doc = _doc(("image", "Input", {"shape": [4]}), ("act", "Activation", {"activation": "glu"}))
    doc.graph.nodes["image"]["params"]["shape"] = [5]  # odd size: 'glu' cannot split it
    shape, message = _preview(doc, "image", "act")
    assert shape is None and message.startswith("act: activation 'glu'")


def test_unknown_nodes_are_reported(branches):
    shape, message = _preview(branches, "nope", "dense")
    assert shape is None and "no node 'nope'" in message
