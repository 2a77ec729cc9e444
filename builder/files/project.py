"""The project file: JSON, read with every problem located, written atomically and canonically.

    {"format": "keras-canvas", "version": 1,
     "nodes": [{"id": ..., "layer": ..., "params": {...}}, ...],
     "edges": [{"source": ..., "target": ..., "port": 0}, ...],   (or "port": "query": a named port)
     "ui": {"positions": {"id": [x, y]}, ...},
     "blocks": [{"id": ..., "members": [...], ...}, ...]}   (optional: builder/files/blocks_section.py)

Reading never evaluates anything: plain json with NaN/Infinity and duplicate keys refused, then every value
checked against the catalog. The writer orders nodes by document order and edges by (target, port), so the
same document always gives the same bytes.
"""

from __future__ import annotations

import json
import math

import networkx as nx

from builder.catalog.params import ParamError
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.files import atomic_file
from builder.files.blocks_section import BlocksSectionError, read_blocks, write_blocks
from builder.files.budgets_section import BudgetsError, check_budgets
from builder.files.collector_pause import collector_paused
from builder.files.json_reading import (
    MAX_JSON_VALUES,
    count_values,
    load_project_json,
    structure_problems,
    too_many_values,
)
from builder.files.safe_read import UnreadableFile, read_limited
from builder.files.training_section import TrainingSettingsError, check_training
from builder.model.document import MAX_ID_LENGTH, GraphError, check_node_id
from builder.model.frames import InvalidFrame, check_frames
from builder.model.node_checks import remember_good_id, remember_plainly_good_ids
from builder.model.node_config import ConfigError, check_config, check_keras_shape
from builder.model.order import (
    add_edge_in_place,
    add_node_in_place,
    document_order_if_topological,
    topological_order,
)
from builder.quoting import escape_controls, quote, shorten, show

FORMAT = "keras-canvas"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PROBLEM_CHARS = 2400  # one problem line in a message, whatever a file managed to put in it
EXPORT_STYLES = ("layer", "function", "ops")  # builder/keras/code_export.STYLES (not imported: codegen imports plan and shapes)
_NODE_KEYS = {"id", "layer", "params", "config", "keras_shape"}
_PLAIN_NODE = ("id", "layer", "params")  # a node as the writer writes it, without config or stored shape
_EDGE_KEYS = {"source", "target", "port"}
_TOP_KEYS = {"format", "version", "nodes", "edges", "ui", "training", "blocks", "budgets"}


class ProjectError(ValueError):
    """A file that cannot be opened as a project; `problems` lists each one with where it is."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = [escape_controls(p if len(p) <= MAX_PROBLEM_CHARS else p[:MAX_PROBLEM_CHARS - 1] + "…")
                         for p in problems]
        shown = self.problems[:20]
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{source}: cannot open this project:\n" + "\n".join(f"  {p}" for p in shown) + more)


def parse(text: str, source: str = "<text>") -> nx.MultiDiGraph:
    """A graph from project JSON text, or ProjectError listing every problem."""
    with collector_paused():  # a large file makes millions of containers and no cycles: collector_pause.py
        return _parse(text, source)


def _parse(text: str, source: str) -> nx.MultiDiGraph:
    try:
        data, clean = load_project_json(text)
    except ValueError as exc:
        raise ProjectError(source, [str(exc)]) from None
    problems = [] if clean else structure_problems(data)
    if problems:
        raise ProjectError(source, problems)
    return from_dict(data, source, True)  # owned: parsed here, held by nothing else


def read(path) -> nx.MultiDiGraph:
    """Load a project file. Raises ProjectError (with the file name) for anything wrong with it.
    Only a regular file is read, and at most MAX_FILE_BYTES of it (builder/files/safe_read.py)."""
    return from_bytes(read_bytes(path), str(path))


def read_bytes(path) -> bytes:
    """The bytes of a project file (a regular file of at most MAX_FILE_BYTES), or ProjectError."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise ProjectError(str(path), [str(exc)]) from None


def from_bytes(raw: bytes, source: str = "<bytes>") -> nx.MultiDiGraph:
    """A graph from a project file's bytes (UTF-8, a byte-order mark allowed), or ProjectError."""
    values = count_values(raw)
    if values > MAX_JSON_VALUES:  # before decoding: the cheapest refusal of an absurd file
        raise ProjectError(source, [too_many_values(values)])
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is allowed
    except UnicodeDecodeError as exc:
        raise ProjectError(source, [f"not UTF-8 text (byte {exc.start}); is this a project file?"]) from None
    return parse(text, source)


def from_dict(data, source: str = "<data>", owned: bool = False) -> nx.MultiDiGraph:
    """A graph from a project's parsed JSON, or ProjectError listing every problem. `owned`: the data was parsed
    for this call and nothing else holds it, so its node objects may become the graph's (a large file then
    makes no second copy of them)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ProjectError(source, [f"expected a JSON object with \"format\": \"{FORMAT}\", got {_kind(data)}"])
    if data.get("format") != FORMAT:
        raise ProjectError(source, [(f"format: expected \"{FORMAT}\", got {_show(data.get('format'))}; "
                                     "this is not a Keras Canvas project")])
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(source, [f"version: expected a positive integer, got {_show(version)}"])
    if version > VERSION:
        raise ProjectError(source, [(f"version: this file was written by a newer Keras Canvas (format version "
                                     f"{version}); this one reads version {VERSION}; please update")])
    for key in sorted(data.keys() - _TOP_KEYS)[:5]:
        problems.append(f"{_key(key)}: unknown key; a project has {', '.join(sorted(_TOP_KEYS))}")
    graph = nx.MultiDiGraph()
    _read_nodes(data.get("nodes"), graph, problems, owned)
    _read_edges(data.get("edges", []), graph, problems)
    _read_ui(data.get("ui", {}), graph, problems)
    if "blocks" in data and not problems:  # groups of nodes, reused definitions: builder/files/blocks_section.py
        try:
            read_blocks(data["blocks"], graph)
        except BlocksSectionError as exc:
            problems.extend(exc.problems)
    if "training" in data:  # how to compile and fit: builder/files/training_section.py
        try:
            graph.graph["training"] = check_training(data["training"])
        except TrainingSettingsError as exc:
            problems.extend(exc.problems)
    if "budgets" in data:  # limits `check` gates on: builder/files/budgets_section.py
        try:
            graph.graph["budgets"] = check_budgets(data["budgets"])
        except BudgetsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProjectError(source, problems)
    return graph


def _read_nodes(nodes, graph, problems, owned=False):
    if not isinstance(nodes, list):
        problems.append(f"nodes: expected a list of nodes, got {_kind(nodes)}")
        return
    node_table = graph._node  # written in place (add_nodes_in_place): networkx's add_node per node costs more
    # Every id checked at once (a file's ids nearly always all pass); one by one, each problem located, if not.
    # (Remembered, too, for the first inference: builder/model/node_checks.py.)
    ids_pass = remember_plainly_good_ids([node.get("id") if node.__class__ is dict else None for node in nodes])
    succ_of, pred_of, known_params = graph._succ, graph._pred, _NODE_PARAMS
    for i, node in enumerate(nodes):
        if not isinstance(node, dict):
            problems.append(f"nodes[{i}]: expected an object with id, layer and params, got {_kind(node)}")
            continue
        if not node.keys() <= _NODE_KEYS:
            for key in sorted(node.keys() - _NODE_KEYS)[:5]:
                problems.append(f"nodes[{i}].{_key(key)}: unknown key; a node has id, layer, params and optionally "
                                "config and keras_shape")
        node_id, layer, params = node.get("id"), node.get("layer"), node.get("params", {})
        if not ids_pass:
            id_problem = node_id_problem(node_id)
            if id_problem:
                problems.append(f"nodes[{i}].id: {id_problem}")
                continue
        if node_id in node_table:
            problems.append(f"nodes[{i}].id: duplicate id {quote(node_id)}; every node needs its own id")
            continue
        try:
            spec = spec_for(layer)
        except UnknownLayerError as exc:
            problems.append(f"nodes[{i}].layer: {exc}")
            continue
        if not isinstance(params, dict):
            problems.append(f"nodes[{i}].params: expected an object of Keras arguments, got {_kind(params)}")
            continue
        # The same layer with the same params as an earlier node (a large model repeats a few settings): its
        # stored params, copied. Otherwise each value is validated and the required ones looked for.
        try:
            key = _params_key(layer, params)
            known = known_params.get(key)
        except TypeError:  # a nested list or an object: not remembered
            key = known = None
        if known is not None and known[0] is spec:
            if owned and known[3] and tuple(node) == _PLAIN_NODE:
                # The file's own objects become the node's: the params as read are their stored form (known[3]),
                # and the node object, without its id, is the attribute dict ({"layer", "params"}, in order).
                del node["id"]
                node_table[node_id] = node
                succ_of[node_id] = {}
                pred_of[node_id] = {}
                continue
            stored = known[1].copy() if known[2] else {name: _copied(value) for name, value in known[1].items()}
        else:
            before = len(problems)
            stored = {}
            for name, value in params.items():
                try:
                    stored[name] = _stored_param(spec, name, value)
                except ParamError as exc:
                    problems.append(f"nodes[{i}].params.{shorten(name, 40)}: {exc}")
            for p in _required(spec):
                if p.name not in params:
                    problems.append(f"nodes[{i}].params.{p.name}: required by {spec.name} ({p.describe()}) but "
                                    "missing")
            if key is not None and len(problems) == before:
                if len(known_params) >= _VALIDATED_LIMIT:
                    known_params.clear()
                flat = list not in map(type, stored.values())
                known_params[key] = (spec, stored.copy() if flat else {n: _copied(v) for n, v in stored.items()},
                                     flat, _params_key(layer, stored) == key)
        if "config" in node or "keras_shape" in node:
            attributes = {"layer": layer, "params": stored}
            try:
                if "config" in node:
                    attributes["config"] = check_config(node["config"], spec)
                if "keras_shape" in node:
                    attributes["keras_shape"] = check_keras_shape(node["keras_shape"], spec)
            except ConfigError as exc:
                problems.append(f"nodes[{i}].{exc}")
            add_node_in_place(graph, node_id, attributes)
        else:  # add_node_in_place, written out: this runs for every node of the file
            node_table[node_id] = {"layer": layer, "params": stored}
            succ_of[node_id] = {}
            pred_of[node_id] = {}
    nx._clear_cache(graph)


def _params_key(layer, params: dict) -> tuple:
    """A node's layer and params as a key (TypeError if a value cannot be one). The types are part of it, since
    1 == 1.0 == True: a list as a tuple with the types of its items."""
    if list in map(type, params.values()):
        return (layer, tuple((k, v.__class__, v) if v.__class__ is not list
                             else (k, list, tuple(v), tuple(map(type, v))) for k, v in params.items()))
    return (layer, tuple(params.items()), tuple(map(type, params.values())))


# Stored params by _params_key: (the spec, the stored params, whether they hold no list). Only a node read
# without a problem is remembered; the spec is kept and compared, so a catalog changed at run time is never
# answered from here.
_NODE_PARAMS: dict[tuple, tuple] = {}


# Validated param values by (param, type, value): a large model repeats the same few settings thousands of
# times. The param object is kept and compared, so a catalog changed at run time is never answered from here.
_VALIDATED: dict[tuple, tuple] = {}
_VALIDATED_LIMIT = 20_000


def _stored_param(spec, name, value):
    """spec.param(name).validate(value), remembered for values that can be a key (lists as tuples with the
    types of their items, since 1 == 1.0 == True); a remembered list is copied, as each node owns its own."""
    param = spec.param(name)  # UnknownParam (a ParamError) for a name the layer does not have
    kind = value.__class__
    try:
        key = (name, kind, tuple(value), tuple(map(type, value))) if kind is list else (name, kind, value)
        known = _VALIDATED.get(key)
    except TypeError:  # a nested list or an object: validated every time
        return param.validate(value)
    if known is not None and known[0] is param:
        return _copied(known[1])
    stored = param.validate(value)
    if len(_VALIDATED) >= _VALIDATED_LIMIT:
        _VALIDATED.clear()
    _VALIDATED[key] = (param, _copied(stored))
    return stored


_REQUIRED: dict[str, tuple] = {}  # layer -> (spec, its required params)


def _required(spec) -> tuple:
    known = _REQUIRED.get(spec.name)
    if known is None or known[0] is not spec:
        known = _REQUIRED[spec.name] = (spec, tuple(p for p in spec.params if p.required))
    return known[1]


def _copied(value):
    return [_copied(v) for v in value] if value.__class__ is list else value


def _read_edges(edges, graph, problems):
    if not isinstance(edges, list):
        problems.append(f"edges: expected a list of edges, got {_kind(edges)}")
        return
    used = {}
    node_table, succ_of, pred_of = graph._node, graph._succ, graph._pred
    merges = set()  # the merge nodes that read anything: their ports are checked for gaps after
    highest_port = {}  # layer -> the highest port a wire may use (None: any, a merge; -1: none, an Input)
    for i, edge in enumerate(edges):
        # The common wire (two known ids, a numbered port the target has and no other wire uses) in a few
        # lookups; anything else is read the careful way, which says what is wrong.
        if edge.__class__ is dict and edge.keys() <= _EDGE_KEYS:
            source, target, port = edge.get("source"), edge.get("target"), edge.get("port", 0)
            if source.__class__ is str and target.__class__ is str and port.__class__ is int and port >= 0 \
                    and source in node_table and target in node_table:
                layer = node_table[target]["layer"]
                highest = highest_port.get(layer, -2)
                if highest == -2:
                    spec = spec_for(layer)
                    highest = highest_port[layer] = None if spec.is_merge else spec.inputs - 1
                # A one-input layer's port is free while nothing reads into it (so `used` need not hold it).
                if (port == 0 and highest == 0 and not pred_of[target]) or (
                        (highest is None or port <= highest) and highest != 0 and (target, port) not in used):
                    if highest is None:
                        merges.add(target)
                    if highest != 0:
                        used[target, port] = source
                    # add_edge_in_place, written out for the first wire between two nodes (nearly all of them)
                    targets = succ_of[source]
                    if target not in targets:
                        targets[target] = pred_of[target][source] = {0: {"port": port}}
                    else:
                        add_edge_in_place(graph, source, target, port)
                    continue
        _read_edge(i, edge, graph, problems, used, merges)
    nx._clear_cache(graph)
    for node in node_table:
        if node in merges:
            ports = sorted(edge["port"] for keyed in pred_of[node].values() for edge in keyed.values())
            if ports != list(range(len(ports))):
                problems.append(f"edges: the inputs of {node} must use ports 0..{len(ports) - 1} without gaps, "
                                f"got {ports}")
    # Nodes in or behind a cycle; a saved file lists every wire's source before its target, which one pass sees.
    if document_order_if_topological(graph) is None and topological_order(graph, set(graph))[1]:
        cycle = " -> ".join(u for u, _v, *_ in nx.find_cycle(graph))
        problems.append(f"edges: the wires make a cycle ({cycle}); Keras models must flow one way")




def _read_edge(i, edge, graph, problems, used, merges):
    """One wire, every problem located (edges[i]...), added to the graph if it is usable."""
    node_table = graph._node
    if not isinstance(edge, dict):
        problems.append(f"edges[{i}]: expected an object with source, target and port, got {_kind(edge)}")
        return
    if not edge.keys() <= _EDGE_KEYS:
        for key in sorted(edge.keys() - _EDGE_KEYS)[:5]:
            problems.append(f"edges[{i}].{_key(key)}: unknown key; an edge has source, target and port")
    source, target, port = edge.get("source"), edge.get("target"), edge.get("port", 0)
    bad = False
    if not (source.__class__ is str and target.__class__ is str and source in node_table
            and target in node_table):
        for key, value in (("source", source), ("target", target)):
            if not isinstance(value, str) or value not in node_table:
                problems.append(f"edges[{i}].{key}: no node has the id {_show(value)}")
                bad = True
    spec = None if bad else spec_for(node_table[target]["layer"])
    names = spec.port_names if spec is not None else ()
    if port.__class__ is str and names:  # a named port (attention's "query", "value", "key")
        if port not in names:
            known = ", ".join(_show(n) for n in names) or "none: its ports are numbered"
            problems.append(f"edges[{i}].port: {target} has no port named {_show(port)} (its port names: "
                            f"{known})")
            return
        port = names.index(port)
    if port.__class__ is not int or port < 0:  # bool is a subclass of int, and no port
        problems.append(f"edges[{i}].port: expected an integer >= 0, got {_show(port)}")
        bad = True
    if bad:
        return
    if spec.is_input:
        problems.append(f"edges[{i}]: {target} is an Input and takes no incoming wire")
        return
    if not spec.is_merge and port >= spec.inputs:
        problems.append(f"edges[{i}].port: {target} ({spec.name}) has {spec.inputs} input port(s), got port "
                        f"{port}")
        return
    reader = _port_reader(graph, used, target, port)
    if reader is not None:
        problems.append(f"edges[{i}]: port {port} of {target} already reads from {reader}")
        return
    if spec.is_merge:
        merges.add(target)
    used[target, port] = source
    add_edge_in_place(graph, source, target, port)


def _port_reader(graph, used, target, port):
    """The source already wired to the target's port, or None: `used` holds the ports of layers with several
    inputs; a one-input layer's port 0 is found among its wires."""
    if (target, port) in used:
        return used[target, port]
    for source, keyed in graph._pred[target].items():
        if any(edge.get("port") == port for edge in keyed.values()):
            return source
    return None


def _read_ui(ui, graph, problems):
    if not isinstance(ui, dict):
        problems.append(f"ui: expected an object, got {_kind(ui)}")
        return
    kept = dict(ui)  # other presentation keys are kept as they are, so newer files round-trip
    positions = ui.get("positions", {})
    if not isinstance(positions, dict):
        problems.append(f"ui.positions: expected an object of id -> [x, y], got {_kind(positions)}")
        return
    clean = {}
    node_table = graph._node
    for node_id, xy in positions.items():
        # The common position, two plain numbers in range, in a few comparisons (a NaN fails them too).
        if node_id in node_table and xy.__class__ is list and len(xy) == 2:
            x, y = xy
            if (x.__class__ is int or x.__class__ is float) and (y.__class__ is int or y.__class__ is float) \
                    and -1e9 < x < 1e9 and -1e9 < y < 1e9:
                clean[node_id] = (float(x), float(y))
                continue
        if len(problems) > 100:  # enough to say what is wrong; a message of millions of lines helps nobody
            break
        if node_id not in graph:
            problems.append(f"ui.positions.{_key(node_id)}: no node has this id")
        elif not (isinstance(xy, list) and len(xy) == 2 and all(_finite(v) for v in xy)):
            problems.append(f"ui.positions.{_key(node_id)}: expected [x, y] with finite numbers, got {_show(xy)}")
        else:
            clean[node_id] = (float(xy[0]), float(xy[1]))
    kept["positions"] = clean
    style = ui.get("export_style")
    if style is not None and not (isinstance(style, str) and style in EXPORT_STYLES):
        problems.append(f"ui.export_style: expected \"layer\", \"function\" or \"ops\", got {_show(style)}")
    if "frames" in ui:
        try:
            kept["frames"] = check_frames(ui["frames"])
        except InvalidFrame as exc:
            problems.append(f"ui.frames{exc if str(exc).startswith('[') else ': ' + str(exc)}")
    graph.graph["ui"] = kept


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e9 and math.isfinite(value)


def _kind(value) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number") if not isinstance(value, str) else f"the text {_show(value)}"


def _show(value) -> str:
    return show(value, 60)


def _key(key) -> str:
    """A key from a file inside a location (ui.positions.KEY): as it is when plain, quoted when odd."""
    shown = quote(key, 40)
    return key if isinstance(key, str) and shown[1:-1] == key else shown


def node_id_problem(node_id) -> str | None:
    """Why `node_id` cannot be an id (graph.check_node_id's rule), quoting it short, or None."""
    if isinstance(node_id, str) and len(node_id) > MAX_ID_LENGTH:
        return (f"invalid id {quote(node_id)} ({len(node_id):,} characters): a Keras layer name here is at most "
                f"{MAX_ID_LENGTH} characters; use letters, digits and '_', e.g. 'conv_3x3'")
    if not isinstance(node_id, str):  # graph.check_node_id would quote its whole repr
        return (f"invalid id {show(node_id, python=True)}: an id must be a non-empty text, e.g. 'conv_3x3'")
    try:
        check_node_id(node_id)
    except GraphError as exc:
        return str(exc).replace(repr(node_id), quote(node_id), 1)  # the id is short: its repr is cheap
    remember_good_id(node_id)  # the first inference of what is read need not check it again
    return None


# ---- writing ----------------------------------------------------------------------------------------------

def to_dict(graph: nx.MultiDiGraph) -> dict:
    """The file's content, in a canonical order (nodes in document order, params in the catalog's order,
    edges by target and port, positions in document order), so that equal documents give equal files
    however their dicts were built up (an undone reset, say, re-adds a param at the end)."""
    order = {n: i for i, n in enumerate(graph)}
    nodes = [_node_dict(n, d) for n, d in graph._node.items()]
    # networkx's graph.edges(data="port") order, read from its adjacency dicts (the view costs more per wire).
    edges = sorted([(u, v, wire.get("port")) for u, targets in graph._succ.items() for v, keyed in targets.items()
                    for wire in keyed.values()], key=lambda e: (order[e[1]], e[2]))
    data = {"format": FORMAT, "version": VERSION, "nodes": nodes,
            "edges": [{"source": u, "target": v, "port": _port_text(graph, v, p)} for u, v, p in edges]}
    ui = dict(graph.graph.get("ui") or {})
    given = ui.get("positions") or {}
    positions = {n: [_round(given[n][0]), _round(given[n][1])] for n in graph if n in given}
    if positions:
        ui["positions"] = positions
    else:
        ui.pop("positions", None)
    if ui:
        data["ui"] = ui
    if graph.graph.get("training"):
        data["training"] = dict(graph.graph["training"])
    blocks = write_blocks(graph)
    if blocks:
        data["blocks"] = blocks
    if graph.graph.get("budgets"):
        data["budgets"] = dict(graph.graph["budgets"])
    return data


def _node_dict(node, data) -> dict:
    out = {"id": node, "layer": data.get("layer"), "params": _ordered_params(data.get("layer"),
                                                                              data.get("params") or {})}
    if data.get("config"):
        out["config"] = data["config"]
    if data.get("keras_shape") is not None:
        out["keras_shape"] = data["keras_shape"]
    return out


def _ordered_params(layer, params: dict) -> dict:
    try:
        spec = spec_for(layer)
    except UnknownLayerError:
        return dict(params)
    known = _RANKS.get(spec.name)
    if known is None or known[0] is not spec:  # specs are frozen: a catalog changed at run time has new ones
        known = _RANKS[spec.name] = (spec, {p.name: i for i, p in enumerate(spec.params)})
    rank = known[1]
    return dict(sorted(params.items(), key=lambda item: rank.get(item[0], len(rank))))


_RANKS: dict[str, tuple] = {}  # layer -> (its spec, param name -> place in the catalog's order)


def _round(value: float):
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def dumps(graph: nx.MultiDiGraph) -> str:
    """One node, edge or position per line: readable, and diffs well under version control."""
    data = to_dict(graph)

    # json.dumps with these settings, its encoder made once (dumps makes one per call: a line per node and wire)
    one = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode  # NaN would make a file no reader takes

    def block(items):
        return "[]" if not items else "[\n" + ",\n".join(f"    {one(i)}" for i in items) + "\n  ]"

    parts = [f'  "format": {one(data["format"])}', f'  "version": {data["version"]}',
             f'  "nodes": {block(data["nodes"])}', f'  "edges": {block(data["edges"])}']
    if "ui" in data:
        ui = dict(data["ui"])
        positions = ui.pop("positions", None)
        fields = ['    "positions": {\n' + ",\n".join(f"      {one(k)}: {one(v)}" for k, v in positions.items())
                  + "\n    }"] if positions else []
        fields += [f"    {one(k)}: {one(v)}" for k, v in ui.items()]
        parts.append('  "ui": {\n' + ",\n".join(fields) + "\n  }")
    if "training" in data:
        parts.append(f'  "training": {one(data["training"])}')
    if "blocks" in data:
        parts.append(f'  "blocks": {block(data["blocks"])}')
    if "budgets" in data:
        parts.append(f'  "budgets": {one(data["budgets"])}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write(graph: nx.MultiDiGraph, path) -> None:
    """Save atomically (builder/files/atomic_file.py): a crash mid-save leaves either the old file or the new one."""
    atomic_file.write_bytes(path, dumps(graph).encode("utf-8"))  # dumps fails, if it must, before any write


def _port_text(graph, target, port):
    """A port as written: its name where the target's layer names its ports (attention's query, value, key),
    else its number."""
    try:
        spec = spec_for(graph._node[target].get("layer"))
    except (UnknownLayerError, TypeError):
        return port
    if not spec.port_names:  # the common layer, numbered ports only
        return port
    try:
        name = spec.port_name(port)
    except TypeError:
        return port
    return name if name is not None else port
