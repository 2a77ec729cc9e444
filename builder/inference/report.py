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
    trainable, frozen = shared_totals(graph, results)  # a shared layer's weights once
    inputs, outputs = model_inputs(graph), model_outputs(graph)
    nodes = {}
    for node in ordered_nodes(graph):
        r = results[node]
        nodes[node] = {
            "layer": r.layer,
            "status": r.status,
            "shape": None if r.shape is None else list(r.shape),
            "params": r.params,
            "error": r.error,
            "warnings": list(r.warnings),
        }
        if r.blocked_by:
            nodes[node]["blocked_by"] = r.blocked_by
        if r.stale:  # a generic node whose Keras shape was computed for other inputs (check --keras recomputes)
            nodes[node]["stale"] = True
    own = block_errors(graph)
    valid = bool(inputs) and bool(outputs) and not own and all(
        r.error is None and r.blocked_by is None for r in results.values())
    data = {"valid": valid, "total_params": trainable + frozen, "trainable_params": trainable,
            "non_trainable_params": frozen, "inputs": inputs, "outputs": outputs, "nodes": nodes}
    summaries = summarize(graph, results, own)
    if summaries:  # only a project with blocks has the key, so older readers of --json see what they saw
        meta = blocks_of(graph)
        data["blocks"] = {b: {"parent": meta[b].get("parent"), "members": s.size, "inputs": [src for src, _shape in s.inputs],
                              "outputs": {n: None if shape is None else list(shape) for n, shape in s.outputs},
                              "params": s.params, "status": s.status, "error": own.get(b)}
                          for b, s in summaries.items()}
    return data


def check_table(source, data: dict | None = None) -> str:
    """The table of check_dict(source); pass `data` when it is already computed (a large graph is inferred once)."""
    data = check_dict(source) if data is None else data
    rows = [("id", "layer", "output shape", "params", "status")]
    for node, info in data["nodes"].items():
        status = {"stale": "ERROR (stale)", "error": "ERROR", "blocked": f"waits on {info.get('blocked_by')}"}.get(
            info["status"], info["status"])
        shape = fmt(tuple(info["shape"])) if info["shape"] is not None else "-"
        params = f"{info['params']:,}" if info["params"] is not None else "-"
        rows.append((node, str(info["layer"]), shape, params, status))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) if i != 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
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
    problems = [info["error"] for info in data["nodes"].values() if info["error"]]
    problems += [info["error"] for info in data.get("blocks", {}).values() if info["error"]]
    warnings = [w for info in data["nodes"].values() for w in info["warnings"]]
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
