"""Image preprocessing: Resizing and CenterCrop (the output takes height × width from their params), and the
random augmentation layers, which give back their input at inference (what a built model runs).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import ShapeError, by, join_channels, need_spatial, split_channels


def to_size_shape(layer: str):
    """Resizing and CenterCrop: every image becomes height × width, channels kept. Keras also takes a single
    unbatched image (rank 3), but in a model the batch axis is always there, so a rank-3 tensor would be read
    as one image whose height is the batch: refused by asking for the batched rank. Channels first, the
    batch axis of a rank-3 tensor is read as the channels instead: each sample is one channel of one image,
    sized on its own, so (batch, h, w) becomes (batch, height, width), as Keras builds and runs it."""
    def rule(params, inputs):
        (x,) = inputs
        if len(x.shape) == 3 and params.get("data_format") == "channels_first":
            return (x.shape[0], params["height"], params["width"])
        need_spatial(x, layer, 2, params, None if params.get("data_format") == "channels_first" else
                     "use it on images (batch, height, width, channels), e.g. right after an image Input")
        channels = split_channels(x.shape, params)[1]
        return join_channels(x.shape[0], (params["height"], params["width"]), channels, params)
    return rule


def augmentation_shape(layer: str):
    """The random augmentation layers give back their input at inference, but Keras checks it is an image: a
    batch (rank 4) or, as it also takes one unbatched image, rank 3 (which in a model reads the batch axis as
    the height while training)."""
    def rule(params, inputs):
        (x,) = inputs
        if len(x.shape) not in (3, 4):
            raise ShapeError(f"{layer} needs images (batch, height, width, channels), but {by(x)}; use it on "
                             "images, e.g. right after an image Input")
        return x.shape
    return rule
