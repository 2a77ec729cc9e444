"""Work that may wait a moment, run one job per turn of the event loop (issue 18).

Opening a 10,000-node document makes every panel start afresh (the table's rows, the costs, ...): each takes a
few dozen milliseconds, and run back to back in one turn they stopped the window for a quarter of a second.
Queued here, each runs in a turn of its own, so the window answers between them. A job queued again under the
same key before it ran runs once, where it was first queued.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class TurnQueue(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._jobs: dict[object, Callable[[], None]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_one)

    def add(self, key, job: Callable[[], None]) -> None:
        self._jobs.setdefault(key, job)
        self._timer.start()

    def pending(self, key) -> bool:
        return key in self._jobs

    def _run_one(self):
        if not self._jobs:
            return
        key = next(iter(self._jobs))
        job = self._jobs.pop(key)
        try:
            job()
        finally:
            if self._jobs:  # the next job in the next turn: the timer restarted now fires in a later pass
                self._timer.start()


_queue: TurnQueue | None = None


def one_per_turn(key, job: Callable[[], None]) -> None:
    """Run `job` in a later turn of the event loop, one queued job per turn, in the order queued."""
    global _queue
    if _queue is None:
        _queue = TurnQueue()
    _queue.add(key, job)
