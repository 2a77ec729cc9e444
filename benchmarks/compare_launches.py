"""Launch the app from two (or more) checkouts in turn and compare their start-up probe figures, measured in
the same minutes so that the machine's load weighs on each alike (issue 18's before/after figures).

    .venv/bin/python -m benchmarks.compare_launches OLD_TREE,NEW_TREE RUNS [FILE]

Each launch runs `main.py [FILE]` offscreen with KC_STARTUP_PROBE=exit and a fresh settings folder, as
`gui_figures.startup_figures` does (compile each tree's bytecode first: `python -m compileall -q builder gui
cli`). Printed per tree, medians: seconds to the painted window and to every item made (an older tree prints
only the first, which then meant every item), the app's CPU seconds at each, its CPU seconds until it exited,
and the load average.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

_PAINTED = re.compile(r"window painted ([\d.]+) s after the process started.*?(?:cpu ([\d.]+) s)?\)")
_COMPLETE = re.compile(r"every item made ([\d.]+) s after the process started \(cpu ([\d.]+) s\)")


def launch(tree: str, args: list[str]) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit", PYTHONPATH=tree,
               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="kc_compare_"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "main.py", *args], cwd=tree, env=env, capture_output=True, text=True,
                         timeout=600, check=False).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    painted, complete = _PAINTED.search(out), _COMPLETE.search(out)
    if painted is None:
        raise RuntimeError(f"{tree}: no start-up probe line:\n{out}")
    return {"painted": float(painted[1]), "painted_cpu": float(painted[2]) if painted[2] else None,
            "complete": float(complete[1]) if complete else None,
            "complete_cpu": float(complete[2]) if complete else None,
            "exit_cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "load": os.getloadavg()[0]}


def main(argv: list[str]) -> None:
    trees, runs, args = argv[0].split(","), int(argv[1]), argv[2:]
    rows: dict[str, list[dict]] = {tree: [] for tree in trees}
    for _ in range(runs):
        for tree in trees:
            rows[tree].append(launch(tree, args))
    for tree, found in rows.items():
        medians = {key: round(statistics.median(r[key] for r in found), 2) if found[0][key] is not None else None
                   for key in found[0]}
        print(tree, medians, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
