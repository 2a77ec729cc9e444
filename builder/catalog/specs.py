"""The layer catalog: one declarative spec per Keras layer. Adding a layer is adding one spec here.

A spec names the Keras class, its params (type, Keras default, bounds, help), how many input ports it has,
its shape rule and its weight-count rule (builder/catalog/rules/), and which params summarise a node on the
canvas. Nothing here imports Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from builder.catalog import rules
from builder.catalog.keras_names import KERAS_LAYERS
from builder.catalog.params import REQUIRED, Param, ParamError, UnknownParam, activation, pair
from builder.quoting import quote

VARIADIC = None  # input count of merge layers: ports 0..n-1, any n >= 1


@dataclass(frozen=True)
class LayerSpec:
    name: str  # the Keras class name, also the `layer` attribute of a node
    category: str
    help: str
    params: tuple[Param, ...]
    shape_rule: Callable
    weight_rule: Callable = rules.no_weights
    inputs: int | None = 1  # number of input ports; VARIADIC for merge layers
    function: str | None = None  # the functional form (`layers.concatenate`) for merge layers
    summary: tuple[str, ...] = ()  # params shown on the node, in order
    id_prefix: str = ""
    # Checks of params that only fail together (strides with dilation): run before the inputs are looked at,
    # so the node shows its own error even when what feeds it is broken, as Keras's constructor refuses it.
    params_rule: Callable | None = None
    # A built-in Keras layer outside the catalog (imported from a model): no typed params, every constructor
    # argument in the node's `config`, its shape as Keras computed it stored in the node's `keras_shape`.
    generic: bool = False
    param_by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "param_by_name", {p.name: p for p in self.params})

    @property
    def is_merge(self) -> bool:
        return self.inputs is VARIADIC

    @property
    def is_input(self) -> bool:
        return self.inputs == 0

    def param(self, name: str) -> Param:
        try:
            return self.param_by_name[name]
        except KeyError:
            known = ", ".join(self.param_by_name) or "none"
            raise UnknownParam(f"{self.name} has no parameter {quote(name)} (its parameters: {known})") from None

    def start_params(self) -> dict:
        """Params of a newly placed node: every required one, with a sensible starting value."""
        return {p.name: p.start_value() for p in self.params if p.required}

    def resolve(self, params: dict) -> dict:
        """All params, defaults filled in, each validated; raises ParamError naming the first bad one."""
        resolved = {}
        if not params.keys() <= self.param_by_name.keys():
            for name in params:
                self.param(name)  # raises UnknownParam naming the first stray one
        for p in self.params:
            if p.name in params:
                try:
                    resolved[p.name] = p.validate(params[p.name])
                except ParamError as exc:
                    raise ParamError(f"{p.name}: {exc}") from None
            elif p.required:
                raise ParamError(f"{p.name}: required by {self.name} ({p.describe()}) but not set")
            else:
                resolved[p.name] = p.default
        return resolved


_PADDING = Param("padding", "choice", default="valid", choices=("valid", "same"),
                 help="'valid': no padding, the output shrinks; 'same': pad so that with strides 1 the "
                      "output keeps the input's height and width.")
_USE_BIAS = Param("use_bias", "bool", default=True, help="Add a learned bias to each output.")


def _pool_params(pool_default):
    # Keras 3's MaxPooling2D defaults pool_size to (2, 2), but AveragePooling2D has no default: exported
    # code must always write it there.
    return (
        pair("pool_size", default=pool_default, help_text="Height and width of the pooling window.", initial=2),
        pair("strides", default=None, nullable=True,
             help_text="Step of the window; None means the same as pool_size."),
        _PADDING,
    )


def _conv_common(dilation_help="Spacing between kernel taps; > 1 needs strides 1."):
    return (pair("strides", default=1, help_text="Step of the window along height and width."), _PADDING,
            pair("dilation_rate", default=1, help_text=dilation_help))


_FILTERS = Param("filters", "int", minimum=1, help="Number of output channels.", initial=32)
_KERNEL = pair("kernel_size", help_text="Height and width of the convolution window.", initial=3)
_MULTIPLIER = Param("depth_multiplier", "int", default=1, minimum=1,
                    help="Output channels per input channel in the depthwise step.")
_GROUPS = Param("groups", "int", default=1, minimum=1,
                help="Split channels into this many groups; filters and input channels must divide by it.")
# What BatchNormalization and LayerNormalization share after their axis.
_NORMALIZATION = (
    Param("epsilon", "float", default=0.001, minimum=0, exclusive_min=True,
          help="Small number added to the variance to avoid dividing by zero."),
    Param("center", "bool", default=True, help="Learn an offset (beta)."),
    Param("scale", "bool", default=True, help="Learn a scale (gamma)."),
)
_KEEPDIMS = Param("keepdims", "bool", default=False, help="Keep the pooled axes as size-1 axes.")


def _one(name, default=REQUIRED, help_text="", nullable=False, initial=REQUIRED, minimum=1):
    return Param(name, "ints", default=default, help=help_text, nullable=nullable, minimum=minimum, initial=initial,
                 length=1)


def _recurrent_params(extra):
    return (Param("units", "int", minimum=1, help="Size of the hidden state.", initial=32),
            activation(default="tanh", help_text="Applied to the cell output; None means linear."),
            replace(activation(default="sigmoid", help_text="Applied to the gates; None means linear."),
                    name="recurrent_activation"),
            _USE_BIAS,
            Param("dropout", "float", default=0.0, minimum=0, maximum=1,
                  help="Fraction of the inputs dropped while training."),
            Param("recurrent_dropout", "float", default=0.0, minimum=0, maximum=1,
                  help="Fraction of the recurrent state dropped while training."),
            Param("return_sequences", "bool", default=False,
                  help="Return the output of every step (batch, steps, units), not only the last."),
            Param("go_backwards", "bool", default=False, help="Read the sequence backwards."),
            *extra)


SPECS: tuple[LayerSpec, ...] = (
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
    LayerSpec(
        "Conv2D", "Convolution", "2D convolution over height and width (channels last).",
        (_FILTERS, _KERNEL, *_conv_common(), _GROUPS, activation(), _USE_BIAS),
        rules.conv2d_shape, rules.conv2d_weights,
        summary=("filters", "kernel_size", "strides", "padding", "activation"), id_prefix="conv",
        params_rule=rules.strides_dilation_params("Conv2D"),
    ),
    LayerSpec(
        "MaxPooling2D", "Pooling", "Largest value in each window.", _pool_params(2),
        rules.max_pooling2d_shape, summary=("pool_size", "strides", "padding"), id_prefix="max_pool",
    ),
    LayerSpec(
        "AveragePooling2D", "Pooling", "Mean value in each window.", _pool_params(REQUIRED),
        rules.average_pooling2d_shape, summary=("pool_size", "strides", "padding"), id_prefix="avg_pool",
    ),
    LayerSpec(
        "GlobalAveragePooling2D", "Pooling", "Mean over height and width: one value per channel.",
        (Param("keepdims", "bool", default=False, help="Keep height and width as size-1 axes."),),
        rules.global_average_pooling2d_shape, summary=("keepdims",), id_prefix="global_avg_pool",
    ),
    LayerSpec(
        "Flatten", "Reshaping", "Flattens each sample into one axis.", (),
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
         *_NORMALIZATION),
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
    LayerSpec(
        "ZeroPadding2D", "Reshaping", "Adds rows and columns of zeros around each feature map.",
        (Param("padding", "pads", default=[1, 1],
               help="Zeros to add: n, [rows, cols] or [[top, bottom], [left, right]]."),),
        rules.zero_padding2d_shape, summary=("padding",), id_prefix="zero_pad",
    ),
    LayerSpec(
        "Cropping2D", "Reshaping", "Removes rows and columns at the edges of each feature map.",
        (Param("cropping", "pads", default=[[0, 0], [0, 0]],
               help="What to remove: n, [rows, cols] or [[top, bottom], [left, right]]."),),
        rules.cropping2d_shape, summary=("cropping",), id_prefix="crop",
    ),
    LayerSpec(
        "UpSampling2D", "Reshaping", "Repeats rows and columns to enlarge each feature map.",
        (pair("size", default=[2, 2], help_text="Factors for height and width."),
         Param("interpolation", "choice", default="nearest",
               choices=("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area"),
               help="How new values are computed.")),
        rules.up_sampling2d_shape, summary=("size",), id_prefix="up_sample",
    ),
    LayerSpec(
        "Conv2DTranspose", "Convolution", "Transposed 2D convolution: learns to enlarge feature maps.",
        (_FILTERS, _KERNEL, pair("strides", default=1, help_text="Step of the window along height and width."),
         _PADDING,
         Param("output_padding", "ints", default=None, nullable=True, minimum=0,
               help="Extra rows/columns on one side of the output; each must be smaller than its stride."),
         pair("dilation_rate", default=1, help_text="Spacing between kernel taps; > 1 needs strides 1."),
         activation(), _USE_BIAS),
        rules.conv2d_transpose_shape, rules.conv2d_transpose_weights,
        summary=("filters", "kernel_size", "strides", "padding"), id_prefix="conv_transpose",
        params_rule=rules.conv2d_transpose_params,
    ),
    LayerSpec(
        "DepthwiseConv2D", "Convolution", "Convolves each channel on its own.",
        (_KERNEL, pair("strides", default=1, help_text="Step of the window along height and width."), _PADDING,
         _MULTIPLIER, pair("dilation_rate", default=1, help_text="Spacing between kernel taps."),
         activation(), _USE_BIAS),
        rules.depthwise_conv2d_shape, rules.depthwise_conv2d_weights,
        summary=("kernel_size", "strides", "padding"), id_prefix="depthwise_conv",
    ),
    LayerSpec(
        "SeparableConv2D", "Convolution", "Depthwise convolution followed by a 1×1 convolution.",
        (_FILTERS, _KERNEL, *_conv_common("Spacing between kernel taps."), _MULTIPLIER, activation(), _USE_BIAS),
        rules.separable_conv2d_shape, rules.separable_conv2d_weights,
        summary=("filters", "kernel_size", "strides", "padding"), id_prefix="separable_conv",
    ),
    LayerSpec(
        "Conv1D", "Convolution", "1D convolution over the steps of a sequence (batch, steps, features).",
        (_FILTERS, _one("kernel_size", help_text="Length of the convolution window.", initial=3),
         _one("strides", default=1, help_text="Step of the window."),
         Param("padding", "choice", default="valid", choices=("valid", "same", "causal"),
               help="'valid': no padding; 'same': keep the length with strides 1; 'causal': pad on the left only."),
         _one("dilation_rate", default=1, help_text="Spacing between kernel taps; > 1 needs strides 1."),
         Param("groups", "int", default=1, minimum=1,
               help="Split features into this many groups; filters and input features must divide by it."),
         activation(), _USE_BIAS),
        rules.conv1d_shape, rules.conv1d_weights,
        summary=("filters", "kernel_size", "strides", "padding"), id_prefix="conv1d",
        params_rule=rules.strides_dilation_params("Conv1D"),
    ),
    LayerSpec(
        "ReLU", "Activation", "Rectified linear unit with an optional cap, leak and threshold.",
        (Param("max_value", "float", default=None, nullable=True, minimum=0, help="Largest output; None: no cap."),
         Param("negative_slope", "float", default=0.0, minimum=0, help="Slope below the threshold."),
         Param("threshold", "float", default=0.0, minimum=0, help="Values below it are damped.")),
        rules.relu_shape, summary=("max_value",), id_prefix="relu",
    ),
    LayerSpec(
        "Rescaling", "Preprocessing", "Multiplies by scale and adds offset (e.g. 1/255 for pixels).",
        (Param("scale", "float", help="Factor to multiply by.", initial=1 / 255),
         Param("offset", "float", default=0.0, help="Value to add after scaling.")),
        rules.same_shape, summary=("scale", "offset"), id_prefix="rescaling",
    ),
    LayerSpec(
        "LayerNormalization", "Normalization", "Normalises each sample over one axis.",
        (Param("axis", "axis", default=-1, help="The axis to normalise (usually -1)."), *_NORMALIZATION),
        rules.layer_normalization_shape, rules.layer_normalization_weights, summary=("axis",),
        id_prefix="layer_norm",
    ),
    LayerSpec(
        "GlobalMaxPooling2D", "Pooling", "Largest value over height and width: one value per channel.",
        (_KEEPDIMS,), rules.global_max_pooling2d_shape, summary=("keepdims",), id_prefix="global_max_pool",
    ),
    LayerSpec(
        "MaxPooling1D", "Pooling", "Largest value in each window of steps.",
        (_one("pool_size", default=2, help_text="Length of the pooling window."),
         _one("strides", default=None, nullable=True, help_text="Step of the window; None means pool_size."),
         _PADDING),
        rules.max_pooling1d_shape, summary=("pool_size", "strides"), id_prefix="max_pool1d",
    ),
    LayerSpec(
        "GlobalAveragePooling1D", "Pooling", "Mean over the steps: one value per feature.",
        (_KEEPDIMS,), rules.global_average_pooling1d_shape, summary=("keepdims",), id_prefix="global_avg_pool1d",
    ),
    LayerSpec(
        "Embedding", "Sequence", "Looks up a learned vector for each integer index (0 .. input_dim - 1).",
        (Param("input_dim", "int", minimum=1, help="Vocabulary size: indices go from 0 to input_dim - 1.",
               initial=1000),
         Param("output_dim", "int", minimum=1, help="Size of each vector.", initial=32),
         Param("mask_zero", "bool", default=False, help="Treat index 0 as padding and mask it downstream.")),
        rules.embedding_shape, rules.embedding_weights, summary=("input_dim", "output_dim"), id_prefix="embedding",
    ),
    LayerSpec(
        "LSTM", "Sequence", "Long short-term memory over the steps of a sequence.",
        _recurrent_params((Param("unit_forget_bias", "bool", default=True,
                                 help="Start the forget gate's bias at 1."),)),
        rules.recurrent_shape("LSTM"), rules.lstm_weights, summary=("units", "return_sequences"), id_prefix="lstm",
    ),
    LayerSpec(
        "GRU", "Sequence", "Gated recurrent unit over the steps of a sequence.",
        _recurrent_params((Param("reset_after", "bool", default=True,
                                 help="Apply the reset gate after the matrix product (two biases per gate)."),)),
        rules.recurrent_shape("GRU"), rules.gru_weights, summary=("units", "return_sequences"), id_prefix="gru",
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
)

CATALOG: dict[str, LayerSpec] = {spec.name: spec for spec in SPECS}


class UnknownLayerError(KeyError):
    def __str__(self):
        return self.args[0]

    @staticmethod
    def message(layer) -> str:
        return f"unknown layer {quote(layer)}; the catalog has: {', '.join(CATALOG)}"


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
        raise UnknownLayerError(UnknownLayerError.message(layer)) from None


def is_merge_layer(layer) -> bool:
    """Whether `layer` (any name, known or not) is a merge layer: one that takes a list and grows a port."""
    try:
        return spec_for(layer).is_merge
    except UnknownLayerError:
        return False
