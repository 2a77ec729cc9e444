"""Specs of the attention layers, whose input ports have names: query (0), value (1) and the optional key (2).
MultiHeadAttention is called as layer(query, value, key); Attention and AdditiveAttention take the list
[query, value, key].

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import Param
from builder.catalog.spec_params import USE_BIAS

_PORTS = {"inputs": 3, "port_names": rules.ATTENTION_PORTS, "required_inputs": 2}
_DROPOUT = Param("dropout", "float", default=0.0, minimum=0, maximum=1,
                 help="Fraction of the attention scores dropped while training.")
_WORDS = ("attention", "transformer", "query", "key", "value")

ATTENTION_SPECS = (
    LayerSpec(
        "MultiHeadAttention", "Attention", "Attention with several heads, each projecting query, key and value.",
        (Param("num_heads", "int", minimum=1, initial=2, help="Number of attention heads."),
         Param("key_dim", "int", minimum=1, initial=16, help="Size of each head's query and key projections."),
         Param("value_dim", "int", default=None, nullable=True, minimum=1,
               help="Size of each head's value projection; None: key_dim."),
         _DROPOUT, USE_BIAS,
         Param("output_shape", "ints", default=None, nullable=True, minimum=1, length=1,
               help="Size of the output's last axis; None: the query's."),
         Param("attention_axes", "axes", default=None, nullable=True, length=0,
               help="The axes attended over, between the batch and the features, e.g. [1] or [1, 2]; None: all "
                    "of them.")),
        rules.multi_head_attention_shape, rules.multi_head_attention_weights, summary=("num_heads", "key_dim"),
        id_prefix="mha", call_style="arguments", keywords=(*_WORDS, "mha", "self-attention"), **_PORTS,
    ),
    LayerSpec(
        "Attention", "Attention", "Dot-product attention (Luong-style): the value weighted by query·key scores.",
        (Param("use_scale", "bool", default=False, help="Learn a scalar that scales the scores."),
         Param("score_mode", "choice", default="dot", choices=("dot", "concat"),
               help="'dot': query·key; 'concat': tanh of their sum."),
         _DROPOUT),
        rules.attention_shape("Attention"), rules.attention_weights, summary=("score_mode",),
        id_prefix="attention", call_style="list", keywords=(*_WORDS, "luong", "dot"), **_PORTS,
    ),
    LayerSpec(
        "AdditiveAttention", "Attention", "Additive attention (Bahdanau-style): scores from tanh(query + key).",
        (Param("use_scale", "bool", default=True, help="Learn a scale per feature for the scores."), _DROPOUT),
        rules.attention_shape("AdditiveAttention"), rules.additive_attention_weights,
        id_prefix="additive_attention", call_style="list", keywords=(*_WORDS, "bahdanau"), **_PORTS,
    ),
)
