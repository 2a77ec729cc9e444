"""Specs of Keras's activation layers beyond ReLU: ELU, LeakyReLU, PReLU and Softmax.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import Param

ACTIVATION_SPECS = (
    LayerSpec(
        "ELU", "Activation", "Exponential linear unit: x above 0, alpha × (exp(x) - 1) below.",
        (Param("alpha", "float", default=1.0, help="Scale of the negative part."),),
        rules.same_shape, summary=("alpha",), id_prefix="elu", keywords=("exponential",),
    ),
    LayerSpec(
        "LeakyReLU", "Activation", "ReLU that lets a small slope through below 0.",
        (Param("negative_slope", "float", default=0.3, minimum=0, help="Slope below 0 (0 or more)."),),
        rules.same_shape, summary=("negative_slope",), id_prefix="leaky_relu", keywords=("leaky", "relu"),
    ),
    LayerSpec(
        "PReLU", "Activation", "Leaky ReLU whose slope is learned, one per value (or shared along axes).",
        (Param("shared_axes", "axes", default=None, nullable=True, minimum=1, length=0,
               help="Axes along which one slope is shared, e.g. [1, 2] for one slope per channel of an image."),),
        rules.prelu_shape, rules.prelu_weights, summary=("shared_axes",), id_prefix="prelu",
        keywords=("leaky", "parametric", "relu"),
    ),
    LayerSpec(
        "Softmax", "Activation", "Turns values into probabilities that sum to 1 along an axis.",
        (Param("axis", "axes", default=-1, length=0, help="The axis (or list of axes) the probabilities sum over."),),
        rules.softmax_shape, summary=("axis",), id_prefix="softmax", keywords=("probabilities", "normalize"),
    ),
)
