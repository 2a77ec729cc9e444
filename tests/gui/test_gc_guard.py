"""Cyclic garbage collection happens on the GUI thread's timer, never on its own (see gui/gc_guard.py)."""

import gc

from gui import gc_guard


def test_collection_is_manual_and_the_timer_collects_due_generations(qapp):
    collector = gc_guard.install(qapp)
    assert gc_guard.install(qapp) is collector  # one per application
    assert not gc.isenabled()
    assert collector.timer.isActive()

    class Cycle:
        def __init__(self):
            self.me = self

    for _ in range(collector.thresholds[0] + 10):
        Cycle()
    assert gc.get_count()[0] > collector.thresholds[0]
    collector.collect_due()
    assert gc.get_count()[0] < collector.thresholds[0]
