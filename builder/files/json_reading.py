"""Reading JSON from a file the careful way, for project files (builder/files/project.py) and Keras model configs
(builder/keras/model_file.py): NaN/Infinity and duplicate keys refused, integers and the number of values bounded
before anything is built, and the parsed value walked for nesting and invalid Unicode at a few operations per
value, building location text only for the problems it reports.
"""

from __future__ import annotations

import json
import math
import re

from builder.quoting import quote, shorten

MAX_DEPTH = 32  # a project nests about 5 levels; anything far deeper is not one (and would strain the writer)
# JSON values (objects, lists, texts, numbers...) in one file: a 10,000-node project holds a few hundred
# thousand. Counted on the text before parsing (commas and opening brackets, an upper bound), so a file of
# twenty million empty lists is refused in milliseconds instead of costing a minute and gigabytes.
MAX_JSON_VALUES = 5_000_000
MAX_INT_DIGITS = 40  # no value in a project needs more; Python refuses to read integers beyond 4,300 digits
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # may also match an escaped backslash before "ud8": harmless


def _refuse_constant(name):
    raise ValueError(f"{name} is not a valid JSON number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity, which no project file can hold
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _bounded_int(text):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-')):,} digits is too large (at most {MAX_INT_DIGITS})")
    return int(text)


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {quote(key)} appears twice in one object")
        seen[key] = value
    return seen


def _distinct_keys(pairs):
    """An object's pairs as a dict; the careful check (which names the key) only when two keys were equal."""
    built = dict(pairs)
    return built if len(built) == len(pairs) else _no_duplicate_keys(pairs)


_INT_LIMIT = 10 ** MAX_INT_DIGITS


def load_project_json(text: str):
    """(value, clean) for a project file: the same value and the same refusals as load_json, read in a fast
    pass when it can be: json's own number parsing, then one walk that checks the numbers (load_json's bounds)
    and the structure (structure_problems) together. Anything the fast pass doubts is read again the careful
    way, so every message is load_json's own. `clean`: the structure was found sound (no need to look again)."""
    values = count_values(text)
    if values > MAX_JSON_VALUES:
        raise ValueError(too_many_values(values))
    try:
        data = json.loads(text, parse_constant=_refuse_constant)  # json's own dicts: no Python call per object
    except (ValueError, RecursionError):
        return load_json(text), False
    # A text read from UTF-8 holds no surrogate of its own, so one can only come from a \ud800-\udfff escape:
    # without any, no text in the file needs looking at (two searches of the text, not one per value).
    texts = "\\u" in text and bool(_ESCAPED_SURROGATE.search(text)) or bool(_SURROGATE.search(text))
    keys = []
    if _has_structure_problem(data, numbers=True, texts=texts, keys=keys):
        return load_json(text), False
    # Every key is followed by one colon, and outside texts a colon follows nothing else: as many keys were
    # read as the text holds colons only if no object named a key twice (json keeps the last one silently)
    # and no text holds a colon. Otherwise the objects are read again, each checked for a repeated key.
    if keys[0] != text.count(":"):
        try:
            data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_distinct_keys)
        except ValueError:
            return load_json(text), False
    return data, True


def load_json(text: str, allow_nonfinite: bool = False):
    """Plain JSON from a file, read the careful way (no NaN/Infinity, no duplicate keys, no integer beyond
    MAX_INT_DIGITS digits, nothing beyond MAX_JSON_VALUES values); ValueError with a short message otherwise.
    The importer reads Keras configs with it too, with allow_nonfinite, to find the layer that holds a NaN."""
    values = count_values(text)
    if values > MAX_JSON_VALUES:
        raise ValueError(too_many_values(values))
    try:
        return json.loads(text, parse_constant=float if allow_nonfinite else _refuse_constant,
                          parse_float=float if allow_nonfinite else _finite_float, parse_int=_bounded_int,
                          object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {shorten(str(exc), 200)}") from None


def too_many_values(values: int) -> str:
    return (f"the file holds about {values:,} JSON values; a project or a model config holds at most "
            f"{MAX_JSON_VALUES:,} (a 10,000-node project holds a few hundred thousand)")


def count_values(text) -> int:
    """An upper bound on the number of JSON values in a text (or bytes): every value but the first follows a
    comma or an opening bracket. Counted by str.count, so 64 MiB take a few tens of milliseconds."""
    if isinstance(text, str):
        return text.count(",") + text.count("[") + text.count("{") + 1
    return text.count(b",") + text.count(b"[") + text.count(b"{") + 1


def structure_problems(data) -> list[str]:
    """Nesting too deep, and texts that are not valid Unicode (JSON's "\\ud800" escapes give unpaired
    surrogates, which no UTF-8 file can hold, so such a project could never be saved again).
    A first pass looks at every value at a few operations each and builds no text; only when it finds a problem
    does the second pass walk again to say where (a located walk builds a path for every value, which cost a
    minute and gigabytes on a file of twenty million empty lists)."""
    if not _has_structure_problem(data):
        return []
    return _located_structure_problems(data)


def _has_structure_problem(data, numbers: bool = False, texts: bool = True, keys: list | None = None) -> bool:
    """Whether structure_problems would find anything; with `numbers`, also an integer beyond MAX_INT_DIGITS
    digits or a float that is not finite (what load_json refuses while parsing). Without `texts` the texts and
    keys are not searched for surrogates (the caller knows there are none). Given a `keys` list, the number of
    keys of all the objects is appended to it (when no problem was found)."""
    if not isinstance(data, (dict, list)):
        if keys is not None:
            keys.append(0)
        return isinstance(data, str) and bool(_SURROGATE.search(data)) or numbers and _bad_number(data)
    stack = [(data, 1)]
    pop, push, search, limit, finite = stack.pop, stack.append, _SURROGATE.search, _INT_LIMIT, math.isfinite
    count = 0
    while stack:
        value, depth = pop()
        if depth > MAX_DEPTH:
            return True
        deeper = depth >= MAX_DEPTH  # an empty container one level down would already be too deep
        if type(value) is dict:
            if texts and any(search(key) for key in value):
                return True
            count += len(value)
            items = value.values()
        else:
            items = value
        for item in items:
            kind = type(item)
            if kind is str:
                if texts and search(item):
                    return True
            elif (kind is list or kind is dict) and (item or deeper):  # an empty one holds no problem
                push((item, depth + 1))
            elif numbers and (kind is int and not -limit < item < limit or kind is float and not finite(item)):
                return True
    if keys is not None:
        keys.append(count)
    return False


def _bad_number(value) -> bool:
    return type(value) is int and abs(value) >= _INT_LIMIT or type(value) is float and not math.isfinite(value)


def _located_structure_problems(data) -> list[str]:
    problems = []
    stack = [(data, 1, "")]
    while stack and len(problems) < 20:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                problems.append(f"{_where(where)}: the text {shorten(ascii(value), 40)} holds an unpaired surrogate "
                                "(an invalid \\ud800-\\udfff escape); use valid Unicode text")
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            problems.append(f"{_where(where)}: nested more than {MAX_DEPTH} levels deep; this is not a project file")
            continue
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                shown = shorten(key, 40)
                inner = f"{where}.{shown}" if where else shown
                if _SURROGATE.search(key):
                    problems.append(f"{_where(ascii(inner))}: this key holds an unpaired surrogate; use valid Unicode text")
                stack.append((item, depth + 1, inner))
        else:
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in reversed(list(enumerate(value))))
    return problems


def _where(path: str) -> str:
    return "the file" if not path else shorten(path, 80)
