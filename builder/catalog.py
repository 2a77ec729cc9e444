"""The layer catalog: one declarative spec per Keras layer. Adding a layer is adding one spec here.

A spec names the Keras class, its params (type, Keras default, bounds, help), how many input ports it has,
its shape rule and its weight-count rule (builder/shape_rules.py), and which params summarise a node on the
canvas. Nothing here imports Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from builder import shape_rules as rules
from builder.params import REQUIRED, Param, ParamError, UnknownParam, activation, pair

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
            raise UnknownParam(f"{self.name} has no parameter '{name}' (its parameters: {known})") from None

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
        (Param("filters", "int", minimum=1, help="Number of output channels.", initial=32),
         pair("kernel_size", help_text="Height and width of the convolution window.", initial=3),
         pair("strides", default=1, help_text="Step of the window along height and width."),
         _PADDING,
         pair("dilation_rate", default=1, help_text="Spacing between kernel taps; > 1 needs strides 1."),
         Param("groups", "int", default=1, minimum=1,
               help="Split channels into this many groups; filters and input channels must divide by it."),
         activation(), _USE_BIAS),
        rules.conv2d_shape, rules.conv2d_weights,
        summary=("filters", "kernel_size", "strides", "padding", "activation"), id_prefix="conv",
        params_rule=rules.conv2d_params,
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
         Param("epsilon", "float", default=0.001, minimum=0, exclusive_min=True,
               help="Small number added to the variance to avoid dividing by zero."),
         Param("center", "bool", default=True, help="Learn an offset (beta)."),
         Param("scale", "bool", default=True, help="Learn a scale (gamma).")),
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
)

CATALOG: dict[str, LayerSpec] = {spec.name: spec for spec in SPECS}


class UnknownLayerError(KeyError):
    def __str__(self):
        return self.args[0]

    @staticmethod
    def message(layer) -> str:
        return f"unknown layer {layer!r}; the catalog has: {', '.join(CATALOG)}"


def spec_for(layer: str) -> LayerSpec:
    try:
        return CATALOG[layer]
    except (KeyError, TypeError):
        raise UnknownLayerError(UnknownLayerError.message(layer)) from None
