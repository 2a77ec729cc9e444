"""PySide6 6.12.0 on Python 3.11 lost a reference to None on every void call and to True on every signal
emit, so a long editing session aborted the interpreter ("deallocating None"). pyproject.toml keeps PySide6
below 6.12; this test fails if an installed version has the leak again."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGraphicsRectItem


class _Emitter(QObject):
    fired = Signal(int)


def test_void_calls_and_emits_keep_singleton_refcounts(qapp):
    emitter = _Emitter()
    emitter.fired.connect(lambda value: None)
    item = QGraphicsRectItem(0, 0, 1, 1)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(1)
        item.update()
        item.setVisible(True)
    after = sys.getrefcount(None), sys.getrefcount(True)
    # A few references may come and go with garbage; the leak loses one per call (1,500 here).
    assert after[0] > before[0] - 50 and after[1] > before[1] - 50, (before, after)
