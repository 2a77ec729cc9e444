"""Numbers that remember how they were made, so a rule's own arithmetic explains its result.

A shape or weight rule computes with plain ints during inference. To explain a node, builder/explain runs the
SAME rule again with its params and input sizes as `Term`s: an int subclass whose arithmetic returns Terms that
carry the formula with the real numbers (`floor((28 − 3) / 1) + 1`). The number a rule returns and the text that
explains it are therefore made by one computation and cannot drift apart. Rules add words where arithmetic alone
says too little: `named(value, "biases")` labels a number, `window_out` writes Keras's documented window formula,
`note(value, ...)` adds a remark ("along axis −1"). Outside an explanation these helpers return their value
unchanged and cost one global read, so inference stays as fast as before.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

# Operator precedence of a Term's text, for parentheses: a sum inside a product needs them, a product does not.
ATOM, PRODUCT, SUM = 3, 2, 1

_tracing = [False]  # set only while builder/explain re-runs a rule (the app is single-threaded)


def tracing() -> bool:
    return _tracing[0]


class tracing_on:
    """While active, the helpers below make Terms; nested use is fine."""

    def __enter__(self):
        self._before = _tracing[0]
        _tracing[0] = True
        return self

    def __exit__(self, *exc):
        _tracing[0] = self._before
        return False


def number(value: int) -> str:
    """12345 -> '12,345'; negative numbers with a real minus sign."""
    return f"−{-value:,}" if value < 0 else f"{value:,}"


class Term(int):
    """An int with `text`, the formula that made it (plain numbers, × − / floor ceil), an optional `label`
    ("units", "biases"), `source` (where a leaf came from: a param name or (node, axis)) and `notes`."""

    def __new__(cls, value, text=None, prec=ATOM, label=None, source=None, notes=()):
        term = super().__new__(cls, value)
        term.text = number(int(value)) if text is None else text
        term.prec = prec
        term.label = label
        term.source = source
        term.notes = tuple(notes)
        return term

    @property
    def is_leaf(self) -> bool:
        return self.prec == ATOM and self.text == number(int(self)) and not self.notes

    def shown(self) -> str:
        """The text as an operand: the formula with the label after it ('75,264 inputs', '3 × 3 kernel')."""
        return f"{self.text} {self.label}" if self.label else self.text

    def formula(self) -> str:
        """'value = formula' (or just the value for a leaf) followed by the notes."""
        head = number(int(self)) if self.is_leaf else f"{number(int(self))} = {self.shown()}"
        if self.is_leaf and self.label:
            head = f"{head}: {self.label}"
        return head + "".join(self.notes)

    # ---- arithmetic: each result carries the formula of its operands ----

    def __add__(self, other):
        return _combine(self, other, " + ", SUM, int.__add__) if isinstance(other, int) else NotImplemented

    def __radd__(self, other):
        return _combine(other, self, " + ", SUM, int.__add__) if isinstance(other, int) else NotImplemented

    def __sub__(self, other):
        return _combine(self, other, " − ", SUM, int.__sub__) if isinstance(other, int) else NotImplemented

    def __rsub__(self, other):
        return _combine(other, self, " − ", SUM, int.__sub__) if isinstance(other, int) else NotImplemented

    def __mul__(self, other):
        return _combine(self, other, " × ", PRODUCT, int.__mul__) if isinstance(other, int) else NotImplemented

    def __rmul__(self, other):
        return _combine(other, self, " × ", PRODUCT, int.__mul__) if isinstance(other, int) else NotImplemented

    def __floordiv__(self, other):
        return _floor(self, other) if isinstance(other, int) else NotImplemented

    def __rfloordiv__(self, other):
        return _floor(other, self) if isinstance(other, int) else NotImplemented

    def __neg__(self):
        return Term(-int(self), f"−{_operand(self, ATOM)}", PRODUCT)

    def __pos__(self):
        return self

    # hash and == stay int's: a Term is its value everywhere a rule compares or looks it up


def _text(value) -> str:
    return value.shown() if isinstance(value, Term) else number(int(value))


def _operand(value, prec: int, strict: bool = False) -> str:
    """The operand's text, in parentheses where its own operator binds less (or equally, on the right of − )."""
    own = value.prec if isinstance(value, Term) and not value.label else ATOM
    text = _text(value)
    return f"({text})" if own < prec or (strict and own == prec) else text


def _combine(left, right, op: str, prec: int, compute):
    value = compute(int(left), int(right))
    # Adding a plain 0 or multiplying by a plain 1 (sum()'s start, a default factor) says nothing: keep the other.
    neutral = 0 if prec == SUM else 1
    if type(right) is int and right == neutral:
        return left if isinstance(left, Term) else value
    if type(left) is int and left == neutral and op != " − ":
        return right
    text = f"{_operand(left, prec)}{op}{_operand(right, prec, strict=op == ' − ')}"
    return Term(value, text, prec)


def _floor(left, right):
    value = int(left) // int(right)
    if type(right) is int and right == 1:
        return left
    return Term(value, f"floor({_operand(left, PRODUCT)} / {_operand(right, PRODUCT, strict=True)})")


# ---- helpers the rules call (cheap no-ops outside an explanation) ------------------------------------------

def named(value, label: str):
    """The value with a name shown after it in formulas ('10 units'); unchanged outside an explanation."""
    if not _tracing[0] or value is None:
        return value
    if isinstance(value, Term):
        return Term(int(value), value.text, value.prec, label, value.source, value.notes)
    return Term(value, label=label)


def note(value, remark: str, sep: str = "; "):
    """The value with a remark after its formula ('along axis −1'); unchanged outside an explanation."""
    remark = sep + remark
    if not _tracing[0] or value is None:
        return value
    if isinstance(value, Term):
        return Term(int(value), value.text, value.prec, value.label, value.source, (*value.notes, remark))
    return Term(value, notes=(remark,))


def formula(value: int, text: str, prec: int = ATOM):
    """A value with a formula the rule writes itself (Keras's documented form rather than the arithmetic)."""
    if not _tracing[0]:
        return value
    return Term(value, text, prec)
