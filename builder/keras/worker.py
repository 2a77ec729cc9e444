"""The Keras worker process: all TensorFlow and Keras work of the window runs here, in a child process, so a
segfault, an out-of-memory kill or a hung build in TensorFlow never takes the window down.

Started by the window (gui/keras_worker.py) as `python -m builder.keras.worker`. It imports Keras once, then
serves requests one at a time until its input closes.

## Protocol
Plain JSON, one object per line (UTF-8), nothing pickled. Requests on the worker's stdin:

    {"id": 7, "kind": "import", "payload": {"path": "/models/mnv2.keras"}}

Messages on its stdout (the worker moves its real stdout aside first, so that whatever Keras or TensorFlow
prints goes to stderr and can never corrupt the stream):

    {"id": null, "type": "ready", "payload": {"keras": "3.12.0", "seconds": 2.4, "pid": 1234}}
    {"id": null, "type": "unavailable", "payload": {"message": "cannot import Keras: ..."}}
    {"id": 7, "type": "progress", "payload": {"text": "loading the model with Keras"}}
    {"id": 7, "type": "result", "payload": {...}}        the request's answer; see the handlers below
    {"id": 7, "type": "error", "payload": {"message": "..."}}   refused, with a message for people

Every request gets exactly one `result` or `error`, after any number of `progress` messages. Kinds:
  - `import` {path} -> {path, text (project JSON), nodes, seconds}
  - `build` {project (project JSON), path} -> {path, params, trainable, layers, seconds}: builds the model and
    saves it as .keras, atomically
  - `recompute` {requests: [{node, layer, config, inputs}, ...]} -> {answers: [{...request, keras_shape}, ...]}
  - `ping` {} -> {pid}
  - `train` {project, data, label, settings, output, checkpoint} -> {history, stopped, epochs_done, output,
    checkpoint, settings, notes, evaluation, seconds} (builder/keras/training_worker.py); data that a remedy would
    fit is refused with `"remedy": {"resize": [h, w], "input": id}` beside the message (send again with
    `settings.resize` true to apply it); its progress messages
    carry `"train": {"phase": "batch"|"epoch", "epoch", "epochs", "batch", "steps", "logs", "seconds"}` beside the
    text (batch ones at most every 0.1 s, so a fast model is not slowed by its own reporting)
A message that is not a request: `{"id": 7, "kind": "stop", "payload": {}}` asks request 7 (a `train`) to end
after its current batch; it keeps the weights and answers as usual. Requests are read on a thread of their own,
so a stop arrives while a request runs.
Cancelling is not a message: the window kills the process and starts a new one.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time

PROTOCOL_VERSION = 1
MAX_REQUEST_BYTES = 256 * 1024 * 1024  # a project of 10,000 nodes is a few MB; a line beyond this is not ours


STOP = threading.Event()  # set by a stop message for the request in progress; cleared before each request
_current = {"id": None}
_stop_asked: set = set()  # ids a stop was sent for, in case it overtakes its request on the way in


class Channel:
    """The protocol stream: the process's original stdout, kept on a descriptor of its own."""

    def __init__(self):
        sys.stdout.flush()
        self._out = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
        os.dup2(2, 1)  # stray prints (model.summary(), TensorFlow's own) now go to stderr
        sys.stdout = sys.stderr

    def send(self, request_id, kind: str, payload: dict):
        line = json.dumps({"id": request_id, "type": kind, "payload": payload}, ensure_ascii=True) + "\n"
        with self._lock:  # the reader thread answers malformed lines while a request may be reporting
            self._out.write(line)
            self._out.flush()

    _lock = threading.Lock()


def _die_with_parent():
    """Linux: end this process when the window's process ends, even if it was killed and never closed our
    input (a build in progress would otherwise run on for nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_address_space():
    """A hard ceiling behind the window's memory watch (it stops the worker when its resident memory passes
    the limit, with a clear message): KC_WORKER_ADDRESS_SPACE_MB, set by the window, caps the address space
    so that even an allocation faster than the watch cannot take the machine."""
    limit = os.environ.get("KC_WORKER_ADDRESS_SPACE_MB", "")
    if not limit.isdigit():
        return
    try:
        import resource

        cap = int(limit) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass


# ---- handlers: each takes the payload and a progress function, returns the result payload or raises Refusal

class Refusal(Exception):
    """A request that cannot be done; the message is for people and names the file or node. `extra` goes into
    the error message's payload beside it (a training data problem's `remedy`)."""

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.extra = extra


def handle_import(payload: dict, progress) -> dict:
    from builder.files.project import dumps
    from builder.keras.importer import ImportRefused, import_model

    path = str(payload["path"])
    started = time.perf_counter()
    progress("reading and loading the model with Keras")
    try:
        doc = import_model(path)
    except ImportRefused as exc:
        raise Refusal(str(exc)) from None
    progress(f"converting {len(doc.graph):,} layers into a project")
    return {"path": path, "text": dumps(doc.graph), "nodes": len(doc.graph),
            "seconds": time.perf_counter() - started}


def handle_build(payload: dict, progress) -> dict:
    from builder.files.project import ProjectError, parse
    from builder.keras.build import build_and_save
    from builder.keras.plan import ModelError
    from builder.keras.weight_limit import WeightLimitExceeded

    started = time.perf_counter()
    try:
        graph = parse(str(payload["project"]), "<editor>")
        progress("building the model")
        _model, facts = build_and_save(graph, str(payload["path"]))
    except ModelError as exc:
        raise Refusal("\n".join(exc.errors)) from None
    except (ProjectError, WeightLimitExceeded, OSError) as exc:  # too big for the machine: refused before Keras
        raise Refusal(str(exc)) from None
    return {**facts, "seconds": time.perf_counter() - started}


def handle_recompute(payload: dict, progress) -> dict:
    from builder.keras.recompute import recompute

    answers = []
    for request in payload["requests"]:
        try:
            keras_shape = recompute(**request)
        except Exception as exc:  # noqa: BLE001 -- recompute reports Keras's refusals; this is a last resort
            keras_shape = {"inputs": request["inputs"], "error": f"{type(exc).__name__}: {exc}"[:1500]}
        answers.append({**request, "keras_shape": keras_shape})
    return {"answers": answers}


def handle_ping(payload: dict, progress) -> dict:
    return {"pid": os.getpid()}


def handle_train(payload: dict, progress) -> dict:
    from builder.keras.training_worker import train_request

    try:
        return train_request(payload, progress, STOP.is_set)
    except ValueError as exc:  # DataError, TrainingSettingsError, ProjectError, ModelError: told as they are
        remedy = getattr(exc, "remedy", None)  # DataError's, e.g. {"resize": [28, 28], "input": "image"}
        raise Refusal(str(exc), **({"remedy": remedy} if remedy else {})) from None


HANDLERS = {"import": handle_import, "build": handle_build, "recompute": handle_recompute, "ping": handle_ping,
            "train": handle_train}


def _read_requests(channel: Channel, lines, requests: queue.Queue):
    """The reader thread: requests go to the queue; a stop message takes effect at once."""
    for line in lines:
        try:
            request = json.loads(line)
            request_id, kind, payload = request["id"], request["kind"], request["payload"]
        except (ValueError, KeyError, TypeError):
            channel.send(None, "error", {"message": f"not a request: {line[:80]!r}"})
            continue
        if kind == "stop":
            _stop_asked.add(request_id)
            if request_id == _current["id"]:
                STOP.set()
            continue
        requests.put((request_id, kind, payload))
    requests.put(None)  # input closed: end after the request in progress


def serve(channel: Channel, lines, keras_problem: str | None):
    requests: queue.Queue = queue.Queue()
    threading.Thread(target=_read_requests, args=(channel, lines, requests), daemon=True).start()
    while (request := requests.get()) is not None:
        request_id, kind, payload = request
        _current["id"] = request_id
        STOP.clear()
        if request_id in _stop_asked:
            STOP.set()
        if kind not in HANDLERS:
            channel.send(request_id, "error", {"message": f"unknown request kind {str(kind)[:40]!r}"})
            continue
        if keras_problem and kind != "ping":
            channel.send(request_id, "error", {"message": keras_problem})
            continue

        def progress(text, request_id=request_id, **extra):
            channel.send(request_id, "progress", {"text": text, **extra})

        try:
            result = HANDLERS[kind](payload, progress)
        except Refusal as exc:
            channel.send(request_id, "error", {"message": str(exc), **exc.extra})
        except MemoryError:
            channel.send(request_id, "error", {"message": "Keras ran out of memory (the worker's memory limit)"})
        except Exception as exc:  # noqa: BLE001 -- a Keras failure is reported to the person, never a crash
            channel.send(request_id, "error", {"message": f"{type(exc).__name__}: {exc}"[:2000]})
        else:
            channel.send(request_id, "result", result)
        _current["id"] = None


def _read_lines(stream):
    while True:
        line = stream.readline(MAX_REQUEST_BYTES)
        if not line:
            return
        yield line


def main() -> int:
    _die_with_parent()
    _limit_address_space()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    channel = Channel()
    started = time.perf_counter()
    keras_problem = None
    try:
        import keras  # the seconds this takes are why the worker starts in the background
    except Exception as exc:  # noqa: BLE001 -- a broken TensorFlow install is reported, and the worker serves pings
        keras_problem = f"cannot import Keras: {type(exc).__name__}: {exc}"[:2000]
        channel.send(None, "unavailable", {"message": keras_problem})
    else:
        channel.send(None, "ready", {"keras": keras.__version__, "seconds": time.perf_counter() - started,
                                     "pid": os.getpid(), "protocol": PROTOCOL_VERSION})
    serve(channel, _read_lines(sys.stdin), keras_problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
