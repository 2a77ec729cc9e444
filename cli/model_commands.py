"""The commands on one model: check, export (the model's code, or a training script), build, import, the bundled
examples and screenshots of the window."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from builder.files.resources import examples_dir
from builder.quoting import escape_controls
from cli.common import UsageError, _load, _max_weights

EXAMPLES_DIR = examples_dir()


def cmd_check(args) -> int:
    from builder.files.collector_pause import collector_paused

    # Reading, inferring and reporting a large graph make millions of objects and no reference cycles, so the
    # cyclic collector is paused for the whole command (builder/files/collector_pause.py), except where Keras
    # runs: it makes cycles of its own. The graph is let go before the pause ends (it lives in _report's
    # frame), so no collection walks it afterwards.
    if not args.keras:
        with collector_paused():
            return _report(_load(args.file), args.json)
    from builder.keras.recompute import refresh_with_keras
    from builder.keras.weight_limit import check_weights

    graph = _load(args.file)
    check_weights(graph, _max_weights(args))  # Keras builds each recomputed layer's weights
    updated = refresh_with_keras(graph)
    if updated:
        print(f"recomputed with Keras: {', '.join(updated)}", file=sys.stderr)
    with collector_paused():
        return _report(graph, args.json)


def _report(graph, as_json: bool) -> int:
    from builder.cost.report_lines import cost_lines
    from builder.inference.engine import infer
    from builder.inference.report import check_summary, check_table

    if as_json:  # with each node's explanation, cost and fixes, the totals and the budgets (issue 14)
        from builder.fixes.check_report import full_check

        data = full_check(graph)
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0 if data["valid"] and not data["budget_problems"] else 1
    results = infer(graph)  # once, for the table and the costs
    data = check_summary(graph, results)  # the table reads each node's row from the results
    lines, over = cost_lines(graph, results)
    print(check_table(graph, data, results))
    print("\n".join(lines))
    if over:
        print(f"\nOver budget ({len(over)}):\n" + "\n".join(f"  {p}" for p in over))
    return 0 if data["valid"] and not over else 1


def cmd_export(args) -> int:
    from builder.keras.code_export import export_code

    graph = _load(args.file)
    if args.training:
        from builder.keras.training_script import training_script

        code, style = training_script(graph, args.strategy), f"a training script, strategy {args.strategy}"
    else:
        style = args.style or (graph.graph.get("ui") or {}).get("export_style") or "layer"
        code = export_code(graph, style)
    if args.output:
        from builder.files.atomic_file import write_text

        write_text(args.output, code)
        print(escape_controls(f"wrote {args.output} ({style}{'' if args.training else ' style'})"), file=sys.stderr)
    else:
        sys.stdout.write(code)
    return 0


def cmd_build(args) -> int:
    if not args.output.endswith(".keras"):
        raise UsageError(f"the output must end in .keras (Keras 3's format), got {args.output!r}")
    graph = _load(args.file)
    from builder.keras.build import build_and_save

    model, _facts = build_and_save(graph, args.output, _max_weights(args))
    model.summary()
    print(escape_controls(f"wrote {args.output}"))
    return 0


def cmd_import(args) -> int:
    from builder.files import project
    from builder.keras.importer import ImportRefused, import_model

    try:
        doc = import_model(args.model, _max_weights(args))
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    project.write(doc.graph, args.output)
    print(escape_controls(f"wrote {args.output} ({doc.graph.number_of_nodes()} nodes)"), file=sys.stderr)
    return 0


def example_names() -> dict[str, str]:
    """name -> one-line description, from the bundled example files."""
    import builder

    names = {}
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        names[path.stem] = (builder.load(path).graph.get("ui") or {}).get("description", "")
    return names


def cmd_examples(args) -> int:
    for name, description in example_names().items():
        print(f"{name:26} {description}")
    return 0


def cmd_example(args) -> int:
    import builder

    path = EXAMPLES_DIR / f"{args.name}.json"
    if not path.is_file():
        raise UsageError(f"there is no example {args.name!r}; `python main.py examples` lists them: "
                         + ", ".join(example_names()))
    builder.save(builder.load(path), args.output)
    print(escape_controls(f"wrote {args.output}"))
    return 0


def cmd_screenshot(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.screenshot import write_screenshots

    for path in write_screenshots(Path(args.output), args.examples, args.theme):
        print(f"wrote {path}")
    return 0


