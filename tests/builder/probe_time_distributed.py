"""Probe: TimeDistributed around every layer the agreement generators can wrap, on steps of rank 2 to 5 (the
layer's own rank and others, which Keras's wrapper lets past the layer's rank check), with params drawn by the
generators' own strategies; our inference against the agreement oracle, disagreements printed per layer. How
builder/catalog/rules/step_rank.py was judged (issue 17, seed 104). Not part of the suite:

    N=150 SEED=7 PYTHONPATH=$PWD .venv/bin/python tests/builder/probe_time_distributed.py all
    N=60 PYTHONPATH=$PWD .venv/bin/python tests/builder/probe_time_distributed.py MaxPooling1D,RepeatVector
"""
import collections
import os
import sys

import keras
import networkx as nx
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from builder.catalog.wrapped_layer import wrappable
from builder.inference.engine import infer
from tests.builder import graph_strategy as gs
from tests.builder.keras_oracle import judge
from tests.builder.test_keras_agreement import _node_problem

NAMES = [n for n in gs.SINGLE if wrappable(n) and n not in gs.FROM_INPUT]
if len(sys.argv) > 1 and sys.argv[1] != "all":
    NAMES = sys.argv[1].split(",")
N = int(os.environ.get("N", "40"))
problems = collections.defaultdict(list)
stats = collections.Counter()

@st.composite
def case(draw, name):
    step_rank = draw(st.sampled_from((2, 3, 4, 5)))
    t = draw(gs.dims(1, 3))
    step = [draw(gs.dims(1, 5, none_percent=8)) for _ in range(step_rank - 1)]
    shape = [t, *step]
    params = gs.layer_params(draw, name, (None, *step))
    g = nx.MultiDiGraph()
    g.add_node("n0", layer="Input", params={"shape": shape})
    g.add_node("n1", layer="TimeDistributed", params={"layer": {"layer": name, "params": params}})
    g.add_edge("n0", "n1", port=0)
    return g

count = [0]


def _judge_one(g):
    count[0] += 1
    if count[0] % 50 == 0:
        keras.backend.clear_session()
    name = g.nodes["n1"]["params"]["layer"]["layer"]
    ours = infer(g)
    verdict, _ = judge(keras, g, suspects={n for n, r in ours.items() if r.error})
    problem = _node_problem("n1", ours["n1"], verdict["n1"], verdict, g)
    rank = len(g.nodes["n0"]["params"]["shape"])
    stats[(name, rank, verdict["n1"].status, "bad" if problem else "ok")] += 1
    if problem:
        problems[name].append((g.nodes["n0"]["params"]["shape"], g.nodes["n1"]["params"]["layer"]["params"],
                               problem[:300], verdict["n1"].reason[:200]))


for layer in NAMES:
    run = seed(int(os.environ.get("SEED", "1")))(
        settings(max_examples=N, deadline=None, database=None, suppress_health_check=list(HealthCheck))(
            given(g=case(layer))(_judge_one)))
    run()
    print(f"{layer}: {len(problems[layer])} disagreements; "
          + " ".join(f"r{r}:{s}/{b}={c}" for (n, r, s, b), c in sorted(stats.items()) if n == layer), flush=True)
    for found in problems[layer][:6]:
        print("   ", found, flush=True)
