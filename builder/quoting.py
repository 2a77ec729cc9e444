"""Quoting user-supplied text in messages: short, and with every control character escaped.

A file may hold a ten-million-character id or an escape sequence in a key; a message that quoted it whole
would print megabytes to a terminal or a dialog, or retitle or clear the terminal. Every message that quotes
text or values from a file uses `quote` (texts) or `show` (any JSON value); `escape_controls` is applied once
more to every whole message the command line prints, as a last line of defence.
"""

from __future__ import annotations

import re

LIMIT = 80  # characters of user text quoted in a message
ELLIPSIS = "…"
# C0 and C1 controls, DEL, and the invisible format/separator characters that can reorder or hide text.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape_one(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in named:
        return named[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, keep_newlines: bool = False) -> str:
    """`text` with control and invisible format characters written as escapes (\\x1b, \\u200b, ...);
    with keep_newlines, line breaks stay (a message of several lines)."""
    if keep_newlines:
        return "\n".join(_CONTROLS.sub(_escape_one, line) for line in text.split("\n"))
    return _CONTROLS.sub(_escape_one, text)


def shorten(text: str, limit: int = LIMIT) -> str:
    """At most `limit` characters of `text` (escapes counted), ending in an ellipsis when cut."""
    head = escape_controls(text[:limit])
    if len(head) > limit or len(text) > limit:
        return head[:limit - 1] + ELLIPSIS
    return head


def quote(text, limit: int = LIMIT, quote_char: str = "") -> str:
    """A text from a file, in quotes (as Python's repr picks them, unless quote_char says), escaped and at most
    about `limit` characters long. Not a text: `show`."""
    if not isinstance(text, str):
        return show(text, limit, python=True)
    if not quote_char:
        quote_char = '"' if "'" in text[:limit] and '"' not in text[:limit] else "'"
    return quote_char + shorten(text, limit) + quote_char


def show(value, limit: int = LIMIT, python: bool = False) -> str:
    """Any value from a file (JSON: dict, list, text, number, true/false, null) as a short piece of text
    (True/False/None with python=True, for messages about Python arguments). The text is built only as far as
    `limit`, so a list of ten million items costs no more than a short one."""
    words = {True: "True", False: "False", None: "None"} if python else {True: "true", False: "false", None: "null"}
    out: list[str] = []
    budget = [limit + 1]

    def emit(piece: str) -> bool:
        out.append(piece)
        budget[0] -= len(piece)
        return budget[0] > 0

    def walk(item) -> bool:  # False once the budget is spent
        if isinstance(item, str):
            return emit(quote(item, max(budget[0], 4), '"'))
        if isinstance(item, bool) or item is None:
            return emit(words[item])
        if isinstance(item, int):
            return emit(_int_text(item))
        if isinstance(item, float):
            return emit(repr(item))
        if isinstance(item, (list, tuple)):
            if not emit("["):
                return False
            for i, inner in enumerate(item):
                if (i and not emit(", ")) or not walk(inner):
                    return False
            return emit("]")
        if isinstance(item, dict):
            if not emit("{"):
                return False
            for i, (key, inner) in enumerate(item.items()):
                if (i and not emit(", ")) or not walk(key) or not emit(": ") or not walk(inner):
                    return False
            return emit("}")
        return emit(type(item).__name__)

    walk(value)
    text = "".join(out)
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS


def _int_text(value: int) -> str:
    """An integer as text; one too long to print (Python refuses str() beyond 4,300 digits) by its size."""
    if abs(value) < 10 ** 30:
        return str(value)
    return f"<an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits>"
