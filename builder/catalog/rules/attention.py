"""Attention: MultiHeadAttention, Attention (dot-product) and AdditiveAttention, whose inputs play different
parts: the query (port 0), the value (port 1) and, optionally, the key (port 2; the value when absent).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import Arriving, ShapeError, as_one, by
from builder.catalog.rules.softmax_rank import check_several_axes_rank, check_softmax_rank

PORTS = ("query", "value", "key")


def _parts(layer, inputs, known=True) -> tuple[Arriving, Arriving, Arriving]:
    """(query, value, key), each with steps; `known`: the feature sizes must be known (weights depend on them)."""
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    for name, x in zip(PORTS, (query, value, key)):
        if len(x.shape) < 3:
            raise ShapeError(f"{layer} needs a {name} with steps and features (batch, steps, features), but "
                             f"{by(x)}; give it sequences, e.g. from an Embedding or an LSTM with "
                             "return_sequences=True")
        if known and x.shape[-1] is None:
            raise ShapeError(f"{layer} needs a known feature size on its {name}, but {by(x)}; set it in the Input "
                             "shape")
    return query, value, key


def multi_head_attention_shape(params, inputs):
    query, value, key = _parts("MultiHeadAttention", inputs)
    if value.shape[1:-1] != key.shape[1:-1]:
        raise ShapeError(f"MultiHeadAttention needs the value and the key to match on every axis but the last, but "
                         f"the value {by(value)} and the key {by(key)}; feed both from the same sequence")
    if len(query.shape) != len(value.shape):
        raise ShapeError(f"MultiHeadAttention needs the query and the value of the same rank, but the query {by(query)} "
                         f"and the value {by(value)}; Reshape one of them")
    _check_attention_axes(params.get("attention_axes"), query, key)
    # The scores have the query's rank plus one axis per attention axis (None: every axis between the batch
    # and the features); one axis goes through the softmax kernel, several through exp - logsumexp.
    axes = params.get("attention_axes")
    attended = len(query.shape) - 2 if axes is None else len(as_one(axes))
    scores = len(query.shape) + attended
    if attended == 1:
        check_softmax_rank(scores, f"MultiHeadAttention over one axis of the query {by(query)}",
                           "attend over several axes, or Reshape the query to 4D")
    else:
        check_several_axes_rank(scores, f"MultiHeadAttention over {attended} axes of the query {by(query)}",
                                "attend over fewer axes (attention_axes), or Reshape the query to fewer axes")
    last = as_one(params["output_shape"])[0] if params["output_shape"] is not None else query.shape[-1]
    return (*query.shape[:-1], last)


def _check_attention_axes(axes, query: Arriving, key: Arriving):
    """attention_axes name axes between the batch and the features (Keras's doc: None is all of them); the
    query and the key must agree on every such axis that is not attended over, which Keras's einsum pairs up.
    Keras also runs some axes outside that range (the batch, the heads its projection adds) without a word;
    attending over them mixes samples or heads, so they are refused here (README, deliberate differences)."""
    if axes is None:
        return
    rank = len(query.shape)
    normalised = [a + rank if a < 0 else a for a in as_one(axes)]
    if any(not 1 <= a <= rank - 2 for a in normalised):
        raise ShapeError(f"MultiHeadAttention attention_axes={axes} must name axes between the batch and the "
                         f"features of the {rank}D query, as {by(query)}: from 1 to {rank - 2} (or {2 - rank} to "
                         "-2); None attends over all of them")
    if len(set(normalised)) != len(normalised):
        raise ShapeError(f"MultiHeadAttention attention_axes={axes} names the same axis twice for the {rank}D "
                         f"query, as {by(query)}; name each axis once")
    for axis in range(1, rank - 1):
        q, k = query.shape[axis], key.shape[axis]
        if axis not in normalised and None not in (q, k) and q != k:
            raise ShapeError(f"MultiHeadAttention attends over axes {sorted(normalised)} only, so the query and the "
                             f"key must match on axis {axis}, but the query {by(query)} and the key {by(key)}; "
                             f"add {axis} to attention_axes, or feed sequences of one size there")


def multi_head_attention_weights(params, inputs, out):
    query, value, key = _parts("MultiHeadAttention", inputs)
    heads, key_dim = params["num_heads"], params["key_dim"]
    value_dim = params["value_dim"] or key_dim
    bias = params["use_bias"]
    projections = ((query.shape[-1], key_dim), (key.shape[-1], key_dim), (value.shape[-1], value_dim))
    count = sum(size * heads * width + (heads * width if bias else 0) for size, width in projections)
    last = out[-1]
    return count + heads * value_dim * last + (last if bias else 0), 0


def attention_shape(layer: str):
    """Attention and AdditiveAttention: scores of the query against the key, then a weighted sum of the value."""
    def rule(params, inputs):
        # Only AdditiveAttention's scale (one per feature of the query: Keras builds it from the query alone) needs
        # a feature size; the key and value may broadcast against it.
        query, value, key = _parts(layer, inputs, known=False)
        if layer == "AdditiveAttention" and params["use_scale"] and query.shape[-1] is None:
            raise ShapeError(f"{layer} needs a known feature size on its query, but {by(query)}; set it in the "
                             "Input shape")
        # Scores are a batched matrix product over the last two axes: any axes before the steps must agree,
        # or the product broadcasts them into another shape than the one Keras declares (the query's).
        if len({len(x.shape) for x in (query, value, key)}) > 1:
            raise ShapeError(f"{layer} needs the query, value and key of one rank, but the query {by(query)}, the "
                             f"value {by(value)} and the key {by(key)}; Reshape them to (batch, steps, features)")
        # The scores have the query's rank, and their softmax over the value's steps runs TensorFlow's kernel.
        check_softmax_rank(len(query.shape), f"{layer}'s softmax of the scores for the query {by(query)}",
                           "Reshape the inputs to (batch, steps, features)")
        # A size of 1 on the value or key broadcasts to the query's (the result keeps the query's shape, as
        # declared); the other way round, the result would take the larger size.
        for x in (value, key):
            if any(None not in (a, b) and a != b and b != 1 for a, b in zip(query.shape[1:-2], x.shape[1:-2])):
                raise ShapeError(f"{layer} needs the axes before the steps equal on the query and the value and "
                                 f"key (or 1 on the value and key), but the query {by(query)} and {by(x)}; "
                                 "Reshape them to (batch, steps, features)")
        # The steps of the value and key pair up; their axes before the steps only broadcast (checked above).
        if key.shape[-2] != value.shape[-2] and None not in (key.shape[-2], value.shape[-2]):
            raise ShapeError(f"{layer} weighs each value by its key, so they need the same steps, but the value "
                             f"{by(value)} and the key {by(key)}; feed both from the same sequence")
        q, k = query.shape[-1], key.shape[-1]
        # A dot product needs equal sizes; the additive scores (AdditiveAttention, and Attention's 'concat')
        # add them, so a size of 1 broadcasts there.
        adds = layer == "AdditiveAttention" or params.get("score_mode") == "concat"
        clash = q != k and not (adds and 1 in (q, k))
        if None not in (q, k) and clash:
            raise ShapeError(f"{layer} compares the query with the key, so their feature sizes must be equal, but "
                             f"the query {by(query)} and the key {by(key)}; project one of them with a Dense")
        return (*query.shape[:-1], value.shape[-1])
    return rule


def attention_weights(params, inputs, out):
    """Attention learns a scalar scale (use_scale) and, with score_mode='concat', a scalar score weight."""
    return int(params["use_scale"]) + int(params["score_mode"] == "concat"), 0


def additive_attention_weights(params, inputs, out):
    return (inputs[0].shape[-1] if params["use_scale"] else 0), 0
