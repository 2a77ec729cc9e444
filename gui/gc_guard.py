"""Python's cyclic garbage collector, run only at safe points in the GUI thread.

Left automatic, a collection starts wherever an allocation crosses the threshold: inside a paint (the canvas
builds lists of grid lines per paint), or in the Keras worker thread (importing TensorFlow allocates a lot).
It then finalises Qt wrappers left in reference cycles and deletes their C++ objects from there, which can
crash Qt (seen: a segfault in the canvas's drawBackground, about one full test run in eight). So automatic
collection is turned off and a timer in the GUI thread collects instead, generation by generation, as the
thresholds would have (the approach pyqtgraph takes for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
# While a large document loads, collections wait (see hold_collections).
_held = False


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start(interval_ms)

    def collect_due(self):
        if _held:
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def keep_long_lived():
    """After a large document is shown: its objects (and the canvas's wrappers) live until the next one, so
    collections stop walking them (gc.freeze): a full collection over a 10,000-node document's objects held
    the window for a tenth of a second."""
    gc.freeze()


def hold_collections(held: bool):
    """While a large document is read and drawn, no collection runs: nearly every object made then (the graph,
    the canvas's tens of thousands of item wrappers) lives on, and the collection of the objects made in the
    last second, or of all that survived one, held the window for 50-350 ms in the middle of drawing 10,000
    nodes (issue 18). Once the load ends, keep_long_lived moves its objects out of the collector's way (when
    shown) and collections go on as before, with what waited."""
    global _held
    _held = held


def release_long_lived():
    """Before another document replaces the open one: the kept objects are collected as usual again."""
    gc.unfreeze()


def install(app) -> MainThreadCollector:
    """Once per application (calling again returns the same collector)."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)
