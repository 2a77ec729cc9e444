"""Specs of the wrappers, Bidirectional and TimeDistributed, each one node holding the catalog layer it wraps
(builder/catalog/wrapped_layer.py), and of Normalization, whose mean and variance come from data (adapt) unless
they are given.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import Param
from builder.catalog.rules.normalization import normalization_notice, normalization_params
from builder.catalog.rules.wrappers import (
    bidirectional_params,
    bidirectional_shape,
    bidirectional_weights,
    time_distributed_shape,
    time_distributed_weights,
)
from builder.catalog.wrapped_layer import RECURRENT

_RNN_START = {"layer": "LSTM", "params": {"units": 32, "return_sequences": True}}

WRAPPER_SPECS = (
    LayerSpec(
        "Bidirectional", "Recurrent", "Runs a recurrent layer forwards and backwards over the sequence and joins "
        "the two outputs.",
        (Param("layer", "layer", choices=RECURRENT, initial=_RNN_START,
               help="The recurrent layer run forwards (LSTM, GRU or SimpleRNN) and its params; a copy reading "
                    "backwards is made unless backward_layer is given."),
         Param("merge_mode", "choice", default="concat", choices=("concat", "sum", "mul", "ave"),
               help="How the two directions join: 'concat' doubles the last axis; 'sum', 'mul', 'ave' keep it."),
         Param("backward_layer", "layer", default=None, nullable=True, choices=RECURRENT,
               help="A layer of its own for the backward direction (go_backwards=True, the same units and "
                    "return_sequences); None: a copy of the layer.")),
        bidirectional_shape, bidirectional_weights, summary=("merge_mode", "backward_layer"), id_prefix="bidirectional",
        params_rule=bidirectional_params, keywords=("birnn", "bilstm", "bigru", "wrapper", "rnn", "both directions"),
    ),
    LayerSpec(
        "TimeDistributed", "Recurrent", "Applies one layer to every step of a sequence (batch, steps, ...), with "
        "the same weights at each step.",
        (Param("layer", "layer", initial={"layer": "Dense", "params": {"units": 32}},
               help="The layer applied to each step, and its params."),),
        time_distributed_shape, time_distributed_weights, id_prefix="time_distributed",
        keywords=("wrapper", "each step", "per step", "frames", "video"),
    ),
    LayerSpec(
        "Normalization", "Preprocessing", "Shifts and scales inputs to mean 0 and variance 1 per feature: "
        "(x - mean) / sqrt(variance). The mean and variance are given, or computed from data (adapt).",
        (Param("axis", "axes", default=-1, nullable=True, length=0,
               help="The axis (or axes) with one mean and variance per position, usually -1, the features; None: "
                    "one mean and variance for everything."),
         Param("mean", "floats", default=None, nullable=True, length=0,
               help="The mean: a number, or one per position of the last axis in `axis`; None: adapt to data."),
         Param("variance", "floats", default=None, nullable=True, length=0, minimum=0,
               help="The variance, given with the mean; None: adapt to data."),
         Param("invert", "bool", default=False, help="Undo a normalization instead: x * sqrt(variance) + mean.")),
        rules.normalization_shape, rules.normalization_weights, summary=("axis", "invert"),
        id_prefix="normalization", params_rule=normalization_params, notice=normalization_notice,
        keywords=("standardize", "standardise", "mean", "variance", "adapt", "scale", "norm"),
    ),
)
