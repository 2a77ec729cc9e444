"""Starting the window: `run(path)` creates the application, shows the main window with the file (or the
bundled 28x28 CNN example), and runs the event loop.

The window must be on screen within a second, so nothing here imports TensorFlow: the Keras worker imports
it in the background once the window shows. Set KC_STARTUP_PROBE=1 to print how long after the process
started the window was shown (KC_STARTUP_PROBE=exit also quits right after, for timing runs).
KC_TEST_EDITS=N makes N edits after the start (a hook for the crash-recovery test, see _schedule_test_edits).
"""

from __future__ import annotations

import os
import signal
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui import gc_guard

APP_NAME = "Keras Canvas"
ORGANIZATION = "Keras Canvas"


def create_application() -> QApplication:
    """The QApplication (or the one that exists), named for QSettings and styled."""
    from gui.theme import apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    apply_style(app)
    gc_guard.install(app)
    return app


def seconds_since_process_start() -> float | None:
    """From the kernel's record of when this process began (Linux), so interpreter start-up counts too."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat(5), counted after the ")" of the command name
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return now - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


_IMPORTED_AT = time.perf_counter()


def _resident_megabytes() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return None


def _since_start() -> str:
    age = seconds_since_process_start()
    return f"{age:.2f} s after the process started" if age is not None else "?"


def _probe(mode: str, window):
    """The start-up probe (KC_STARTUP_PROBE): one line once the window shows the document it opens with,
    painted (the whole window: docks, status bar and the canvas with the items in view; a large document's
    other items are still being made, and edits wait until they are), then one once every item exists."""
    window.grab()  # make sure the whole window has been painted once before taking the time
    since_import = time.perf_counter() - _IMPORTED_AT
    cpu = time.process_time()
    scene = window.canvas.canvas_scene
    print(f"KC_STARTUP_PROBE: window painted {_since_start()} ({since_import:.2f} s after gui.app was imported; "
          f"cpu {cpu:.2f} s): {window.windowTitle()!r}, {len(window.controller.doc)} nodes, "
          f"{len(scene.node_items())} of them drawn; memory {_resident_megabytes():.0f} MB; "
          f"tensorflow loaded: {'tensorflow' in sys.modules}", flush=True)
    window.keras.state_changed.connect(lambda state, detail: print(f"KC_STARTUP_PROBE: keras {state}: {detail}",
                                                                     flush=True))

    def complete():
        window.grab()
        print(f"KC_STARTUP_PROBE: every item made {_since_start()} (cpu {time.process_time():.2f} s): "
              f"{len(scene.node_items())} nodes drawn; memory {_resident_megabytes():.0f} MB", flush=True)
        if mode == "exit":
            QTimer.singleShot(0, window.close)

    after_loading(window, complete, even_if_not_shown=True)


def _quit_on_signals(app: QApplication):
    """Ctrl+C or SIGTERM in a terminal ends the app cleanly (worker stopped). Python handles signals only
    when it runs, so a light timer wakes it while Qt's loop waits."""
    def quit_now(*_):
        app.quit()

    signal.signal(signal.SIGINT, quit_now)
    signal.signal(signal.SIGTERM, quit_now)
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(300)


def _schedule_test_edits(window, count: int):
    """KC_TEST_EDITS=N (for tests/gui/test_recovery.py): add N Dense nodes `test_edit_<i>` (units i+1), one
    every 50 ms, as a person would through the undo stack, then print `KC_TEST_EDITS: done`."""
    from builder.editing.commands import AddNode

    def edit(i=0):
        if i == count:
            print("KC_TEST_EDITS: done", flush=True)
            return
        window.controller.push(AddNode(f"test_edit_{i}", "Dense", {"units": i + 1}, position=(40.0 * i, 600.0)))
        QTimer.singleShot(50, window, lambda: edit(i + 1))

    QTimer.singleShot(200, window, edit)


def open_start_document(window, path: str | None):
    """What a new window shows: `path` if given; else the project the last session closed with; else (the first
    day, after an untitled document, or if that file has gone bad) the bundled example. A large file is read
    and drawn in the background (gui/loading.py) while the window is already on screen. If `path` cannot be
    opened, the example shows and the reader's message follows in a dialog once the window is up (a last
    document gone bad is not worth one)."""
    from gui.files import DEFAULT_EXAMPLE, is_model_file

    if path and is_model_file(path):  # `main.py model.keras`: the example shows while Keras imports the model
        window.files.open_example(DEFAULT_EXAMPLE)
        window.files.open_path(path)  # handed to the import: queued until the worker is ready; a refusal gets its dialog
        return
    wanted = path or window.files.last_document()
    if not wanted:
        window.files.open_example(DEFAULT_EXAMPLE)
        return
    listening = True

    def failed(_where: str, message: str):
        nonlocal listening
        listening = False
        window.files.open_failed.disconnect(failed)
        window.files.open_example(DEFAULT_EXAMPLE)
        if path:
            QTimer.singleShot(0, window, lambda: window.dialogs.error(f"Cannot open {os.path.basename(path)}",
                                                                      message))

    window.files.open_failed.connect(failed)
    window.files.open_path(wanted, report=False)
    if listening and not window.loader.busy:  # opened at once: later failures are not the start's
        window.files.open_failed.disconnect(failed)


def after_loading(window, action, even_if_not_shown: bool = False):
    """Run `action` once the document the window opens with is shown, every item drawn (at once unless a load
    is under way); `even_if_not_shown`: also when the load failed or was cancelled."""
    if not window.loader.busy:
        QTimer.singleShot(0, window, action)
        return

    def finished(shown: bool):
        window.loader.finished.disconnect(finished)
        if shown or even_if_not_shown:
            QTimer.singleShot(0, window, action)

    window.loader.finished.connect(finished)


def once_in_view(window, action):
    """Run `action` once the window can paint the document it opens with: the items in view exist (a large
    document's others are still being made), or the load is over however it ended."""
    if not window.loader.busy:
        QTimer.singleShot(0, window, action)
        return

    def ready(*_):
        window.loader.in_view.disconnect(ready)
        window.loader.finished.disconnect(ready)
        QTimer.singleShot(0, window, action)

    window.loader.in_view.connect(ready)
    window.loader.finished.connect(ready)


def run(path: str | None = None, compare_with: str | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # read by TensorFlow when the worker imports it
    app = create_application()

    from gui.main_window import MainWindow

    window = MainWindow()
    open_start_document(window, path)
    window.show()
    if compare_with:  # `main.py diff A B --window` (git difftool): B compared with A, once A is shown
        after_loading(window, lambda: window.files.path is not None
                      and window.compare.compare_with_path(compare_with))
    from gui.recovery import offer_restore

    QTimer.singleShot(0, window, lambda: offer_restore(window))  # after a crash: offer the autosaved edits
    if os.environ.get("KC_TEST_EDITS"):
        _schedule_test_edits(window, int(os.environ["KC_TEST_EDITS"]))
    probe = os.environ.get("KC_STARTUP_PROBE")
    if probe:  # once the document is painted (a large one: what is in view; the rest is drawn in slices)
        once_in_view(window, lambda: _probe(probe, window))
    # The Keras worker's TensorFlow import takes seconds of CPU: a large document is drawn first.
    after_loading(window, window.start_background_work, even_if_not_shown=True)
    _quit_on_signals(app)
    code = app.exec()
    window.shutdown()  # in case the loop ended without a close event (e.g. a signal)
    return code
