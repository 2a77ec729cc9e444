"""Keras Canvas benchmark: prints each figure with its budget and PASS/FAIL, and writes them to a JSON file.

    .venv/bin/python -m benchmarks.run [--quick] [--json benchmarks/results.json] [--skip-keras]

Budgets are for a 2-core machine (issue 4). --quick is a smoke pass (smaller graphs, fewer repeats), for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        return "unknown"


def table(figures) -> str:
    rows = [("figure", "value", "budget", "result")]
    for f in figures:
        value = f"{f.value:,.2f} {f.unit}" if f.value < 100 else f"{f.value:,.0f} {f.unit}"
        result = "" if f.passed is None else ("PASS" if f.passed else "FAIL")
        rows.append((f.name, value, f.budget, result))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke pass: smaller graphs, fewer repeats")
    parser.add_argument("--skip-keras", action="store_true", help="leave out the figures that need TensorFlow")
    parser.add_argument("--json", default="benchmarks/results.json", help="where to write the results")
    args = parser.parse_args(argv)

    from benchmarks import builder_figures, diff_figures, explain_figures, layout_figures

    figures = builder_figures.inference_figures(args.quick) + diff_figures.diff_figures(args.quick)
    figures += layout_figures.layout_figures(args.quick)
    figures += explain_figures.explain_figures(args.quick)
    try:
        from benchmarks import gui_figures
    except ImportError:
        gui_figures = None
    if gui_figures is not None:
        figures += gui_figures.gui_figures(args.quick)
    if not args.skip_keras:
        figures += builder_figures.keras_figures(args.quick)
        from benchmarks import keras_worker_figures, training_figures

        figures += keras_worker_figures.keras_worker_figures(args.quick)
        figures += training_figures.training_figures(args.quick)
        if gui_figures is not None:  # imported applications opened collapsed (issue 20)
            from benchmarks import block_figures

            figures += block_figures.block_figures(args.quick)
    print(table(figures))
    record = {"commit": _commit(), "time": time.strftime("%Y-%m-%d %H:%M:%S"), "quick": args.quick,
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
              "figures": [asdict(f) for f in figures]}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    failed = [f.name for f in figures if f.passed is False]
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
