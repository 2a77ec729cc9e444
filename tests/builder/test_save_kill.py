"""A save killed at any moment leaves the old file or the new one, never a damaged one: a subprocess saves a
large graph over and over with builder.files.project.write (alternating two versions) and is SIGKILLed at random
moments. The temp file a killed save leaves is hidden and named `.model.json.<pid>.*.tmp` (never taken for a
project), and the next save of the same file removes it. KC_SAVE_KILLS sets the number of kills (default 8)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import networkx as nx

from builder.files import project
from tests.conftest import ROOT

KILLS = int(os.environ.get("KC_SAVE_KILLS", "8"))
NODES = 3000  # about 250 kB: a save takes long enough to be killed in the middle of it


def big_graph(units: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [8]})
    previous = "x"
    for i in range(NODES):
        graph.add_node(f"dense_{i}", layer="Dense", params={"units": units, "activation": "relu"})
        graph.add_edge(previous, f"dense_{i}", port=0)
        previous = f"dense_{i}"
    graph.graph["ui"] = {"positions": {n: [i * 10.5, units] for i, n in enumerate(graph)}}
    return graph


def save_forever(path: str):
    """Run in the child: alternate the two versions until killed."""
    versions = [big_graph(1), big_graph(2)]
    print("saving", flush=True)
    i = 0
    while True:
        project.write(versions[i % 2], path)
        i += 1


CHILD = "import sys; from tests.builder.test_save_kill import save_forever; save_forever(sys.argv[1])"


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    target = tmp_path / "model.json"
    old, new = project.dumps(big_graph(1)).encode(), project.dumps(big_graph(2)).encode()
    target.write_bytes(old)
    rng = random.Random(5)
    seen, leftovers = set(), 0
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "saving"
        time.sleep(rng.uniform(0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
        content = target.read_bytes()
        assert content in (old, new), f"damaged file after a kill: {len(content)} bytes"
        seen.add(content)
        others = [p.name for p in tmp_path.iterdir() if p != target]
        assert all(n.startswith(".model.json.") and n.endswith(".tmp") for n in others), others
        leftovers += len(others)
        project.read(target)  # and it opens
    project.write(big_graph(1), target)  # the next save clears what killed saves left
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    print(f"{KILLS} kills, {len(seen)} versions seen, {leftovers} temp files left by killed saves (all hidden "
          "*.tmp, all cleared)")


def test_the_next_save_removes_temp_files_of_dead_savers_only(tmp_path):
    target = tmp_path / "model.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stale = tmp_path / f".model.json.{dead}.abc123.tmp"
    live = tmp_path / f".model.json.{os.getppid()}.def456.tmp"  # a saver that is still running
    other = tmp_path / f".other.json.{dead}.x.tmp"  # another file's: not this save's business
    for path in (stale, live, other):
        path.write_text("{")
    project.write(big_graph(1), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["model.json", live.name, other.name])
