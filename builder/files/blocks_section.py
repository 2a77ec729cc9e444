"""The project file's `blocks` section (builder/model/blocks.py says what a block is). Optional: files without it
(every file before blocks) load as they always did.

    "blocks": [
      {"id": "encoder", "members": ["enc_conv", "enc_pool"], "kind": "model", "collapsed": true,
       "definition": "encoder", "shared": true, "input_names": ["image"]},
      {"id": "encoder_2", "members": ["enc_conv_2", "enc_pool_2"], "kind": "model", "collapsed": true,
       "definition": "encoder", "shared": true},
      {"id": "stem", "members": ["conv1"], "parent": "encoder"}
    ]

id: the block's name (a model block's Keras name), written like a node id; members: the ids of the nodes whose
innermost block it is (a nested block's nodes are listed in the nested block); kind: "group" (default) or
"model" (a nested functional keras.Model) or "sequential" (a nested keras.Sequential); collapsed: false by default; parent: the enclosing block; definition: the name
the uses of one reused definition share (their members correspond in the order listed); shared: true when those
uses call the same layers (one set of weights), false for copies; input_names: a model block's Keras input names.
"""

from __future__ import annotations

from builder.model.block_checks import problems
from builder.model.blocks import BLOCK_KEYS, KINDS, blocks_of, members, new_meta
from builder.quoting import quote, show


class BlocksSectionError(ValueError):
    def __init__(self, found: list[str]):
        self.problems = found
        super().__init__("\n".join(found))


def read_blocks(section, graph):
    """Put the blocks of a file's section on `graph` (its nodes already read), or BlocksSectionError."""
    found: list[str] = []
    if not isinstance(section, list):
        raise BlocksSectionError([f"blocks: expected a list of blocks, got {show(section, 60)}"])
    meta, membership = {}, {}
    for i, entry in enumerate(section):
        where = f"blocks[{i}]"
        if not isinstance(entry, dict):
            found.append(f"{where}: expected an object with id and members")
            continue
        for key in sorted(set(entry) - set(BLOCK_KEYS))[:5]:
            found.append(f"{where}.{quote(key, 40)}: unknown key; a block has {', '.join(BLOCK_KEYS)}")
        block = entry.get("id")
        if not isinstance(block, str):
            found.append(f"{where}.id: expected the block's name as a text, got {show(block, 60)}")
            continue
        if block in meta:
            found.append(f"{where}.id: duplicate block id {quote(block, 60)}")
            continue
        kind = entry.get("kind", "group")
        if kind not in KINDS:
            found.append(f"{where}.kind: expected \"group\", \"model\" or \"sequential\", got {show(kind, 60)}")
            continue
        flags = {key: entry.get(key, False) for key in ("collapsed", "shared")}
        bad = [key for key, value in flags.items() if not isinstance(value, bool)]
        if bad:
            found.append(f"{where}.{bad[0]}: expected true or false, got {show(entry[bad[0]], 60)}")
            continue
        meta[block] = new_meta(kind, flags["collapsed"], entry.get("parent"), entry.get("definition"),
                               flags["shared"], entry.get("input_names"))
        names = entry.get("input_names")
        if names is not None and not isinstance(names, list):
            found.append(f"{where}.input_names: expected a list of texts, got {show(names, 60)}")
        listed = entry.get("members", [])
        if not isinstance(listed, list):
            found.append(f"{where}.members: expected a list of node ids, got {show(listed, 60)}")
            continue
        for node in listed:
            if not isinstance(node, str) or node not in graph:
                found.append(f"{where}.members: no node has the id {show(node, 60)}")
            elif node in membership:
                found.append(f"{where}.members: {node} is already a member of {quote(membership[node], 60)}; a node "
                             "is in one block (put the inner block inside the outer one with parent)")
            else:
                membership[node] = block
    if not found:
        found = [f"blocks: {p}" for p in problems(graph, meta, membership)]
    if found:
        raise BlocksSectionError(found)
    if meta:
        graph.graph["blocks"] = meta
        for node, block in membership.items():
            graph.nodes[node]["block"] = block


def write_blocks(graph) -> list[dict]:
    """The section for `graph`: its blocks that hold a node, members in document order; empty when none."""
    out = []
    meta = blocks_of(graph)
    for block, m in meta.items():
        if not members(graph, block):
            continue  # every node of it was deleted: it is no longer a block
        entry = {"id": block, "members": [n for n, b in graph.nodes(data="block") if b == block]}
        if m.get("kind", "group") != "group":
            entry["kind"] = m["kind"]
        if m.get("collapsed"):
            entry["collapsed"] = True
        if m.get("parent") is not None:
            entry["parent"] = m["parent"]
        if m.get("definition") is not None:
            entry["definition"] = m["definition"]
            if m.get("shared"):
                entry["shared"] = True
        if m.get("input_names"):
            entry["input_names"] = list(m["input_names"])
        out.append(entry)
    return out
