"""The layer catalog: one declarative spec per Keras layer. Adding a layer is adding one spec here.

A spec names the Keras class, its params (type, Keras default, bounds, help), how many input ports it has,
its shape rule and its weight-count rule (builder/catalog/rules/), and which params summarise a node on the
canvas. Nothing here imports Keras.
"""

from __future__ import annotations

from dataclasses import replace

from builder.catalog import rules
from builder.catalog.keras_names import KERAS_LAYERS
from builder.catalog.layer_spec import VARIADIC, LayerSpec
from builder.catalog.ops import op_spec
from builder.catalog.params import REQUIRED, Param, activation
from builder.catalog.spec_params import DATA_FORMAT
from builder.catalog.spec_params import NORMALIZATION as _NORMALIZATION
from builder.catalog.spec_params import USE_BIAS as _USE_BIAS
from builder.catalog.specs_activation import ACTIVATION_SPECS
from builder.catalog.specs_attention import ATTENTION_SPECS
from builder.catalog.specs_merging import MERGING_SPECS
from builder.catalog.specs_passthrough import PASSTHROUGH_SPECS
from builder.catalog.specs_preprocessing import PREPROCESSING_SPECS
from builder.catalog.specs_spatial import (
    CONVOLUTION_MORE,
    CONVOLUTION_SPECS,
    NEW_SPATIAL,
    POOLING_MORE,
    RESHAPING_2D,
)
from builder.catalog.specs_wrappers import WRAPPER_SPECS
from builder.quoting import quote

__all__ = ["CATALOG", "SPECS", "VARIADIC", "LayerSpec", "UnknownLayerError", "generic_spec", "is_merge_layer",
           "spec_for"]


def _recurrent_params(extra, gates=True):
    recurrent = (replace(activation(default="sigmoid", help_text="Applied to the gates; None means linear."),
                         name="recurrent_activation"),) if gates else ()
    return (Param("units", "int", minimum=1, help="Size of the hidden state.", initial=32),
            activation(default="tanh", help_text="Applied to the cell output; None means linear."),
            *recurrent,
            _USE_BIAS,
            Param("dropout", "float", default=0.0, minimum=0, maximum=1,
                  help="Fraction of the inputs dropped while training."),
            Param("recurrent_dropout", "float", default=0.0, minimum=0, maximum=1,
                  help="Fraction of the recurrent state dropped while training."),
            Param("return_sequences", "bool", default=False,
                  help="Return the output of every step (batch, steps, units), not only the last."),
            Param("go_backwards", "bool", default=False, help="Read the sequence backwards."),
            Param("stateful", "bool", default=False,
                  help="Carry the state from one batch to the next; needs a fixed batch size."),
            Param("unroll", "bool", default=False,
                  help="Unroll the loop over the steps: faster on short sequences; needs a known step count."),
            *extra)


def _groups_not_zero(params):
    if params["groups"] == 0:  # the Param's bounds let -1 through, and with it 0
        raise rules.ShapeError("GroupNormalization needs groups >= 1 (or -1 for one per channel), but groups=0; "
                               "choose how many groups the channels split into")


# Families in the order of Keras's own layer documentation: the catalog (and so the palette) lists them so.
CATEGORY_ORDER = ("Core", "Convolution", "Pooling", "Recurrent", "Preprocessing", "Normalization",
                  "Regularization", "Attention", "Reshaping", "Merging", "Activation")

_SPECS: tuple[LayerSpec, ...] = (
    LayerSpec(
        "Input", "Core", "A model input: the shape of one sample, without the batch axis.",
        (Param("shape", "shape", help="Sizes of one sample, e.g. [28, 28, 1]; null for a size that varies.",
               initial=[28, 28, 1]),),
        rules.input_shape, inputs=0, summary=("shape",), id_prefix="input",
    ),
    LayerSpec(
        "Dense", "Core", "Fully connected layer acting on the last axis.",
        (Param("units", "int", minimum=1, help="Number of output features.", initial=32),
         activation(), _USE_BIAS),
        rules.dense_shape, rules.dense_weights, summary=("units", "activation"), id_prefix="dense",
    ),
    *CONVOLUTION_SPECS,
    LayerSpec(
        "Flatten", "Reshaping", "Flattens each sample into one axis.", (DATA_FORMAT,),
        rules.flatten_shape, id_prefix="flatten",
    ),
    LayerSpec(
        "Reshape", "Reshaping", "Gives each sample a new shape with the same number of values.",
        (Param("target_shape", "target", help="New sizes without the batch axis; one -1 is computed.",
               initial=[-1]),),
        rules.reshape_shape, summary=("target_shape",), id_prefix="reshape",
    ),
    LayerSpec(
        "Dropout", "Regularization", "Sets a fraction of inputs to 0 while training.",
        (Param("rate", "float", minimum=0, maximum=1, exclusive_max=True, initial=0.5,
               help="Fraction of inputs to drop while training, from 0 up to (not including) 1."),),
        rules.same_shape, summary=("rate",), id_prefix="dropout",
    ),
    LayerSpec(
        "BatchNormalization", "Normalization", "Normalises activations with batch statistics.",
        (Param("axis", "axis", default=-1, help="The features axis to normalise (usually -1)."),
         Param("momentum", "float", default=0.99, minimum=0, maximum=1, help="Momentum of the moving averages."),
         *_NORMALIZATION,
         Param("renorm", "bool", default=False,
               help="Batch renormalization: correct batch statistics towards the moving ones while training."),
         Param("renorm_clipping", "clipping", default=None, nullable=True,
               help="With renorm: bounds of its correction, any of rmax, rmin (r in [rmin, rmax]) and dmax (d in "
                    "[-dmax, dmax]), e.g. {\"rmax\": 3, \"rmin\": 0.33, \"dmax\": 5}; None: no bounds."),
         Param("renorm_momentum", "float", default=0.99, minimum=0, maximum=1,
               help="Momentum of renorm's moving mean and stddev."),
         Param("synchronized", "bool", default=False,
               help="Synchronise the batch statistics across devices while training (distributed only).")),
        rules.batch_normalization_shape, rules.batch_normalization_weights, summary=("axis",),
        id_prefix="batch_norm",
    ),
    LayerSpec(
        "Activation", "Core", "Applies an activation function.",
        (activation(default=REQUIRED, nullable=False, help_text="The function to apply.", initial="relu"),),
        rules.activation_shape, summary=("activation",), id_prefix="activation",
    ),
    LayerSpec(
        "Concatenate", "Merging", "Joins its inputs along one axis; adds no parameters.",
        (Param("axis", "axis", default=-1, help="Axis to join along; all other sizes must be equal.",
               always_written=True),),
        rules.concatenate_shape, inputs=VARIADIC, function="concatenate", summary=("axis",),
        id_prefix="concatenate",
    ),
    LayerSpec(
        "Add", "Merging", "Adds its inputs element-wise (sizes equal, or 1 to broadcast).", (),
        rules.add_shape, inputs=VARIADIC, function="add", id_prefix="add",
    ),
    *(LayerSpec(name, "Merging", text, (), rules.elementwise_shape(name, 2 if name == "Subtract" else None),
                inputs=VARIADIC, function=name.lower(), id_prefix=name.lower())
      for name, text in (("Multiply", "Multiplies its inputs element-wise (sizes equal, or 1 to broadcast)."),
                         ("Average", "Averages its inputs element-wise (sizes equal, or 1 to broadcast)."),
                         ("Maximum", "Largest of its inputs, element-wise (sizes equal, or 1 to broadcast)."),
                         ("Subtract", "The first input minus the second: exactly two inputs."))),
    *RESHAPING_2D,
    *CONVOLUTION_MORE,
    LayerSpec(
        "ReLU", "Activation", "Rectified linear unit with an optional cap, leak and threshold.",
        (Param("max_value", "float", default=None, nullable=True, minimum=0, help="Largest output; None: no cap."),
         Param("negative_slope", "float", default=0.0, minimum=0, help="Slope below the threshold."),
         Param("threshold", "float", default=0.0, minimum=0, help="Values below it are damped.")),
        rules.relu_shape, summary=("max_value",), id_prefix="relu",
    ),
    LayerSpec(
        "Rescaling", "Preprocessing", "Multiplies by scale and adds offset (e.g. 1/255 for pixels).",
        (Param("scale", "floats", length=0, help="Factor to multiply by: a number, or one per channel (last axis).",
               initial=1 / 255),
         Param("offset", "floats", default=0.0, length=0,
               help="Value to add after scaling: a number, or one per channel.")),
        rules.rescaling_shape, summary=("scale", "offset"), id_prefix="rescaling",
    ),
    LayerSpec(
        "LayerNormalization", "Normalization", "Normalises each sample over one axis or several.",
        (Param("axis", "axes", default=-1, length=0, help="The axis to normalise (usually -1), or a list of axes, e.g. "
                                                "[-3, -2, -1]."), *_NORMALIZATION,
         Param("rms_scaling", "bool", default=False, keyword_only=True,
               help="Deprecated by Keras (it scales by the variance, not the root mean square; RMSNormalization "
                    "does it right): learn only gamma and scale by it.")),
        rules.layer_normalization_shape, rules.layer_normalization_weights, summary=("axis",),
        id_prefix="layer_norm",
    ),
    *POOLING_MORE,
    LayerSpec(
        "Embedding", "Core", "Looks up a learned vector for each integer index (0 .. input_dim - 1).",
        (Param("input_dim", "int", minimum=1, help="Vocabulary size: indices go from 0 to input_dim - 1.",
               initial=1000),
         Param("output_dim", "int", minimum=1, help="Size of each vector.", initial=32),
         Param("mask_zero", "bool", default=False, help="Treat index 0 as padding and mask it downstream.")),
        rules.embedding_shape, rules.embedding_weights, summary=("input_dim", "output_dim"), id_prefix="embedding",
    ),
    LayerSpec(
        "LSTM", "Recurrent", "Long short-term memory over the steps of a sequence.",
        _recurrent_params((Param("unit_forget_bias", "bool", default=True,
                                 help="Start the forget gate's bias at 1."),)),
        rules.recurrent_shape("LSTM"), rules.lstm_weights, summary=("units", "return_sequences"), id_prefix="lstm",
    ),
    LayerSpec(
        "GRU", "Recurrent", "Gated recurrent unit over the steps of a sequence.",
        _recurrent_params((Param("reset_after", "bool", default=True,
                                 help="Apply the reset gate after the matrix product (two biases per gate)."),)),
        rules.recurrent_shape("GRU"), rules.gru_weights, summary=("units", "return_sequences"), id_prefix="gru",
    ),
    LayerSpec(
        "SimpleRNN", "Recurrent", "Fully connected recurrent layer: the output fed back as the next step's state.",
        _recurrent_params((), gates=False), rules.recurrent_shape("SimpleRNN"), rules.simple_rnn_weights,
        summary=("units", "return_sequences"), id_prefix="simple_rnn", keywords=("rnn", "recurrent", "sequence"),
    ),
    LayerSpec(
        "GroupNormalization", "Normalization", "Normalises groups of channels of each sample on their own.",
        (Param("groups", "int", default=32, minimum=-1,
               help="How many groups the channels split into (they must divide); -1: one per channel."),
         Param("axis", "axis", default=-1, help="The channels axis (usually -1)."), *_NORMALIZATION),
        rules.group_normalization_shape, rules.group_normalization_weights, summary=("groups",),
        id_prefix="group_norm", params_rule=_groups_not_zero, keywords=("norm",),
    ),
    LayerSpec(
        "Permute", "Reshaping", "Reorders the axes of each sample (the batch axis stays first).",
        (Param("dims", "dims", help="The new order of axes 1..n, e.g. [2, 1] swaps two axes.", initial=[2, 1]),),
        rules.permute_shape, summary=("dims",), id_prefix="permute",
    ),
    LayerSpec(
        "RepeatVector", "Reshaping", "Repeats a (batch, features) vector n times: (batch, n, features).",
        (Param("n", "int", minimum=1, help="Number of repetitions.", initial=3),),
        rules.repeat_vector_shape, summary=("n",), id_prefix="repeat",
    ),
    *NEW_SPATIAL,
    *MERGING_SPECS,
    *ACTIVATION_SPECS,
    *PASSTHROUGH_SPECS,
    *PREPROCESSING_SPECS,
    *ATTENTION_SPECS,
    *WRAPPER_SPECS,
)

SPECS: tuple[LayerSpec, ...] = tuple(sorted(_SPECS, key=lambda spec: CATEGORY_ORDER.index(spec.category)))
CATALOG: dict[str, LayerSpec] = {spec.name: spec for spec in SPECS}


class UnknownLayerError(KeyError):
    def __str__(self):
        return self.args[0]

    @staticmethod
    def message(layer) -> str:
        return (f"unknown layer {quote(layer)}; the catalog has: {', '.join(CATALOG)}; and ops.<function> for a "
                "keras.ops operation (ops.concatenate, ops.add, ...)")


def _generic_shape(params, inputs):
    raise rules.ShapeError("this Keras layer is outside the catalog and has no shape of its own here; import "
                           "it from a model (python main.py import MODEL), which stores the shape Keras computes")


_GENERIC: dict[str, LayerSpec] = {}


def generic_spec(layer: str) -> LayerSpec:
    """The spec of a built-in Keras layer outside the catalog: any number of inputs, no typed params."""
    if layer not in _GENERIC:
        _GENERIC[layer] = LayerSpec(layer, "Keras", f"keras.layers.{layer}, imported from a model; outside the "
                                    "catalog, so its shape is computed by Keras.", (), _generic_shape, inputs=VARIADIC,
                                    generic=True, id_prefix=layer.lower())
    return _GENERIC[layer]


def spec_for(layer: str) -> LayerSpec:
    try:
        return CATALOG[layer]
    except (KeyError, TypeError):
        if isinstance(layer, str) and layer in KERAS_LAYERS:
            return generic_spec(layer)
        spec = op_spec(layer)  # "ops.concatenate": a keras.ops operation (builder/catalog/ops/)
        if spec is not None:
            return spec
        raise UnknownLayerError(UnknownLayerError.message(layer)) from None


def is_merge_layer(layer) -> bool:
    """Whether `layer` (any name, known or not) is a merge layer: one that takes a list and grows a port."""
    try:
        return spec_for(layer).is_merge
    except UnknownLayerError:
        return False
