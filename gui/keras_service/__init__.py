"""Keras for the window, from a child process: the window's process never imports TensorFlow.

    service.py         KerasService: requests, the queue, states, restarts after a crash, Cancel
    worker_process.py  one worker process (QProcess) and the protocol lines it reads and writes
    memory_limit.py    the worker's memory limit and the watch that enforces it

The worker itself (the other end of the pipes, and the protocol) is builder/keras/worker.py.
"""

from gui.keras_service.service import FAILED, LOADING, NOT_LOADED, READY, RESTARTING, KerasService

__all__ = ["FAILED", "LOADING", "NOT_LOADED", "READY", "RESTARTING", "KerasService"]
