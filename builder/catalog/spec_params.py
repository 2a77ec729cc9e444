"""Params that many layer specs share: padding, use_bias, filters, window sizes per rank, data_format...

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog.params import REQUIRED, Param

PADDING = Param("padding", "choice", default="valid", choices=("valid", "same"),
                help="'valid': no padding, the output shrinks; 'same': pad so that with strides 1 the "
                     "output keeps the input's size.")
CAUSAL_PADDING = Param("padding", "choice", default="valid", choices=("valid", "same", "causal"),
                       help="'valid': no padding; 'same': keep the length with strides 1; 'causal': pad on the "
                            "left only.")
USE_BIAS = Param("use_bias", "bool", default=True, help="Add a learned bias to each output.")
FILTERS = Param("filters", "int", minimum=1, help="Number of output channels.", initial=32)
MULTIPLIER = Param("depth_multiplier", "int", default=1, minimum=1,
                   help="Output channels per input channel in the depthwise step.")
KEEPDIMS = Param("keepdims", "bool", default=False, help="Keep the pooled axes as size-1 axes.")
# Keras's default is None: its image_data_format setting, 'channels_last' unless a keras.json changes it.
DATA_FORMAT = Param("data_format", "choice", default=None, nullable=True, choices=("channels_last", "channels_first"),
                    help="Where the channels are: 'channels_last' (batch, ..., channels) or 'channels_first' "
                         "(batch, channels, ...); None: Keras's image_data_format, channels_last.")
# What BatchNormalization and LayerNormalization share after their axis.
NORMALIZATION = (
    Param("epsilon", "float", default=0.001, minimum=0, exclusive_min=True,
          help="Small number added to the variance to avoid dividing by zero."),
    Param("center", "bool", default=True, help="Learn an offset (beta)."),
    Param("scale", "bool", default=True, help="Learn a scale (gamma)."),
)

# The spatial axes of a layer of each rank, as help texts name them.
AXES_TEXT = {1: "the steps", 2: "height and width", 3: "depth, height and width"}


def sizes(name: str, rank: int, default=REQUIRED, help_text="", nullable=False, initial=REQUIRED,
          minimum=1) -> Param:
    """A window size, stride or dilation: an int for every spatial axis, or a list of one per axis."""
    return Param(name, "ints", default=default, help=help_text, nullable=nullable, minimum=minimum,
                 initial=initial, length=rank)


def groups(rank: int) -> Param:
    what = "features" if rank == 1 else "channels"
    return Param("groups", "int", default=1, minimum=1,
                 help=f"Split {what} into this many groups; filters and input {what} must divide by it.")
