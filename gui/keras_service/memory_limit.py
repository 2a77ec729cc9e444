"""The Keras worker's memory limit, and the watch that holds it to it.

The limit is the worker's resident memory, by default half of the machine's, so that no model file can take
the whole machine. It is set, in order of precedence, by the environment variable KC_KERAS_MEMORY_MB, by the
setting `keras/memory_limit_mb` (Keras > Memory Limit… in the window), or left at the default.

The watch is a plain thread, not a Qt timer: it must act even while the window's thread is busy, and an
allocation in TensorFlow can grow by gigabytes a second. It reads the worker's resident size from /proc every
WATCH_INTERVAL_S and kills the worker when it passes the limit; the service then tells the person what was
being done when that happened. Where /proc does not exist the watch does nothing.
"""

from __future__ import annotations

import os
import signal
import threading

ENV_VAR = "KC_KERAS_MEMORY_MB"
SETTING = "keras/memory_limit_mb"
MIN_MB = 256  # below this not even TensorFlow's import fits; a smaller number is a typo
WATCH_INTERVAL_S = 0.1


def machine_mb() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


def default_mb() -> int:
    total = machine_mb()
    return max(MIN_MB, total // 2) if total else 8192


def parse_mb(value) -> int | None:
    """A limit in MB from a setting or the environment, or None if it is not a whole number >= MIN_MB."""
    try:
        mb = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return mb if mb >= MIN_MB else None


def limit_mb(settings=None) -> tuple[int, str]:
    """(limit in MB, where it comes from: 'environment', 'setting' or 'default')."""
    from_env = parse_mb(os.environ.get(ENV_VAR))
    if from_env is not None:
        return from_env, "environment"
    if settings is not None:
        from_setting = parse_mb(settings.value(SETTING))
        if from_setting is not None:
            return from_setting, "setting"
    return default_mb(), "default"


def describe_mb(mb: float) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def resident_mb(pid: int) -> float | None:
    """A process's resident memory in MB from /proc/PID/statm, or None if it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class MemoryWatch:
    """Kills `pid` with SIGKILL once its resident memory passes `limit_mb`; `exceeded` then holds the size
    seen (MB). `stop()` ends the watch; it also ends by itself when the process is gone."""

    def __init__(self, pid: int, limit: int):
        self.pid, self.limit = pid, limit
        self.exceeded: float | None = None
        self.peak = 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"keras-memory-watch-{pid}", daemon=True)
        self._thread.start()

    def stop(self):
        self._stopped.set()

    def _run(self):
        while not self._stopped.wait(WATCH_INTERVAL_S):
            rss = resident_mb(self.pid)
            if rss is None:
                return  # gone (or no /proc here)
            self.peak = max(self.peak, rss)
            if rss > self.limit:
                self.exceeded = rss
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except OSError:
                    pass
                return
