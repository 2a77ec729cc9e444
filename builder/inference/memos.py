"""What inference remembers across passes and engines: params resolved by their content, rule results by
(params, arriving shapes), the same warned result object for the same warnings, Dense warnings by what they read.
Rules are pure (names appear only in messages, which are added per node), so a remembered answer is exact.
"""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.rules import Arriving
from builder.inference.node_problems import dense_warnings
from builder.inference.node_result import NodeResult
from builder.model.node_checks import GOOD_IDS


class _Refused(NamedTuple):
    message: str


# Resolved params by (layer, params as a hashable tuple): real models repeat the same layer settings many
# times, and validating each value is the largest part of inference otherwise. Shared by every engine; the
# resolved dicts are never mutated, so sharing them is safe.
_RESOLVED: dict[tuple, dict | _Refused] = {}
_RESOLVED_LIMIT = 20_000


def _params_key(layer: str, raw: dict) -> tuple:
    """A node's layer and params as a key; hashing it raises TypeError if a value cannot be one (a hand-built
    graph's dict: then nothing is remembered). Types are part of the key: 1, 1.0 and True are equal in Python, but not as params. Lists (sizes, shapes)
    become tuples with the types of their items."""
    types = tuple(map(type, raw.values()))
    if list in types:
        key = (layer, tuple((k, v.__class__, v) if v.__class__ is not list
                            else (k, list, tuple(v), tuple(map(type, v))) for k, v in raw.items()))
    else:
        key = (layer, tuple(raw.items()), types)
    return key


# Successful rule results by (params key, input shapes): (spec, NodeResult without warnings). The spec is
# kept and compared, so a spec replaced at run time (a test's broken rule) is never answered from here.
_RULED: dict[tuple, tuple] = {}
_RULED_LIMIT = 50_000
# A remembered result with the same warnings again is the same object (as one without warnings is): the costs'
# memo (builder/cost/totals.py) is keyed by result objects, and a Dense with a warning missed it on every pass.
_WARNED: dict[tuple, tuple] = {}


def _warned(result: NodeResult, warnings: tuple[str, ...]) -> NodeResult:
    key = (id(result), warnings)
    found = _WARNED.get(key)
    if found is None or found[0] is not result:
        if len(_WARNED) >= _RULED_LIMIT:
            _WARNED.clear()
        # NodeResult's fields by position: _replace costs several times more (a first pass makes one per warned node).
        layer, shape, trainable, frozen, error, _none, blocked_by, stale = result
        found = _WARNED[key] = (result, NodeResult(layer, shape, trainable, frozen, error, warnings, blocked_by, stale))
    return found[1]
# Ids known to pass check_node_id, shared by every engine and the file reader (builder/model/node_checks.py).
_GOOD_IDS = GOOD_IDS


# A Dense node's own warnings by (node, source, source layer, arriving shape, its shape): all they read. Most
# Dense nodes have none, but those after a rank-3 tensor warn on every pass, and wording the warning cost more
# than the rest of the node.
_DENSE_WARNINGS: dict[tuple, tuple[str, ...]] = {}


def _dense_warned(graph, node, source, arriving: tuple, result: NodeResult) -> NodeResult:
    key = (node, source, graph._node[source].get("layer"), arriving, result.shape)
    warnings = _DENSE_WARNINGS.get(key)
    if warnings is None:
        warnings = tuple(dense_warnings(graph, node, result.shape, [Arriving(source, arriving)]))
        if len(_DENSE_WARNINGS) >= _RULED_LIMIT:
            _DENSE_WARNINGS.clear()
        _DENSE_WARNINGS[key] = warnings
    return _warned(result, warnings) if warnings else result
