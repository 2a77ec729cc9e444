"""Builder figures: inference (full and incremental), code export, growth per node, and Keras comparisons.

Each function returns a list of Figure rows; none of them asserts: budgets are judged by benchmarks/run.py.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.graphs import deepest_param_node, generated_graph
from builder.inference.engine import ShapeInference, infer
from builder.keras.code_export import export_code

SIZES = (10, 100, 1000, 5000)


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    budget: str = ""
    passed: bool | None = None  # None: informative only


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def inference_figures(quick: bool) -> list[Figure]:
    figures = []
    per_node = {}
    for size in SIZES if not quick else SIZES[:3]:
        doc = generated_graph(size)
        repeat = 3 if size >= 5000 else 15
        full = median_ms(lambda doc=doc: infer(doc.graph), repeat)
        export = median_ms(lambda doc=doc: export_code(doc), max(3, repeat // 3))
        per_node[size] = (full / len(doc) * 1000, export / len(doc) * 1000)
        if size == 1000:
            figures.append(Figure("full inference, 1,000 nodes", full, "ms", "<= 5 ms", full <= 5))
            first = median_ms(lambda doc=doc: infer_first_time(doc.graph), repeat)
            figures.append(Figure("full inference, 1,000 nodes, nothing remembered", first, "ms", "<= 5 ms",
                                  first <= 5))
            figures.append(Figure("export_code, 1,000 nodes", export, "ms", "<= 100 ms", export <= 100))
            figures.append(incremental_figure(doc))
    for size, (infer_us, export_us) in per_node.items():
        figures.append(Figure(f"inference per node at {size:,} nodes", infer_us, "µs"))
        figures.append(Figure(f"export per node at {size:,} nodes", export_us, "µs"))
    if len(per_node) == len(SIZES):
        for index, label in ((0, "inference"), (1, "export")):
            growth = per_node[5000][index] / per_node[100][index]
            figures.append(Figure(f"{label} cost per node, 5,000 vs 100 nodes", growth, "×", "<= 2× (roughly flat)",
                                  growth <= 2))
    figures.append(check_figure(quick))
    return figures


def infer_first_time(graph):
    """Inference as on a graph this process has never seen: the engine's memos emptied first (the results of the
    rules by layer, params and input shapes; Dense warnings; validated params; checked ids)."""
    from builder.inference import memos

    for memo in (memos._RULED, memos._WARNED, memos._DENSE_WARNINGS, memos._RESOLVED, memos._GOOD_IDS):
        memo.clear()
    return infer(graph)


def check_figure(quick: bool) -> Figure:
    """`python main.py check` of a 100,000-node file, the whole command (start, reading, inference, table)."""
    import subprocess

    from benchmarks.graphs import generated_file

    size = 2000 if quick else 100_000
    path = generated_file(size)
    times = []
    for _ in range(1 if quick else 3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "main.py", "check", str(path)], cwd=Path(__file__).resolve().parent.parent,
                       capture_output=True, check=False, timeout=600)
        times.append(time.perf_counter() - start)
    value = statistics.median(times)
    return Figure(f"`check` of a {size:,}-node file (whole command)", value, "s", "<= 5 s", value <= 5)


def incremental_figure(doc) -> Figure:
    engine = ShapeInference(doc)
    engine.update()
    node = deepest_param_node(doc)
    values = [8, 16]
    times = []
    for i in range(30):
        doc.set_param(node, "filters", values[i % 2])
        start = time.perf_counter()
        engine.update()
        times.append((time.perf_counter() - start) * 1000)
    engine.close()
    value = statistics.median(times)
    return Figure("incremental inference after one param change, 1,000 nodes", value, "ms", "<= 2 ms", value <= 2)


def _import_script(code: str, name: str):
    folder = Path(tempfile.mkdtemp(prefix="kc_bench_"))
    path = folder / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def keras_figures(quick: bool) -> list[Figure]:
    """Ours against Keras in the same run: inference vs Keras's symbolic build, and build_model vs hand code."""
    import keras

    from builder import load
    from builder.keras.build import build_model

    figures = []
    doc = generated_graph(1000)
    hand = _import_script(export_code(doc), "kc_bench_generated_1000")
    keras_ms = median_ms(hand.build_model, 1 if quick else 3)
    ours_ms = median_ms(lambda: infer(doc.graph), 15)
    ratio = keras_ms / ours_ms
    figures.append(Figure("Keras symbolic build / our inference, 1,000 nodes", ratio, "×", ">= 500×", ratio >= 500))
    first = keras_ms / median_ms(lambda: infer_first_time(doc.graph), 15)
    figures.append(Figure("Keras symbolic build / our inference with nothing remembered", first, "×", ">= 500×",
                          first >= 500))
    keras.backend.clear_session()

    cnn = load(Path(__file__).resolve().parent.parent / "resources" / "examples" / "cnn_28x28_three_kernels.json")
    for label, graph in (("seed CNN", cnn), ("300-layer graph", generated_graph(300).graph)):
        hand = _import_script(export_code(graph), f"kc_bench_{len(graph)}")
        repeat = 4 if quick else 12
        # The first build of an architecture after a clear_session is much slower (70% on the 300-layer
        # graph), whoever does it: a discarded build absorbs that, and the two take turns, so neither is favoured.
        ours, theirs = [], []
        for i in range(repeat):
            keras.backend.clear_session()
            hand.build_model()
            pair = [(theirs, hand.build_model), (ours, lambda graph=graph: build_model(graph))]
            for times, build in pair if i % 2 else reversed(pair):
                times.append(median_ms(build, 1))
        ratio = statistics.median(ours) / statistics.median(theirs)
        figures.append(Figure(f"build_model / hand-written Keras, {label}", ratio, "×", "<= 1.10", ratio <= 1.10))
    return figures
