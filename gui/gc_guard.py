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


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start(interval_ms)

    def collect_due(self):
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


def release_long_lived():
    """Before another document replaces the open one: the kept objects are collected as usual again."""
    gc.unfreeze()


def install(app) -> MainThreadCollector:
    """Once per application (calling again returns the same collector)."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)
