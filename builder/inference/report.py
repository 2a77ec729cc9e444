"""What `check` prints: a table of nodes in topological order with totals, or the same as a JSON-ready dict."""

from __future__ import annotations

from builder.catalog.rules import fmt
from builder.inference.block_summary import shared_totals, summarize
from builder.inference.engine import infer
from builder.model.block_checks import block_errors
from builder.model.blocks import blocks_of
from builder.model.order import graph_of, model_inputs, model_outputs, ordered_nodes


def check_dict(source, results: dict | None = None) -> dict:
    """{"valid", "total_params", "trainable_params", "non_trainable_params", "inputs", "outputs", "nodes"}.
    Pass `results` when infer(source) is already at hand (a large graph is inferred once per command)."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    data = check_summary(graph, results)
    nodes = {}
    for node in ordered_nodes(graph):
        r = results[node]
        shape = r.shape
        info = nodes[node] = {"layer": r.layer, "status": r.status, "shape": None if shape is None else list(shape),
                              "params": None if shape is None else r.trainable + r.non_trainable, "error": r.error,
                              "warnings": list(r.warnings)}
        if r.blocked_by:
            info["blocked_by"] = r.blocked_by
        if r.stale:  # a generic node whose Keras shape was computed for other inputs (check --keras recomputes)
            info["stale"] = True
    blocks = data.pop("blocks", None)
    data["nodes"] = nodes
    if blocks is not None:  # after the nodes, where --json has always had it
        data["blocks"] = blocks
    return data


def check_summary(source, results: dict) -> dict:
    """check_dict without its "nodes": the verdict, the totals, the inputs and outputs and the blocks. With the
    results, what check_table needs to print a large graph without a dict per node."""
    graph = graph_of(source)
    trainable, frozen = shared_totals(graph, results)  # a shared layer's weights once
    inputs, outputs = model_inputs(graph), model_outputs(graph)
    has_blocks = bool(blocks_of(graph))  # without any, the block checks and summaries have nothing to say
    own = block_errors(graph) if has_blocks else {}
    valid = bool(inputs) and bool(outputs) and not own and all(
        r.error is None and r.blocked_by is None for r in results.values())
    data = {"valid": valid, "total_params": trainable + frozen, "trainable_params": trainable,
            "non_trainable_params": frozen, "inputs": inputs, "outputs": outputs}
    summaries = summarize(graph, results, own) if has_blocks else {}
    if summaries:  # only a project with blocks has the key, so older readers of --json see what they saw
        meta = blocks_of(graph)
        data["blocks"] = {b: {"parent": meta[b].get("parent"), "members": s.size, "inputs": [src for src, _shape in s.inputs],
                              "outputs": {n: None if shape is None else list(shape) for n, shape in s.outputs},
                              "params": s.params, "status": s.status, "error": own.get(b)}
                          for b, s in summaries.items()}
    return data


def check_table(source, data: dict | None = None, results: dict | None = None) -> str:
    """The table of check_dict(source). Pass `data` when it is already computed: check_dict's, or check_summary's
    with the `results` it was made from (the rows are then read from the results, in the same order)."""
    if data is None:
        data = check_dict(source)
    if "nodes" in data:
        rows = [(node, info["layer"], info["status"], info["shape"], info["params"], info.get("blocked_by"))
                for node, info in data["nodes"].items()]
        problems = [info["error"] for info in data["nodes"].values() if info["error"]]
        warnings = [w for info in data["nodes"].values() for w in info["warnings"]]
    else:
        order = [(node, results[node]) for node in ordered_nodes(graph_of(source))]
        problems = [r.error for _node, r in order if r.error]
        warnings = [w for _node, r in order for w in r.warnings]
        rows = None
    lines = _rows_text(rows) if rows is not None else _result_rows_text(order)
    lines.append("")
    lines.append(f"Total params: {data['total_params']:,} (trainable {data['trainable_params']:,}, "
                 f"non-trainable {data['non_trainable_params']:,})")
    lines.append(f"Inputs: {', '.join(data['inputs']) or 'none'}    Outputs: {', '.join(data['outputs']) or 'none'}")
    if data.get("blocks"):
        top = [b for b, info in data["blocks"].items() if info["parent"] is None]
        shown = "; ".join(f"{b} ({data['blocks'][b]['members']} nodes, {data['blocks'][b]['params']:,} params"
                          f"{'' if data['blocks'][b]['status'] == 'ok' else ', ' + data['blocks'][b]['status']})"
                          for b in top[:12])
        more = f"; ... and {len(top) - 12} more" if len(top) > 12 else ""
        nested = len(data["blocks"]) - len(top)
        lines.append(f"Blocks: {shown}{more}" + (f" (and {nested} inside them)" if nested else ""))
    problems += [info["error"] for info in data.get("blocks", {}).values() if info["error"]]
    if not data["inputs"]:
        problems.append("the graph has no Input node; add an Input and connect it to the first layer")
    elif not data["outputs"]:
        problems.append("the graph has no layer after its Inputs; add a layer and connect an Input to it")
    if problems:
        lines += ["", f"Errors ({len(problems)}):", *(f"  {p}" for p in problems)]
    if warnings:
        lines += ["", f"Warnings ({len(warnings)}):", *(f"  {w}" for w in warnings)]
    lines.append("")
    lines.append("valid: the graph builds a Keras model" if data["valid"] else "invalid: fix the errors above")
    return "\n".join(lines)


def _rows_text(rows) -> list[str]:
    """The table's lines, a header and a rule first, from (id, layer, status, shape, params, blocked_by) rows."""
    statuses = {"stale": "ERROR (stale)", "error": "ERROR"}
    shown: dict[tuple, str] = {}  # a large model repeats a few shapes: each formatted once
    columns = ([], [], [], [], [])
    ids, layers, shapes, counts, states = columns
    for node, layer, status, shape, params, blocked_by in rows:
        status = f"waits on {blocked_by}" if status == "blocked" else statuses.get(status, status)
        if shape is None:
            text = "-"
        else:
            shape = tuple(shape)
            text = shown.get(shape)
            if text is None:
                text = shown[shape] = fmt(shape)
        ids.append(node)
        layers.append(str(layer))
        shapes.append(text)
        counts.append(f"{params:,}" if params is not None else "-")
        states.append(status)
    header = ("id", "layer", "output shape", "params", "status")
    widths = [max(len(title), max(map(len, column), default=0)) for title, column in zip(header, columns)]
    w0, w1, w2, w3, w4 = widths
    lines = [f"{i.ljust(w0)}  {la.ljust(w1)}  {sh.ljust(w2)}  {c.rjust(w3)}  {st.ljust(w4)}"
             for i, la, sh, c, st in zip(*([title] + column for title, column in zip(header, columns)))]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


_STATUS_TEXT = {"stale": "ERROR (stale)", "error": "ERROR"}


def _result_rows_text(order) -> list[str]:
    """_rows_text's lines, read from (id, result) pairs: a large model repeats the same result object (the
    engine hands one out per layer, params and arriving shapes), so each one's cells (layer, shape, params,
    status) and the end of its line are made once; only the ids differ from line to line."""
    cells_of: dict[int, tuple] = {}  # id(result) -> (result, layer, shape, params, status)
    cells = []
    for _node, result in order:
        found = cells_of.get(id(result))
        if found is None:
            status, shape = result.status, result.shape
            found = cells_of[id(result)] = (
                result, str(result.layer), "-" if shape is None else fmt(shape),
                "-" if shape is None else f"{result.trainable + result.non_trainable:,}",
                f"waits on {result.blocked_by}" if status == "blocked" else _STATUS_TEXT.get(status, status))
        cells.append(found)
    header = ("id", "layer", "output shape", "params", "status")
    w0 = max(len(header[0]), max((len(node) for node, _r in order), default=0))
    w1, w2, w3, w4 = (max(len(title), max((len(c[k]) for c in cells_of.values()), default=0))
                      for k, title in enumerate(header[1:], start=1))
    title = (f"{header[0].ljust(w0)}  {header[1].ljust(w1)}  {header[2].ljust(w2)}  {header[3].rjust(w3)}  "
             f"{header[4].ljust(w4)}")
    lines = [title, "  ".join("-" * w for w in (w0, w1, w2, w3, w4))]
    ends: dict[int, str] = {}
    for (node, _r), found in zip(order, cells):
        end = ends.get(id(found))
        if end is None:
            end = ends[id(found)] = f"  {found[1].ljust(w1)}  {found[2].ljust(w2)}  {found[3].rjust(w3)}  {found[4].ljust(w4)}"
        lines.append(node.ljust(w0) + end)
    return lines
