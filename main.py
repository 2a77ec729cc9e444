"""Keras Canvas: `python main.py [FILE]` opens the app; the other commands work without a window.

    python main.py check FILE [--json] [--keras]   shapes, params, errors and warnings of every node
    python main.py export FILE [-o OUT.py] [--style layer|function|ops]
    python main.py export FILE --training -o train.py [--strategy none|mirrored|multiworker]   a training script
    python main.py train FILE --data DATA [--label COL] [--epochs N] ... -o OUT.keras [--history H.json]
    python main.py build FILE -o OUT.keras [--max-weights 2GB]   builds the Keras model, saves it, prints its summary
    python main.py import MODEL -o FILE.json [--max-weights 2GB]  imports a .keras, .h5 or to_json() file
    python main.py examples                    lists the bundled examples
    python main.py example NAME -o FILE        writes one of them
    python main.py screenshot [-o DIR] [--example NAME ...] [--theme light|dark]   PNGs of the window
    python main.py diff A B [--json] [--ui] [--window]   what changed from A to B (projects or Keras model files)
    python main.py summary FILE [--or-raw]    one canonical line per node (git's textconv for project files)
    python main.py explain FILE NODE          why NODE has its shape and parameter count, and what it costs
    python main.py fix FILE -o OUT.json [--pick N]   applies a verified fix to every error it can; writes OUT

Exit codes: 0 ok, 1 the graph has errors (diff: the models differ), 2 unreadable file or bad usage, 3 no display.
`check` (without --keras) and `export` never import TensorFlow; the window imports it only when a Keras build is needed.
Every file written is written atomically (builder/files/atomic_file.py): a failed write leaves the old file as it was.
The commands live in the cli package (cli/entry.py dispatches); this file is the entry point.
"""

from __future__ import annotations

import sys

from cli.entry import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
