"""Specs of the image preprocessing layers: Resizing and CenterCrop, and the random augmentation layers
(RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast, RandomBrightness), which change
values only while training and give back their input at inference; their own params are validated as Keras's
constructors validate them.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import LayerSpec
from builder.catalog.params import Param
from builder.catalog.spec_params import DATA_FORMAT

_INTERPOLATION = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")
_FILL = Param("fill_mode", "choice", default="reflect", choices=("reflect", "wrap", "constant", "nearest"),
              help="How points outside the image are filled.")
_FILL_VALUE = Param("fill_value", "float", default=0.0, help="The value outside the image when fill_mode='constant'.")
_WORDS = ("augmentation", "augment", "random")


def _factor(name, low, high, help_text, default=None, nullable=False):
    kwargs = {} if default is None and not nullable else {"default": default}
    return Param(name, "floats", length=2, minimum=low, maximum=high, nullable=nullable, initial=0.1,
                 help=help_text, **kwargs)


def _size(name, what):
    return Param(name, "int", minimum=1, initial=224, help=f"{what} of every output image.")


def _augmentation(name, text, params, summary, words=()):
    return LayerSpec(name, "Preprocessing", f"{text} Only while training: at inference it gives back its input.",
                     params, rules.augmentation_shape(name), summary=summary, id_prefix=name[len("Random"):].lower(),
                     keywords=(*_WORDS, *words))


PREPROCESSING_SPECS = (
    LayerSpec(
        "Resizing", "Preprocessing", "Resizes every image to height × width.",
        (_size("height", "Height"), _size("width", "Width"),
         Param("interpolation", "choice", default="bilinear", choices=_INTERPOLATION, help="How new pixels are computed."),
         Param("crop_to_aspect_ratio", "bool", default=False, help="Crop to the target's aspect ratio first."),
         Param("pad_to_aspect_ratio", "bool", default=False, help="Pad to the target's aspect ratio first."),
         Param("fill_mode", "choice", default="constant", choices=("constant",),
               help="How padding is filled (pad_to_aspect_ratio)."),
         _FILL_VALUE, Param("antialias", "bool", default=False, help="Filter when downsampling."), DATA_FORMAT),
        rules.to_size_shape("Resizing"), summary=("height", "width", "interpolation"), id_prefix="resizing",
        keywords=("resize", "scale", "image"),
    ),
    LayerSpec(
        "CenterCrop", "Preprocessing", "Crops the centre of every image to height × width.",
        (_size("height", "Height"), _size("width", "Width"), DATA_FORMAT),
        rules.to_size_shape("CenterCrop"), summary=("height", "width"), id_prefix="center_crop",
        keywords=("crop", "image"),
    ),
    _augmentation("RandomFlip", "Flips images at random.",
                  (Param("mode", "choice", default="horizontal_and_vertical",
                         choices=("horizontal", "vertical", "horizontal_and_vertical"), help="Which flips."),
                   DATA_FORMAT), ("mode",), ("mirror",)),
    _augmentation("RandomRotation", "Rotates images by a random fraction of a full turn.",
                  (_factor("factor", -1e6, 1e6, "Fraction of 2π: a number f for [-f, f], or [low, high]."), _FILL,
                   Param("interpolation", "choice", default="bilinear", choices=("nearest", "bilinear")),
                   _FILL_VALUE, DATA_FORMAT), ("factor",), ("rotate",)),
    _augmentation("RandomZoom", "Zooms images in or out at random.",
                  (_factor("height_factor", -1, 1e6, "Zoom range of the height: f for [-f, f], or [low, high]."),
                   _factor("width_factor", -1, 1e6, "Zoom range of the width; None: keeps the aspect ratio.",
                           nullable=True),
                   _FILL, Param("interpolation", "choice", default="bilinear", choices=("nearest", "bilinear")),
                   _FILL_VALUE, DATA_FORMAT), ("height_factor", "width_factor"), ("zoom", "scale")),
    _augmentation("RandomTranslation", "Shifts images at random.",
                  (_factor("height_factor", -1, 1, "Shift range as a fraction of the height."),
                   _factor("width_factor", -1, 1, "Shift range as a fraction of the width."),
                   _FILL, Param("interpolation", "choice", default="bilinear", choices=("nearest", "bilinear")),
                   _FILL_VALUE, DATA_FORMAT), ("height_factor", "width_factor"), ("shift", "translate")),
    _augmentation("RandomContrast", "Changes the contrast of images at random.",
                  (_factor("factor", 0, 1, "Contrast range: f for [1 - f, 1 + f], or [low, high]."),
                   Param("value_range", "floats", default=[0, 255], length=2,
                         help="The range of the pixel values, e.g. [0, 1] or [0, 255].")), ("factor",)),
    _augmentation("RandomBrightness", "Changes the brightness of images at random.",
                  (_factor("factor", -1, 1, "Brightness range as a fraction of value_range: f for [-f, f]."),
                   Param("value_range", "floats", default=[0, 255], length=2,
                         help="The range of the pixel values, e.g. [0, 1] or [0, 255].")), ("factor",)),
)
