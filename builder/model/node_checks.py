"""The checks a node passes before the document takes it: its id (a Keras layer name people also type), its
position on the canvas, its params' refusals worded with the node, and the Keras config and stored shape an
imported node carries."""

from __future__ import annotations

import math
import numbers
from operator import itemgetter

from builder.catalog.params import ParamError, UnknownParam
from builder.model.errors import InvalidName, InvalidParam, InvalidPosition
from builder.model.node_config import ConfigError, check_config, check_keras_shape
from builder.quoting import quote

MAX_ID_LENGTH = 100


MAX_COORDINATE = 1e9  # the project reader refuses positions beyond this, so the document does too


# Ids known to pass check_node_id (a pure check of the text), shared by the file reader, which notes each id it
# has checked, and the inference engine, which skips the check for them: a 100,000-node file's ids are checked
# once as it is read, not again by the first pass over it.
GOOD_IDS: set[str] = set()
GOOD_IDS_LIMIT = 200_000


def remember_good_id(node_id: str) -> None:
    """Note an id that has just passed check_node_id."""
    if len(GOOD_IDS) >= GOOD_IDS_LIMIT:
        GOOD_IDS.clear()
    GOOD_IDS.add(node_id)


def remember_good_ids(ids) -> set:
    """Check ids the engine has not seen (a first pass over a model) and remember those that pass; return those
    that fail (check_node_id says why). Most models' ids all pass, and a test of all of them at once runs in C
    (remember_plainly_good_ids); only when that fails is each checked."""
    ids = list(ids)
    if remember_plainly_good_ids(ids):
        return set()
    bad = set()
    for node_id in ids:
        try:
            check_node_id(node_id)
        except InvalidName:
            bad.add(node_id)
    _remember([node_id for node_id in ids if node_id not in bad])
    return bad


def remember_plainly_good_ids(ids: list) -> bool:
    """True, and the ids remembered, when every one of them surely passes check_node_id: the same tests on all
    of them at once (the texts joined, their lengths, their first and last characters). False says nothing
    about any one id (check each: it may be unhashable, too)."""
    if not _plainly_good_ids(ids):
        return False
    _remember(ids)
    return True


def _remember(ids: list) -> None:
    if len(GOOD_IDS) + len(ids) > GOOD_IDS_LIMIT:
        GOOD_IDS.clear()
    GOOD_IDS.update(ids)


def _plainly_good_ids(ids: list) -> bool:
    """True when every id surely passes check_node_id (the same tests, on all ids at once)."""
    if not ids:
        return True
    if set(map(type, ids)) != {str}:
        return False
    joined = "".join(ids)
    lengths = list(map(len, ids))
    return (joined.isprintable() and "/" not in joined and min(lengths) > 0 and max(lengths) <= MAX_ID_LENGTH
            and not any(map(str.isspace, map(itemgetter(0), ids)))
            and not any(map(str.isspace, map(itemgetter(-1), ids))))


def check_node_id(node_id) -> str:
    """Keras layer names may hold any printable text except '/'; ids are also shown and typed by people.
    `isprintable` also refuses Unicode line and paragraph separators, invisible format characters and
    unpaired surrogates (which cannot even be written to a UTF-8 file)."""
    if not isinstance(node_id, str) or not node_id.strip():
        raise InvalidName(f"invalid id {quote(node_id)}: an id must be a non-empty text, e.g. 'conv_3x3'")
    if node_id != node_id.strip() or not node_id.isprintable() or "/" in node_id or len(node_id) > MAX_ID_LENGTH:
        raise InvalidName(f"invalid id {quote(node_id)}: Keras layer names cannot contain '/', line breaks, tabs or "
                          "other control or invisible characters, start or end with a space, or exceed "
                          f"{MAX_ID_LENGTH} characters; "
                          "use letters, digits and '_', e.g. 'conv_3x3'")
    return node_id


_PLAIN_NUMBERS = (float, int)  # bool is a type of its own: type(True) is not int


def check_position(position) -> tuple[float, float] | None:
    """(x, y) as floats, None for no position, or InvalidPosition: saved files hold finite numbers only."""
    if position is None:
        return None
    try:
        x, y = position
    except (TypeError, ValueError):
        raise InvalidPosition(f"invalid position {quote(position)}: expected (x, y)") from None
    # type() first: an auto-layout checks 20,000 coordinates, and the abstract-class check is slow (issue 18).
    if not all((type(v) in _PLAIN_NUMBERS or isinstance(v, numbers.Real) and not isinstance(v, bool))
               and math.isfinite(v) and abs(v) < MAX_COORDINATE for v in (x, y)):
        raise InvalidPosition(f"invalid position {quote(position)}: x and y must be finite numbers below "
                              f"{MAX_COORDINATE:g} in size")
    return float(x), float(y)


def invalid_param(node_id, name, exc: ParamError) -> InvalidParam:
    where = node_id if isinstance(exc, UnknownParam) else f"{node_id}: {name}"
    return InvalidParam(f"{where}: {exc}")


def check_node_extras(node_id, spec, config, keras_shape) -> dict:
    """The `config` and `keras_shape` attributes of a new node, checked; raises InvalidParam saying why."""
    extra = {}
    try:
        if config:
            extra["config"] = check_config(config, spec)
        if keras_shape is not None:
            extra["keras_shape"] = check_keras_shape(keras_shape, spec)
    except ConfigError as exc:
        raise InvalidParam(f"{node_id}: {exc}") from None
    return extra
