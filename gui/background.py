"""Work off the window's thread whose result comes back to it (the code preview of a large graph, the autosave
of a large document). A plain daemon thread runs the work; a timer on the window's thread looks for its result
every few milliseconds and hands it over there, so no thread of ours ever touches Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def run_in_thread(work: Callable[[], object], done: Callable[[object], None], *, name: str, owner: QObject,
                  poll_ms: int, failed: object = None) -> threading.Thread:
    """Start `work()` in a daemon thread called `name`; once it ends, `done(result)` runs on the window's
    thread, in a later turn of the event loop (never inside this call), with `failed` as the result if the
    work raised (the person edited the graph under it: the caller does it again). The timer belongs to
    `owner`: once that is deleted, `done` is not called. The thread is returned for a caller that waits for it."""
    outcome: list = []

    def run():
        try:
            outcome.append(work())
        except Exception:  # noqa: BLE001 -- any failure is handed over as `failed`; the caller retries
            outcome.append(failed)

    def poll():
        if outcome:
            done(outcome[0])
        else:
            QTimer.singleShot(poll_ms, owner, poll)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    QTimer.singleShot(0, owner, poll)  # not now: the caller keeps the thread before `done` can run
    return thread
