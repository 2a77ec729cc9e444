"""Typed layer parameters: what a value may be, its Keras default, and how to check one.

Values are stored JSON-friendly (int, float, bool, str, None, lists of ints), exactly as the user gave
them, so a file round-trips byte for byte; `validate` returns that normalised form or raises ParamError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from builder.quoting import show

REQUIRED = object()  # sentinel default: Keras has no default, the user must give a value

# Activation names that `keras.activations.get` accepts by name alone (Keras 3). `threshold` is left out:
# it needs extra arguments and fails when called by name. tests/builder/test_keras_agreement checks this list.
ACTIVATIONS = (
    "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "swish",
    "hard_silu", "hard_swish", "mish", "sigmoid", "hard_sigmoid", "log_sigmoid", "sparse_sigmoid",
    "tanh", "hard_tanh", "tanh_shrink", "softmax", "log_softmax", "sparsemax", "softplus",
    "softsign", "squareplus", "soft_shrink", "hard_shrink", "sparse_plus", "exponential", "glu",
)

MAX_DIM = 1_000_000_000  # far above any real layer; stops absurd values before they cost memory


class ParamError(ValueError):
    """A parameter value that Keras would refuse; the message says what was expected and what came."""


class UnknownParam(ParamError):
    """A parameter name the layer does not have."""


def _show(value) -> str:
    return show(value, python=True)  # a value from a file: short, control characters escaped (builder/quoting.py)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= 1e300  # an int is finite, but math.isfinite overflows on one of 4,000 digits
    return isinstance(value, float) and math.isfinite(value)


@dataclass(frozen=True)
class Param:
    """One constructor keyword argument of a Keras layer.

    kind is one of:
      int       an integer within [minimum, maximum]
      float     a finite number within [minimum, maximum] (maximum excluded when exclusive_max)
      bool      True or False
      choice    one of `choices` (None allowed when nullable)
      ints      an int, or a list of `length` ints, each within [minimum, maximum] (kernel sizes, strides)
      axis      any integer; the shape rule checks it against the input's rank
      axes      an integer or a list of 1 to 8 integers (`length` > 0: exactly that many; minimum:
                the smallest allowed), checked against the rank by the shape rule (LayerNormalization, Softmax)
      floats    a finite number, or a list of 1 to 4096 finite numbers (`length` > 0: exactly that many), each
                within [minimum, maximum] (Rescaling's scale, one per channel; an augmentation's factor range)
      shape     a list of positive ints or None (an unknown dim), for Input
      target    a list of positive ints with at most one -1, for Reshape
      pads      an int, one per spatial axis, or a [before, after] pair per axis, each >= 0 (ZeroPadding,
                Cropping; `length` is the number of spatial axes, and 1D takes an int or [start, end])
      dims      a list of axes 1..n in any order, each once (Permute)
      layer     a catalog layer inside a wrapper: {"layer": "LSTM", "params": {"units": 64}}, the layer one of
                `choices` (empty: any layer a wrapper can hold), its params checked by its own spec
                (builder/catalog/wrapped_layer.py)
      clipping  BatchNormalization's renorm_clipping: an object with optional keys rmax, rmin, dmax, each a
                finite number, rmax >= rmin and dmax >= 0 (Keras's checks)
    """

    name: str
    kind: str
    default: object = REQUIRED
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False
    exclusive_max: bool = False
    choices: tuple = ()
    nullable: bool = False
    length: int = 2
    initial: object = REQUIRED  # what a newly placed node starts with, when Keras has no default
    # Exported code writes only non-default params, except these: a reader of a concatenation needs its axis.
    always_written: bool = False
    # Taken by Keras through **kwargs rather than named in its signature (LayerNormalization's rms_scaling).
    keyword_only: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def start_value(self):
        """The value a new node gets: Keras's default, or a sensible starting value when there is none."""
        return self.initial if self.initial is not REQUIRED else self.default

    def validate(self, value):
        """Return the stored form of `value`, or raise ParamError saying what was expected."""
        if value is None:
            if self.nullable:
                return None
            raise ParamError(f"expected {self.describe()}, got None")
        return _CHECKS[self.kind](self, value)

    def is_default(self, value) -> bool:
        if self.required:
            return False
        if self.kind in ("ints", "pads") and value is not None and self.default is not None:
            return self.expand(value) == self.expand(self.default)
        if self.kind == "axes" and value is not None and self.default is not None:  # [-1] is the axis -1
            return _axes_tuple(value) == _axes_tuple(self.default)
        return value == self.default and type(value) is type(self.default)

    def expand(self, value) -> tuple:
        """An `ints` value as a full tuple: 3 -> (3, 3); a `pads` value as ((top, bottom), (left, right))."""
        if self.kind == "pads":
            return pads_pairs(value, self.length)
        if _is_int(value):
            return (value,) * self.length
        return tuple(value)

    def describe(self) -> str:
        """What a valid value looks like, for messages and tooltips."""
        low, high = self.minimum, self.maximum
        if self.kind == "int":
            if low == 1 and high is None:
                return "a positive integer"
            return f"an integer from {low:g} to {high:g}" if high is not None else f"an integer >= {low:g}"
        if self.kind == "float" and low is None and high is None:
            return "a number"
        if self.kind == "float":
            bottom = f"> {low:g}" if self.exclusive_min else f">= {low:g}"
            if high is None:  # epsilon: bounded below only
                return f"a number {bottom}"
            top = f"< {high:g}" if self.exclusive_max else f"<= {high:g}"
            return f"a number {bottom} and {top}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            names = ", ".join(_show(c) for c in self.choices)
            return f"one of {names}" + (" or None" if self.nullable else "")
        if self.kind == "ints":
            if self.minimum == 0:
                return f"an integer >= 0 or a list of {self.length} integers >= 0"
            if self.length == 1:
                return "a positive integer or a list of 1 positive integer"
            return f"a positive integer or a list of {self.length} positive integers"
        if self.kind == "pads":
            if self.length == 1:
                return "an integer >= 0 or a list [start, end] of integers >= 0"
            if self.length == 3:
                return ("an integer >= 0, a list [depth, rows, cols] or [[front, back], [top, bottom], [left, "
                        "right]] of integers >= 0")
            return "an integer >= 0, a list [rows, cols] or [[top, bottom], [left, right]] of integers >= 0"
        if self.kind == "dims":
            return "a list of the axes 1..n in some order, each once, e.g. [2, 1]"
        if self.kind == "axis":
            return "an integer axis"
        if self.kind == "axes":
            low = "" if self.minimum is None else f" >= {self.minimum:g}"
            many = f"a list of {self.length} integers" if self.length else "a list of integers"
            return f"an integer axis{low} or {many}{low}"
        if self.kind == "floats":
            many = f"a list of {self.length} numbers" if self.length else "a list of numbers"
            if self.minimum is not None and self.maximum is not None:
                return f"a number or {many}, each from {self.minimum:g} to {self.maximum:g}"
            return f"a number or {many}"
        if self.kind == "shape":
            return "a list of positive integers or null (unknown size), e.g. [28, 28, 1]"
        if self.kind == "target":
            return "a list of positive integers with at most one -1, e.g. [7, 7, 64] or [-1, 32]"
        if self.kind == "layer":
            from builder.catalog.wrapped_layer import describe_wrapped  # the catalog's specs import this module

            return describe_wrapped(self.choices)
        if self.kind == "clipping":
            return 'an object with any of rmax, rmin, dmax (numbers, rmax >= rmin, dmax >= 0), e.g. {"rmax": 3}'
        return self.kind

    def _fail(self, value):
        raise ParamError(f"expected {self.describe()}, got {_show(value)}")

    def _check_int(self, value):
        if not _is_int(value):
            self._fail(value)
        if (self.minimum is not None and value < self.minimum) or value > (self.maximum or MAX_DIM):
            self._fail(value)
        return value

    def _check_float(self, value):
        if not _is_number(value):
            self._fail(value)
        low, high = self.minimum, self.maximum
        if low is not None and (value < low or (self.exclusive_min and value == low)):
            self._fail(value)
        if high is not None and (value > high or (self.exclusive_max and value == high)):
            self._fail(value)
        return value

    def _check_bool(self, value):
        if not isinstance(value, bool):
            self._fail(value)
        return value

    def _check_choice(self, value):
        if not isinstance(value, str) or value not in self.choices:
            self._fail(value)
        return value

    def _check_ints(self, value):
        items = [value] if _is_int(value) else value
        if not isinstance(items, (list, tuple)) or (not _is_int(value) and len(items) != self.length):
            self._fail(value)
        low = 1 if self.minimum is None else self.minimum
        if not all(_is_int(v) and low <= v <= (self.maximum or MAX_DIM) for v in items):
            self._fail(value)
        return value if _is_int(value) else list(value)

    def _check_axis(self, value):
        if not _is_int(value) or abs(value) > 64:
            self._fail(value)
        return value

    def _check_axes(self, value):
        items = [value] if _is_int(value) else value
        if not isinstance(items, (list, tuple)) or not 1 <= len(items) <= 8:
            self._fail(value)
        if not _is_int(value) and self.length and len(items) != self.length:
            self._fail(value)
        low = -64 if self.minimum is None else self.minimum
        if not all(_is_int(v) and low <= v <= 64 for v in items):
            self._fail(value)
        return value if _is_int(value) else list(value)

    def _check_floats(self, value):
        items = [value] if _is_number(value) else value
        if not isinstance(items, (list, tuple)) or not 1 <= len(items) <= 4096 or not all(
                _is_number(v) for v in items):
            self._fail(value)
        if not _is_number(value) and self.length and len(items) != self.length:
            self._fail(value)
        low, high = self.minimum, self.maximum
        if (low is not None and min(items) < low) or (high is not None and max(items) > high):
            self._fail(value)
        return value if _is_number(value) else list(value)

    def _check_shape(self, value):
        if not isinstance(value, (list, tuple)) or len(value) > 8:
            self._fail(value)
        if not all(v is None or (_is_int(v) and 1 <= v <= MAX_DIM) for v in value):
            self._fail(value)
        return list(value)

    def _check_pads(self, value):
        # `length` is the number of spatial axes: 1D takes n or [before, after]; 2D and 3D take n, one n per
        # axis, or a [before, after] pair per axis.
        rank = self.length
        if _is_int(value):
            items = [value]
        elif isinstance(value, (list, tuple)) and len(value) == (2 if rank == 1 else rank) and all(
                _is_int(v) for v in value):
            items = list(value)
        elif (rank > 1 and isinstance(value, (list, tuple)) and len(value) == rank
              and all(isinstance(v, (list, tuple)) and len(v) == 2 for v in value)):
            items = [x for v in value for x in v]
        else:
            self._fail(value)
        if not all(_is_int(v) and 0 <= v <= MAX_DIM for v in items):
            self._fail(value)
        return value if _is_int(value) else [list(v) if isinstance(v, (list, tuple)) else v for v in value]

    def _check_dims(self, value):
        if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= 8 or not all(_is_int(v) for v in value):
            self._fail(value)
        if sorted(value) != list(range(1, len(value) + 1)):
            self._fail(value)
        return list(value)

    def _check_target(self, value):
        # An empty target is allowed, as Keras allows it: a sample of one value becomes a scalar per sample.
        if not isinstance(value, (list, tuple)) or len(value) > 8:
            self._fail(value)
        if not all(_is_int(v) and (v == -1 or 1 <= v <= MAX_DIM) for v in value) or list(value).count(-1) > 1:
            self._fail(value)
        return list(value)

    def _check_layer(self, value):
        from builder.catalog.wrapped_layer import check_wrapped  # the catalog's specs import this module

        return check_wrapped(self, value)

    def _check_clipping(self, value):
        if not isinstance(value, dict) or not set(value) <= {"rmax", "rmin", "dmax"} or not all(
                isinstance(k, str) and _is_number(v) for k, v in value.items()):
            self._fail(value)
        if "rmax" in value and "rmin" in value and value["rmax"] < value["rmin"]:
            self._fail(value)
        if value.get("dmax", 0) < 0:
            self._fail(value)
        return dict(value)


def _axes_tuple(value) -> tuple:
    return (value,) if _is_int(value) else tuple(value) if isinstance(value, (list, tuple)) else (value,)


def pads_pairs(value, rank: int = 2) -> tuple:
    """A `pads` value as one (before, after) pair per spatial axis, as Keras reads it: ((top, bottom), (left,
    right)) in 2D, ((start, end),) in 1D."""
    if _is_int(value):
        return ((value, value),) * rank
    if rank == 1:
        return (tuple(value),)
    if all(_is_int(v) for v in value):
        return tuple((v, v) for v in value)
    return tuple(tuple(v) for v in value)


def activation(default=None, help_text="", nullable=True, initial=REQUIRED) -> Param:
    return Param("activation", "choice", default=default, choices=ACTIVATIONS, nullable=nullable, initial=initial,
                 help=help_text or "Applied to the output; None means linear (no activation).")


def pair(name: str, default=REQUIRED, help_text="", nullable=False, initial=REQUIRED) -> Param:
    return Param(name, "ints", default=default, help=help_text, nullable=nullable, minimum=1, initial=initial)


# One checker per kind, looked up once per call: validation runs for every param of every node in inference.
_CHECKS = {name[len("_check_"):]: fn for name, fn in vars(Param).items() if name.startswith("_check_")}
