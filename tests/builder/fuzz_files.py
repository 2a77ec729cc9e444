"""Damaged project files for the fuzzing tests: byte-level mutations of the bundled examples (flips, deletions,
truncations, inserted JSON tokens, duplicated and swapped chunks) and value-level ones (a value replaced by one
of another type, a key deleted or renamed, a list emptied or repeated). Deterministic: file `i` is always the
same bytes, so a failure names the seed that reproduces it."""

from __future__ import annotations

import json
import random

from tests.conftest import EXAMPLES

EXAMPLE_BYTES = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.json"))]
TOKENS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"\\u", b"\\ud800", b"\xff", b"\xc3", b"\x00", b"NaN",
          b"Infinity", b"1e999", b"-0", b"null", b"true", b"999999999999999999999", b"\xef\xbb\xbf", b"\n", b" "]
ODD_VALUES = [None, True, False, 0, -1, 1.5, 2**63, -(2**70), 1e308, "", "x", "Dense", "Input", "relu", "same",
              "a/b", "\u00e9t\u00e9", "\U0001f600", "__import__('os').system('touch MARKER')", [], [1], [None, 3],
              [[1]], {}, {"a": 1}, {"shape": [8]}, "\n", "1", [0, 0], [-1], list(range(40))]


def _mutate_bytes(rng: random.Random, raw: bytearray) -> bytearray:
    for _ in range(rng.randint(1, 4)):
        if not raw:
            break
        where = rng.randrange(len(raw))
        action = rng.choice(["flip", "bit", "delete", "truncate", "insert", "duplicate", "swap"])
        if action == "flip":
            raw[where] = rng.randrange(256)
        elif action == "bit":
            raw[where] ^= 1 << rng.randrange(8)
        elif action == "delete":
            del raw[where:where + rng.randint(1, 16)]
        elif action == "truncate":
            del raw[where:]
        elif action == "insert":
            raw[where:where] = rng.choice(TOKENS)
        elif action == "duplicate":
            raw[where:where] = raw[where:where + rng.randint(1, 200)]
        else:
            other = rng.randrange(len(raw))
            raw[where], raw[other] = raw[other], raw[where]
    return raw


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


def _mutate_values(rng: random.Random, data):
    for _ in range(rng.randint(1, 3)):
        paths = list(_paths(data))[1:]
        if not paths:
            break
        path = rng.choice(paths)
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = rng.choice(["replace", "replace", "delete", "rename", "repeat", "empty"])
        if action == "replace":
            parent[key] = rng.choice(ODD_VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[rng.choice(["id", "layer", "params", "source", "target", "port", "ui", "Id", ""])] = \
                parent.pop(key)
        elif action == "repeat" and isinstance(parent[key], list):
            parent[key] = parent[key] * rng.randint(2, 3)
        elif isinstance(parent[key], (list, dict)):
            parent[key] = type(parent[key])()
    return data


def damaged_file(seed: int) -> bytes:
    """The seed-th damaged file: a third value-level, two thirds byte-level (some after a value-level change)."""
    rng = random.Random(seed)
    raw = rng.choice(EXAMPLE_BYTES)
    kind = seed % 3
    if kind != 1:
        data = _mutate_values(rng, json.loads(raw))
        raw = json.dumps(data, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1])).encode()
    if kind != 0:
        raw = bytes(_mutate_bytes(rng, bytearray(raw)))
    return raw
