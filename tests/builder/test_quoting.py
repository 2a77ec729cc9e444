"""builder/quoting.py and builder/files/safe_read.py: messages quote at most ~80 characters of user text with every
control character escaped, and only regular files are read, never more than the limit."""

from __future__ import annotations

import os

import pytest

from builder.files.safe_read import UnreadableFile, read_limited
from builder.quoting import escape_controls, quote, show

QUOTED = {
    "plain": ("dense_1", "'dense_1'"),
    "ESC": ("a\x1b[2Jb", "'a\\x1b[2Jb'"),
    "bell and newline": ("a\x07\nb", "'a\\x07\\nb'"),
    "zero-width space": ("a\u200bb", "'a\\u200bb'"),
    "right-to-left override": ("a\u202eb", "'a\\u202eb'"),
    "C1 control": ("a\x9bb", "'a\\x9bb'"),
    "single quote inside": ("it's", '"it\'s"'),
    "not a text": (None, "None"),
}


@pytest.mark.parametrize("case", list(QUOTED))
def test_quote(case):
    text, expected = QUOTED[case]
    assert quote(text) == expected


LONG = {"10 million characters": "x" * 10_000_000, "10 million ESCs": "\x1b" * 10_000_000,
        "emoji": "🙂" * 1000}


@pytest.mark.parametrize("case", list(LONG))
def test_long_text_is_cut_with_an_ellipsis(case):
    shown = quote(LONG[case])
    assert len(shown) <= 82 and shown.endswith("…'") and "\x1b" not in shown


SHOWN = {
    "list of 10 million": (list(range(10_000_000)), "[0, 1, 2, 3"),
    "nested dict": ({"a": [1, {"b": None}], "c": True}, '{"a": [1, {"b": null}], "c": true}'),
    "4,000-digit integer": (10 ** 4000, "<an integer of about 4,001 digits>"),
    "text with ESC": ("\x1b]0;x\x07", '"\\x1b]0;x\\x07"'),
}


@pytest.mark.parametrize("case", list(SHOWN))
def test_show_builds_only_what_it_shows(case):
    value, start = SHOWN[case]
    shown = show(value)
    assert shown.startswith(start) and len(shown) <= 80


def test_escape_controls_keeps_line_breaks_when_asked():
    assert escape_controls("a\nb\x1b") == "a\\nb\\x1b"
    assert escape_controls("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def _fifo(folder):
    path = folder / "f.json"
    os.mkfifo(path)
    return path


def _grows(folder):
    path = folder / "big.json"
    path.write_bytes(b" " * 2000)
    return path


UNREADABLE = {
    "/dev/zero": (lambda d: "/dev/zero", "it is a device"),
    "symlink to /dev/zero": (lambda d: (d / "z.json").symlink_to("/dev/zero") or d / "z.json", "it is a device"),
    "FIFO without a writer": (_fifo, "it is a pipe (FIFO)"),
    "folder": (lambda d: d, "it is a folder"),
    "missing": (lambda d: d / "missing.json", "No such file or directory"),
    "over the limit": (_grows, "the file is 2,000 bytes; at most 1,000 bytes are read"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_only_regular_files_within_the_limit_are_read(tmp_path, case):
    make, fragment = UNREADABLE[case]
    with pytest.raises(UnreadableFile, match=fragment.replace("(", "\\(").replace(")", "\\)")):
        read_limited(make(tmp_path), 1000)


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "ok.json"
    path.write_bytes(b"x" * 1000)
    assert read_limited(path, 1000) == b"x" * 1000


def _nested(depth: int, inner):
    value = inner
    for _ in range(depth - 1):
        value = [value]
    return value


# value -> whether project reading finds a structure problem (both passes must agree)
STRUCTURES = {
    "32 levels, empty at the bottom": (_nested(32, []), False),
    "33 levels, empty at the bottom": (_nested(33, []), True),
    "33 levels of an empty object": (_nested(32, [{}]), True),
    "surrogate in a deep text": (_nested(10, ["ok", "\ud800"]), True),
    "surrogate in a key": ({"a": {"\udfff": 1}}, True),
    # the fast pass's shortcut for empty containers, taken many times over; whether the two passes agree does
    # not depend on the count (2 million cost the located pass 19 s on 2 busy cores)
    "many empty lists": ([[]] * 50_000, False),
    "a plain number": (3, False),
}


@pytest.mark.parametrize("case", list(STRUCTURES))
def test_fast_structure_pass_agrees_with_the_located_one(case):
    from builder.files.json_reading import _has_structure_problem, _located_structure_problems

    value, problem = STRUCTURES[case]
    assert _has_structure_problem(value) is problem
    assert bool(_located_structure_problems(value)) is problem
