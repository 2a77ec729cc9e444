"""Recurrent layers: LSTM, GRU and SimpleRNN-style sequence rules and their weight counts.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import SEQUENCE, ShapeError, by, need_rank
from builder.catalog.rules.terms import named


def recurrent_shape(layer: str):
    def rule(params, inputs):
        (x,) = inputs
        need_rank(x, layer, 3, SEQUENCE, "give the Input a shape like [steps, features], or follow an "
                   "Embedding")
        if x.shape[2] is None:
            raise ShapeError(f"{layer} needs a known number of features, but {by(x)}; set it in the Input shape")
        for name in ("activation", "recurrent_activation"):
            if params.get(name) == "glu":
                raise ShapeError(f"{layer} cannot use {name}='glu': it halves the gates and the cell fails; use "
                                 "'tanh' or 'sigmoid'")
        if params.get("stateful"):
            raise ShapeError(f"{layer} with stateful=True needs a fixed batch size, but the Inputs here leave it "
                             f"open ({by(x)}); set stateful to false (a project's Inputs have no batch size)")
        if params.get("unroll") and x.shape[1] is None:
            raise ShapeError(f"{layer} with unroll=True needs a known number of steps, but {by(x)}; set the steps "
                             "in the Input shape, or set unroll to false")
        units = params["units"]
        return (x.shape[0], x.shape[1], units) if params["return_sequences"] else (x.shape[0], units)
    return rule


def lstm_weights(params, inputs, out):
    units, features = named(params["units"], "units"), named(inputs[0].shape[2], "inputs")
    bias = named(params["units"], "biases") if params["use_bias"] else 0
    return named(4, "gates") * (units * (features + units) + bias), 0


def gru_weights(params, inputs, out):
    units, features = named(params["units"], "units"), named(inputs[0].shape[2], "inputs")
    biases = named(6, "(input and recurrent biases of three gates)") if params["reset_after"] else named(3, "gates")
    bias = biases * named(params["units"], "biases") if params["use_bias"] else 0
    return named(3, "gates") * units * (features + units) + bias, 0


def simple_rnn_weights(params, inputs, out):
    units, features = named(params["units"], "units"), named(inputs[0].shape[2], "inputs")
    return units * (features + units) + (named(params["units"], "biases") if params["use_bias"] else 0), 0
