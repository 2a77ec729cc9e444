"""A canonical one-line-per-node text of a model: what `python main.py summary FILE` prints, and what git shows
when a `.gitattributes` diff driver uses it as textconv (README, "Comparing models").

    # keras-canvas summary: 8 nodes, 9,637,962 params (trainable 9,637,962, non-trainable 0)
    # inputs: image; outputs: classes
    conv_3x3 = Conv2D(filters=32, kernel_size=3, padding="same", activation="relu") <- image  # (None, 28, 28, 32), 320 params

Canonical: the same model gives the same text however its file was written (param order, defaults spelled out
or left out, positions, frames), so a diff of two summaries shows only what changed for Keras, plus the shapes and
counts that follow from it. Nodes come in topological order (document order breaks ties), so an edit shows up
next to its neighbours.
"""

from __future__ import annotations

from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.diff.matching import effective_params, inputs_in_order
from builder.inference.engine import infer, totals
from builder.model.blocks import blocks_of, members_by_block
from builder.model.order import graph_of, model_inputs, model_outputs, ordered_nodes
from builder.quoting import escape_controls, show

VALUE_LIMIT = 4000  # characters of one param value: long enough that two different values never read the same


def _literal(value) -> str:
    return show(value, VALUE_LIMIT, python=True)


def _in_catalog_order(layer, params: dict) -> dict:
    try:
        rank = {name: i for i, name in enumerate(spec_for(layer).param_by_name)}
    except UnknownLayerError:
        return dict(sorted(params.items()))
    return dict(sorted(params.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def node_line(graph, node, result) -> str:
    data = graph.nodes[node]
    layer = data.get("layer")
    params = _in_catalog_order(layer, effective_params(layer, data.get("params") or {}))
    args = [f"{name}={_literal(value)}" for name, value in params.items()]
    config = data.get("config") or {}
    args += [f"config.{key}={_literal(config[key])}" for key in sorted(config)]
    sources = inputs_in_order(graph, node)
    wiring = f" <- {', '.join(escape_controls(s) for s in sources)}" if sources else ""
    if result.error:
        status = f"ERROR: {escape_controls(result.error)}"
    elif result.blocked_by:
        status = f"waits on {escape_controls(result.blocked_by)}"
    else:
        status = f"{fmt(result.shape)}, {result.params:,} params"
    return f"{escape_controls(node)} = {layer}({', '.join(args)}){wiring}  # {status}"


def summary_text(source) -> str:
    graph = graph_of(source)
    results = infer(graph)
    trainable, frozen = totals(results)
    inputs, outputs = ", ".join(model_inputs(graph)) or "none", ", ".join(model_outputs(graph)) or "none"
    lines = [(f"# keras-canvas summary: {len(graph):,} nodes, {trainable + frozen:,} params (trainable "
              f"{trainable:,}, non-trainable {frozen:,})"),
             f"# inputs: {inputs}; outputs: {outputs}"]
    lines += block_lines(graph)
    lines += [node_line(graph, node, results[node]) for node in ordered_nodes(graph)]
    return escape_controls("\n".join(lines), keep_newlines=True) + "\n"


def block_lines(graph) -> list[str]:
    """One comment line per block, by id, with what it is and its nodes (sorted): whether it is collapsed is how
    it is shown, so it is left out."""
    meta = blocks_of(graph)
    if not meta:
        return []
    holding = members_by_block(graph, meta)
    lines = []
    for block in sorted(meta):
        m = meta[block]
        what = [m.get("kind") or "group"]
        if m.get("definition") is not None:
            what.append(("shared use of " if m.get("shared") else "copy of ") + _literal(m["definition"]))
        if m.get("parent") is not None:
            what.append(f"in {m['parent']}")
        lines.append(f"# block {block} ({', '.join(what)}): {', '.join(sorted(holding[block]))}")
    return lines
