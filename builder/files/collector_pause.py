"""Python's cyclic garbage collector paused while a large file is turned into a graph.

Reading a 100,000-node project makes a few million dicts, lists and texts. Every 700 new containers the
collector runs, and every so often it walks everything alive, so reading (and checking) such a file spent about
half its time in the collector, which found nothing: the reader makes no reference cycles. Pausing it is safe
for the same reason; whatever garbage appears meanwhile is freed by reference counting, and any cycle waits
for the next collection after the pause.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The collector off inside the block, back to what it was after (a nested pause leaves it off).

    Everything made inside the block and still alive after it is young to the collector, so its first
    collection walks all of it: a command that reads a large file should let go of it inside the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
