"""Project files: the README's format, exact round trips, every malformed input refused with where it is,
and an atomic save that never damages the existing file."""

from __future__ import annotations

import copy
import json
import os
import re
import stat

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.files import atomic_file, project
from builder.files.project import MAX_FILE_BYTES, ProjectError
from tests.builder.samples import cnn_branches, dense_merges, snapshot
from tests.conftest import EXAMPLES, ROOT

BASE = {
    "format": "keras-canvas", "version": 1,
    "nodes": [{"id": "image", "layer": "Input", "params": {"shape": [8, 8, 1]}},
              {"id": "conv", "layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3, "padding": "same"}},
              {"id": "flat", "layer": "Flatten", "params": {}},
              {"id": "dense", "layer": "Dense", "params": {"units": 4}},
              {"id": "merged", "layer": "Concatenate", "params": {"axis": -1}}],
    "edges": [{"source": "image", "target": "conv", "port": 0}, {"source": "conv", "target": "flat", "port": 0},
              {"source": "flat", "target": "dense", "port": 0}, {"source": "dense", "target": "merged", "port": 0},
              {"source": "flat", "target": "merged", "port": 1}],
    "ui": {"positions": {"image": [0, 0], "dense": [220.5, -3]}, "description": "a test"},
}


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProjectError) as caught:
        project.parse(text, "model.json")
    assert str(caught.value).startswith("model.json: cannot open this project:")
    return caught.value.problems


def mutated(change) -> str:
    data = copy.deepcopy(BASE)
    change(data)
    return json.dumps(data)


def test_the_readme_example_reads_as_documented():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Project files.*?```json\n(.*?)```", readme, re.DOTALL).group(1)
    graph = project.parse(block)
    assert list(graph) == ["image", "conv_3x3"]
    assert graph.nodes["conv_3x3"] == {"layer": "Conv2D", "params": {"filters": 32, "kernel_size": 3,
                                                                     "padding": "same", "activation": "relu"}}
    assert list(graph.edges(data="port")) == [("image", "conv_3x3", 0)]
    assert graph.graph["ui"]["positions"] == {"image": (0.0, 0.0), "conv_3x3": (220.0, 0.0)}
    assert json.loads(project.dumps(graph)) == json.loads(block)


def test_the_base_file_is_valid_and_dumps_one_item_per_line():
    graph = project.parse(json.dumps(BASE))
    text = project.dumps(graph)
    assert json.loads(text) == BASE
    lines = text.splitlines()
    assert '    {"id": "conv", "layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3, "padding": "same"}},' \
        in lines
    assert '    {"source": "flat", "target": "merged", "port": 1}' in lines
    assert '      "dense": [220.5, -3]' in lines and '    "description": "a test"' in lines
    assert text.endswith("}\n")


@pytest.mark.parametrize("make", [cnn_branches, dense_merges])
def test_save_load_gives_the_identical_document(tmp_path, make):
    doc = make()
    doc.ui.update({"description": "été \"quoted\"\n", "export_style": "function", "zoom": 1.5,
                   "nested": {"a": [1, None, True]}})
    path = tmp_path / "model.json"
    project.write(doc.graph, path)
    loaded = project.read(path)
    assert snapshot(loaded) == snapshot(doc) == path.read_text(encoding="utf-8")
    assert list(loaded) == doc.node_ids()
    assert sorted(loaded.edges(data="port")) == sorted(doc.graph.edges(data="port"))
    assert loaded.graph["ui"]["nested"] == {"a": [1, None, True]}
    project.write(loaded, path)
    assert path.read_text(encoding="utf-8") == snapshot(doc)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_round_trip_byte_for_byte(path):
    assert project.dumps(project.read(path)) == path.read_text(encoding="utf-8")


def test_written_order_is_canonical_whatever_the_dict_order():
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4, 4, 3]})
    graph.add_node("c", layer="Conv2D", params={"activation": "relu", "padding": "same", "kernel_size": 1,
                                                 "filters": 2})
    graph.add_node("m", layer="Add", params={})
    graph.add_edge("c", "m", port=1)
    graph.add_edge("x", "c", port=0)
    graph.add_edge("c", "m", port=0)
    graph.graph["ui"] = {"zoom": 2, "positions": {"m": (3.14159, 2), "x": [0.004, -0.0], "gone": (1, 1)}}
    data = json.loads(project.dumps(graph))
    assert list(data["nodes"][1]["params"]) == ["filters", "kernel_size", "padding", "activation"]
    assert [(e["source"], e["target"], e["port"]) for e in data["edges"]] == [("x", "c", 0), ("c", "m", 0),
                                                                            ("c", "m", 1)]
    assert list(data["ui"]["positions"].items()) == [("x", [0, 0]), ("m", [3.14, 2])]
    assert list(data["ui"]) == ["positions", "zoom"]


def test_graph_without_ui_writes_no_ui():
    graph = project.parse(mutated(lambda d: d.pop("ui")))
    assert "ui" not in json.loads(project.dumps(graph))


# ---- refusals --------------------------------------------------------------------------------------------

def _node(i, **fields):
    return lambda d: d["nodes"][i].update(fields)


def _param(i, name, value):
    return lambda d: d["nodes"][i]["params"].__setitem__(name, value)


def _edge(i, **fields):
    return lambda d: d["edges"][i].update(fields)


def _add_edge(source, target, port=0):
    return lambda d: d["edges"].append({"source": source, "target": target, "port": port})


MALFORMED = {
    "wrong format": (lambda d: d.update(format="keras"), 'format: expected "keras-canvas", got "keras"'),
    "no format": (lambda d: d.pop("format"), "got null; this is not a Keras Canvas project"),
    "no version": (lambda d: d.pop("version"), "version: expected a positive integer, got null"),
    "version as text": (lambda d: d.update(version="1"), 'version: expected a positive integer, got "1"'),
    "version zero": (lambda d: d.update(version=0), "got 0"),
    "version true": (lambda d: d.update(version=True), "got true"),
    "version float": (lambda d: d.update(version=1.0), "got 1.0"),
    "future version": (lambda d: d.update(version=2), "newer Keras Canvas (format version 2)"),
    "unknown top key": (lambda d: d.update(layers=[]), "layers: unknown key"),
    "nodes missing": (lambda d: d.pop("nodes"), "nodes: expected a list of nodes, got null"),
    "nodes an object": (lambda d: d.update(nodes={}), "nodes: expected a list of nodes, got an object"),
    "node a text": (lambda d: d["nodes"].append("x"), ('nodes[5]: expected an object with id, layer and params, '
                                                       'got the text "x"')),
    "node unknown key": (_node(2, kind="x"), "nodes[2].kind: unknown key"),
    "no id": (lambda d: d["nodes"][2].pop("id"), "nodes[2].id: invalid id None"),
    "id a number": (_node(2, id=7), "nodes[2].id: invalid id 7"),
    "id with slash": (_node(2, id="a/b"), "nodes[2].id: invalid id 'a/b'"),
    "id with newline": (_node(2, id="a\nb"), "nodes[2].id: invalid id 'a\\nb'"),
    "empty id": (_node(2, id=""), "nodes[2].id: invalid id ''"),
    "duplicate id": (_node(2, id="image"), "nodes[2].id: duplicate id 'image'"),
    "unknown layer": (_node(2, layer="Dense2"), "nodes[2].layer: unknown layer 'Dense2'"),
    "no layer": (lambda d: d["nodes"][2].pop("layer"), "nodes[2].layer: unknown layer None"),
    "params a list": (_node(2, params=[]), "nodes[2].params: expected an object of Keras arguments, got a list"),
    "units as text": (_param(3, "units", "ten"), 'nodes[3].params.units: expected a positive integer, got "ten"'),
    "units float": (_param(3, "units", 3.0), "nodes[3].params.units: expected a positive integer, got 3.0"),
    "units bool": (_param(3, "units", True), "nodes[3].params.units: expected a positive integer, got True"),
    "units missing": (lambda d: d["nodes"][3]["params"].pop("units"), "nodes[3].params.units: required by Dense"),
    "unknown param": (_param(3, "unitz", 3), "nodes[3].params.unitz: Dense has no parameter 'unitz'"),
    "bad padding": (_param(1, "padding", "full"), "nodes[1].params.padding: expected one of"),
    "short kernel": (_param(1, "kernel_size", [3]), "nodes[1].params.kernel_size: expected a positive integer or"),
    "shape of text": (_param(0, "shape", ["8"]), "nodes[0].params.shape: expected a list of positive integers"),
    "shape a number": (_param(0, "shape", 8), "nodes[0].params.shape:"),
    "null axis": (_param(4, "axis", None), "nodes[4].params.axis: expected an integer axis, got None"),
    "edges an object": (lambda d: d.update(edges={}), "edges: expected a list of edges, got an object"),
    "edge a list": (lambda d: d["edges"].append([1]), "edges[5]: expected an object with source, target and port"),
    "edge unknown key": (_edge(0, weight=1), "edges[0].weight: unknown key"),
    "edge to unknown node": (_edge(0, target="ghost"), 'edges[0].target: no node has the id "ghost"'),
    "edge from unknown node": (_edge(1, source="ghost"), 'edges[1].source: no node has the id "ghost"'),
    "edge source a number": (_edge(1, source=3), "edges[1].source: no node has the id 3"),
    "negative port": (_edge(1, port=-1), "edges[1].port: expected an integer >= 0, got -1"),
    "port as text": (_edge(1, port="0"), 'edges[1].port: expected an integer >= 0, got "0"'),
    "port true": (_edge(1, port=True), "edges[1].port: expected an integer >= 0, got true"),
    "port float": (_edge(1, port=0.0), "edges[1].port: expected an integer >= 0, got 0.0"),
    "port past a single input": (_edge(1, port=1), "edges[1].port: flat (Flatten) has 1 input port(s), got port 1"),
    "port taken": (_add_edge("image", "flat"), "edges[5]: port 0 of flat already reads from conv"),
    "merge gap": (_edge(4, port=2), "edges: the inputs of merged must use ports 0..1 without gaps, got [0, 2]"),
    "edge into Input": (_add_edge("flat", "image"), "edges[5]: image is an Input and takes no incoming wire"),
    "cycle": (lambda d: d["edges"].__setitem__(0, {"source": "dense", "target": "conv", "port": 0}),
              "edges: the wires make a cycle"),
    "self-loop": (lambda d: d["edges"].append({"source": "merged", "target": "merged", "port": 2}),
                  "edges: the wires make a cycle (merged)"),
    "ui a list": (lambda d: d.update(ui=[]), "ui: expected an object, got a list"),
    "positions a list": (lambda d: d["ui"].update(positions=[]), "ui.positions: expected an object of id -> [x, y]"),
    "position of unknown node": (lambda d: d["ui"]["positions"].update(ghost=[0, 0]),
                                 "ui.positions.ghost: no node has this id"),
    "position short": (lambda d: d["ui"]["positions"].update(flat=[1]),
                       "ui.positions.flat: expected [x, y] with finite numbers, got [1]"),
    "position text": (lambda d: d["ui"]["positions"].update(flat=["1", 2]), "ui.positions.flat: expected [x, y]"),
    "position bool": (lambda d: d["ui"]["positions"].update(flat=[True, 2]), "ui.positions.flat: expected [x, y]"),
    "position huge": (lambda d: d["ui"]["positions"].update(flat=[1e300, 2]), "ui.positions.flat: expected [x, y]"),
    "too deep": (lambda d: d["ui"].update(deep=json.loads("[" * 40 + "]" * 40)),
                 "nested more than 32 levels deep"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_project_is_refused_with_where_the_problem_is(name):
    change, message = MALFORMED[name]
    problems = problems_of(mutated(change))
    assert any(message in p for p in problems), problems


BAD_TEXT = {
    "not JSON": ("{", "not valid JSON"),
    "empty": ("", "not valid JSON"),
    "trailing garbage": (json.dumps(BASE) + "x", "not valid JSON"),
    "a list": ("[]", 'expected a JSON object with "format": "keras-canvas", got a list'),
    "a number": ("3", "got a number"),
    "NaN": (json.dumps(BASE).replace('"units": 4', '"units": NaN'), "NaN is not a valid JSON number"),
    "Infinity": (json.dumps(BASE).replace("220.5", "Infinity"), "Infinity is not a valid JSON number"),
    "-Infinity": (json.dumps(BASE).replace("220.5", "-Infinity"), "-Infinity is not a valid JSON number"),
    "overflowing number": (json.dumps(BASE).replace("220.5", "1e999"), "the number 1e999 is too large"),
    "overflowing exponent": (json.dumps(BASE).replace('"a test"', "-2.5E+400"), "is too large"),
    "duplicate key": (json.dumps(BASE).replace('"id": "flat"', '"id": "flat", "id": "flat2"'),
                      "the key 'id' appears twice in one object"),
    "duplicate top key": ('{"format": "keras-canvas", "format": "keras-canvas"}', "appears twice"),
    # json_reading counts keys against colons: a colon in a text must not hide a repeated key
    "duplicate key and a colon in a text": (json.dumps(BASE).replace('"a test"', '"a: test"').replace(
        '"id": "flat"', '"id": "flat", "id": "flat2"'), "the key 'id' appears twice in one object"),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "unpaired surrogate": (json.dumps(BASE).replace('"a test"', '"a \\ud800 test"'),
                           "ui.description: the text 'a \\ud800 test' holds an unpaired surrogate"),
    "surrogate in an id": (json.dumps(BASE).replace('"id": "flat"', '"id": "\\udfff"'), "nodes[2].id:"),
    # The reader looks at texts only when the file holds a surrogate escape (json_reading.load_project_json):
    "upper-case surrogate escape": (json.dumps(BASE).replace('"a test"', '"a \\uDBFF test"'),
                                    "holds an unpaired surrogate"),
    "surrogate in a key": (json.dumps(BASE).replace('"description"', '"descr\\udc00iption"'),
                           "this key holds an unpaired surrogate"),
    "a surrogate in text given as a str": (json.dumps(BASE, ensure_ascii=False).replace("a test", "a \ud800 test"),
                                           "holds an unpaired surrogate"),
}


@pytest.mark.parametrize("name", list(BAD_TEXT))
def test_text_that_is_not_a_project_is_refused(name):
    text, message = BAD_TEXT[name]
    problems = problems_of(text)
    assert any(message in p for p in problems), problems


def test_a_colon_in_a_text_reads_as_any_text():
    text = json.dumps(BASE).replace('"a test"', '"ratio: 1:2 {\\"x\\": 1}"')
    assert project.parse(text).graph["ui"]["description"] == 'ratio: 1:2 {"x": 1}'


def test_an_escaped_backslash_before_ud800_is_plain_text():
    text = json.dumps(BASE).replace('"a test"', '"a \\\\ud800 test"')  # a backslash, then "ud800"
    assert project.parse(text).graph["ui"]["description"] == "a \\ud800 test"


def test_every_problem_is_reported_at_once_and_long_lists_are_cut():
    def change(d):
        d["nodes"][3]["params"]["units"] = "ten"
        d["nodes"][1]["params"]["filters"] = 0
        d["edges"][0]["target"] = "ghost"
    problems = problems_of(mutated(change))
    assert 'nodes[3].params.units: expected a positive integer, got "ten"' in problems
    assert "nodes[1].params.filters: expected a positive integer, got 0" in problems
    assert 'edges[0].target: no node has the id "ghost"' in problems
    many = {**BASE, "edges": [{"source": "ghost", "target": "flat", "port": 0}] * 30}
    with pytest.raises(ProjectError) as caught:
        project.parse(json.dumps(many))
    assert len(caught.value.problems) == 30 and "... and 10 more" in str(caught.value)


def test_read_refuses_unreadable_files(tmp_path):
    cases = {
        "latin1.json": json.dumps(BASE).replace("a test", "caf\xe9").encode("latin-1"),
        "utf16.json": json.dumps(BASE).encode("utf-16"),
        "binary.json": bytes(range(256)),
    }
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(ProjectError, match="not UTF-8 text"):
            project.read(tmp_path / name)
    with pytest.raises(ProjectError, match="cannot read the file"):
        project.read(tmp_path / "missing.json")
    with pytest.raises(ProjectError, match="cannot read the file"):
        project.read(tmp_path)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ProjectError, match="at most"):
        project.read(huge)


def test_read_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode())
    assert list(project.read(path)) == ["image", "conv", "flat", "dense", "merged"]


def test_reading_never_runs_what_a_file_holds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = "__import__('os').system('touch MARKER')"
    data = copy.deepcopy(BASE)
    data["nodes"][2]["id"] = payload
    data["edges"][1]["target"] = data["edges"][2]["source"] = data["edges"][4]["source"] = payload
    data["ui"]["description"] = payload
    graph = project.parse(json.dumps(data))
    assert payload in graph and graph.graph["ui"]["description"] == payload
    assert not (tmp_path / "MARKER").exists()


# ---- atomic save -----------------------------------------------------------------------------------------

def _folder(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir())


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.json"
    project.write(cnn_branches().graph, path)
    return path


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failed_save_leaves_the_old_file_intact_and_no_temp_file(saved, tmp_path, monkeypatch, failing):
    old = saved.read_bytes()
    doc = dense_merges()
    if failing == "write":
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

            def __getattr__(self, name):
                return getattr(self.handle, name)

        monkeypatch.setattr(atomic_file.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    else:
        def fail(*args, **kwargs):
            raise OSError(5, f"{failing} failed")
        monkeypatch.setattr(atomic_file.os, failing, fail)
    with pytest.raises(OSError):
        project.write(doc.graph, saved)
    monkeypatch.undo()
    assert saved.read_bytes() == old
    assert _folder(tmp_path) == ["model.json"]
    assert snapshot(project.read(saved)) == snapshot(cnn_branches())


def test_a_document_that_cannot_be_written_leaves_no_trace(saved, tmp_path):
    old = saved.read_bytes()
    graph = cnn_branches().graph
    graph.graph["ui"]["zoom"] = float("nan")
    with pytest.raises(ValueError):
        project.write(graph, saved)
    graph.graph["ui"]["zoom"] = "\ud800"
    with pytest.raises(ValueError):
        project.write(graph, saved)
    assert saved.read_bytes() == old and _folder(tmp_path) == ["model.json"]


def test_save_keeps_permissions_and_follows_symlinks(saved, tmp_path):
    os.chmod(saved, 0o640)
    project.write(dense_merges().graph, saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640
    link = tmp_path / "link.json"
    link.symlink_to(saved)
    project.write(cnn_branches().graph, link)
    assert link.is_symlink() and snapshot(project.read(saved)) == snapshot(cnn_branches())
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    project.write(cnn_branches().graph, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    assert _folder(tmp_path) == ["fresh.json", "link.json", "model.json"]


def test_save_to_a_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(OSError):
        project.write(cnn_branches().graph, tmp_path / "nope" / "model.json")
    assert _folder(tmp_path) == []


# ---- fuzzed input ----------------------------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "150"))  # issue 5's long run: 10,000

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | st.sampled_from(["Dense", "Input", "image", "flat", "relu", "same"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


def _loads_or_refuses(text: str):
    """Either a ProjectError, or a graph that saves and reads back identically."""
    try:
        graph = project.parse(text)
    except ProjectError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    saved = project.dumps(graph)
    assert project.dumps(project.parse(saved)) == saved


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=st.data())
def test_any_value_anywhere_is_loaded_or_refused_with_a_message(data):
    base = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(base))[1:]))
        parent = base
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_VALUES)
        if not isinstance(base, dict):
            break
    _loads_or_refuses(json.dumps(base))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=st.data())
def test_damaged_bytes_are_loaded_or_refused_with_a_message(data, tmp_path_factory):
    raw = bytearray(json.dumps(BASE, indent=1).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "truncate", "insert"]))
        if action == "flip":
            raw[where] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[where]
        elif action == "truncate":
            del raw[where:]
        else:
            raw[where:where] = data.draw(st.sampled_from([b"{", b"]", b'"', b",", b"\\", b"\xff", b"NaN", b"1e999"]))
        if not raw:
            break
    path = tmp_path_factory.mktemp("fuzz") / "damaged.json"
    path.write_bytes(bytes(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(ProjectError):
            project.read(path)
        return
    _loads_or_refuses(text)


def test_reading_pauses_the_collector_and_puts_it_back_as_it_was(monkeypatch):
    """A large file is read with the cyclic collector paused (builder/files/collector_pause.py): afterwards it
    is on again if it was on, still off if the caller (the window) had turned it off, and back on after a
    refused file too."""
    import gc

    seen = []
    building = project.from_dict
    monkeypatch.setattr(project, "from_dict", lambda *args: seen.append(gc.isenabled()) or building(*args))
    was = gc.isenabled()
    try:
        gc.enable()
        project.parse(json.dumps(BASE))
        assert seen == [False] and gc.isenabled()
        with pytest.raises(ProjectError):
            project.parse("{")
        assert gc.isenabled()
        gc.disable()
        project.parse(json.dumps(BASE))
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
