"""Specs of layers that give back their input's shape and hold no weights: Masking, Identity, the noise and
dropout layers (GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D/2D/3D), ActivityRegularization
and UnitNormalization. What they change is the values (and, for Masking, the mask layers after it read), never
the shape, so their rules check only what Keras's constructor and input spec check.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import Param
from builder.catalog.spec_params import DATA_FORMAT


def _rate(text="Fraction of the inputs dropped while training, from 0 up to (not including) 1."):
    # Keras takes rate=1 too, but then drops everything (or divides by zero): refused, as Dropout's is.
    return Param("rate", "float", minimum=0, maximum=1, exclusive_max=True, initial=0.5, help=text)


def _spatial_rank(layer, rank):
    """SpatialDropout's input spec: exactly `rank` spatial axes plus batch and channels."""
    def rule(params, inputs):
        (x,) = inputs
        rules.need_spatial(x, layer, rank, params)
        return x.shape
    return rule


def _spatial_dropout(rank):
    name = f"SpatialDropout{rank}D"
    extra = (DATA_FORMAT,) if rank > 1 else ()  # Keras's SpatialDropout1D has no data_format
    return LayerSpec(
        name, "Regularization", "Drops whole channels (feature maps) while training, not single values.",
        (_rate("Fraction of the channels dropped while training, from 0 up to (not including) 1."), *extra),
        _spatial_rank(name, rank), summary=("rate", "data_format"), id_prefix=f"spatial_dropout{rank}d",
        keywords=("dropout", "channels"),
    )


PASSTHROUGH_SPECS = (
    LayerSpec(
        "Masking", "Core", "Marks the steps whose every value equals mask_value as padding for the layers after it.",
        (Param("mask_value", "float", default=0.0, help="Steps where every feature equals it are skipped."),),
        rules.same_shape, summary=("mask_value",), id_prefix="masking", keywords=("mask", "padding")),
    LayerSpec(
        "Identity", "Core", "Gives back its input unchanged (a placeholder or a named tap).", (),
        rules.same_shape, id_prefix="identity", keywords=("passthrough", "noop")),
    LayerSpec(
        "GaussianNoise", "Regularization", "Adds zero-mean Gaussian noise while training.",
        (Param("stddev", "float", minimum=0, maximum=1, initial=0.1, help="Standard deviation of the noise, 0 to 1."),),
        rules.same_shape, summary=("stddev",), id_prefix="gaussian_noise", keywords=("noise",)),
    LayerSpec(
        "GaussianDropout", "Regularization", "Multiplies by Gaussian noise of mean 1 while training.",
        (_rate("Drop probability, as in Dropout; the noise's stddev is sqrt(rate / (1 - rate))."),),
        rules.same_shape, summary=("rate",), id_prefix="gaussian_dropout", keywords=("noise", "dropout")),
    LayerSpec(
        "AlphaDropout", "Regularization", "Dropout that keeps the mean and variance, for SELU networks.",
        (_rate(),), rules.same_shape, summary=("rate",), id_prefix="alpha_dropout", keywords=("dropout", "selu")),
    *(_spatial_dropout(rank) for rank in (1, 2, 3)),
    LayerSpec(
        "ActivityRegularization", "Regularization", "Adds an L1/L2 penalty on the values that pass through.",
        (Param("l1", "float", default=0.0, minimum=0, help="L1 penalty factor."),
         Param("l2", "float", default=0.0, minimum=0, help="L2 penalty factor.")),
        rules.same_shape, summary=("l1", "l2"), id_prefix="activity_regularization", keywords=("penalty",)),
    LayerSpec(
        "UnitNormalization", "Normalization", "Scales each sample to length 1 along an axis (L2 norm).",
        (Param("axis", "axes", default=-1, length=0, help="The axis (or list of axes) of the norm."),),
        rules.axes_shape("UnitNormalization"), summary=("axis",), id_prefix="unit_norm", keywords=("l2", "norm")),
)
