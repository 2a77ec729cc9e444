"""One Keras worker process (builder/keras/worker.py) seen from the window: start it, send it requests, read
its messages, and say why it ended. The protocol is documented in builder/keras/worker.py.

QProcess keeps everything on the window's thread: its output arrives as a signal, its end too (with the
signal number when it crashed), so no thread of ours ever touches Qt.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

from gui.keras_service.memory_limit import MemoryWatch, describe_mb

STDERR_TAIL_BYTES = 8192  # the end of what the worker printed, for the message when it fails to start
MAX_LINE_BYTES = 512 * 1024 * 1024  # a message beyond this is not from our worker: stop it


def _package_root() -> str:
    import builder

    return str(Path(builder.__file__).resolve().parent.parent)


class WorkerProcess(QObject):
    message = Signal(object)  # a decoded protocol message {"id", "type", "payload"}
    ended = Signal(str)  # why, for people: "signal 11", "exit code 1", "it used more than 8.0 GB …"

    def __init__(self, memory_limit_mb: int, parent=None):
        super().__init__(parent)
        self.memory_limit_mb = memory_limit_mb
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read_output)
        self.process.readyReadStandardError.connect(self._read_errors)
        self.process.finished.connect(self._on_finished)
        self.process.errorOccurred.connect(self._on_error)
        self.stderr_tail = b""
        self._buffer = b""
        self._watch: MemoryWatch | None = None
        self._killed_why: str | None = None
        self._ended = False

    def start(self):
        env = QProcessEnvironment.systemEnvironment()
        root = _package_root()
        python_path = env.value("PYTHONPATH", "")
        env.insert("PYTHONPATH", root + (os.pathsep + python_path if python_path else ""))
        env.insert("PYTHONUNBUFFERED", "1")
        if not env.contains("TF_CPP_MIN_LOG_LEVEL"):
            env.insert("TF_CPP_MIN_LOG_LEVEL", "2")
        self.process.setProcessEnvironment(env)
        self.process.setWorkingDirectory(root)
        self.process.start(sys.executable, ["-m", "builder.keras.worker"])
        if self.process.waitForStarted(10_000):
            self._watch = MemoryWatch(int(self.process.processId()), self.memory_limit_mb)

    @property
    def alive(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    @property
    def pid(self) -> int:
        return int(self.process.processId())

    def set_memory_limit(self, mb: int):
        self.memory_limit_mb = mb
        if self._watch is not None:
            self._watch.limit = mb

    def send(self, request_id: int, kind: str, payload: dict):
        line = json.dumps({"id": request_id, "kind": kind, "payload": payload}, ensure_ascii=True) + "\n"
        self.process.write(line.encode("ascii"))

    def kill(self, why: str):
        """End it now (SIGKILL); `ended` will carry `why`."""
        self._killed_why = why
        self.process.kill()

    def close(self, wait_ms: int = 3000):
        """Ask it to finish (its input closes: it ends after the request in progress), kill it if it does not
        within wait_ms. Emits nothing."""
        self._ended = True
        self._stop_watch()
        if not self.alive:
            return
        self.process.closeWriteChannel()
        if not self.process.waitForFinished(wait_ms):
            self.process.kill()
            self.process.waitForFinished(wait_ms)

    # ---- reading ---------------------------------------------------------------------------------------------

    def _read_output(self):
        self._buffer += bytes(self.process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        if len(self._buffer) > MAX_LINE_BYTES:
            self.kill("it sent a message too large to be an answer")
            return
        for line in lines:
            try:
                message = json.loads(line)
                message["id"], message["type"], message["payload"]
            except (ValueError, KeyError, TypeError):
                continue  # not a protocol line: the worker prints nothing else there, so ignore it
            self.message.emit(message)

    def _read_errors(self):
        self.stderr_tail = (self.stderr_tail + bytes(self.process.readAllStandardError()))[-STDERR_TAIL_BYTES:]

    # ---- ending ----------------------------------------------------------------------------------------------

    def _stop_watch(self):
        if self._watch is not None:
            self._watch.stop()

    def _on_error(self, error):
        if error == QProcess.ProcessError.FailedToStart:
            self._end(f"it could not start: {self.process.errorString()}")

    def _on_finished(self, code: int, status):
        self._read_output()
        if status == QProcess.ExitStatus.CrashExit:
            why = f"signal {code}" + (f", {signal.Signals(code).name}" if code in signal.Signals._value2member_map_
                                      else "")
        else:
            why = f"exit code {code}"
        self._end(why)

    def _end(self, why: str):
        watch = self._watch
        self._stop_watch()
        if self._ended:
            return
        self._ended = True
        if watch is not None and watch.exceeded is not None:
            why = (f"it used {describe_mb(watch.exceeded)}, more than its memory limit of "
                   f"{describe_mb(self.memory_limit_mb)}")
        elif self._killed_why:
            why = self._killed_why
        self.ended.emit(why)
