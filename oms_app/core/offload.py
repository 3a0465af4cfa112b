"""Work that must not hold up the request that asked for it: sending mail, above all.

Jobs run one at a time, in order, on one background thread of this process, so a caller returns
at once whatever the job does (and however long the mail server takes), and what a job finds
out (does this account exist?) cannot show in the caller's answer or its timing. A job's failure
is logged, never raised. The queue is bounded: past it a job is dropped with a warning rather
than letting a flood grow memory without end. Jobs keep the caller's context (its request id).
"""

from __future__ import annotations

import atexit
import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

MAX_QUEUED = 1000
DRAIN_AT_EXIT_SECONDS = 10.0

Job = Callable[[], None]
_jobs: queue.Queue[tuple[contextvars.Context, Job]] = queue.Queue(maxsize=MAX_QUEUED)
_start_lock = threading.Lock()
_worker: threading.Thread | None = None


def submit(job: Job) -> bool:
    """Queue `job`; False (and a warning) when the queue is full."""
    _ensure_worker()
    try:
        _jobs.put_nowait((contextvars.copy_context(), job))
    except queue.Full:
        log.warning("background queue full; a job was dropped", extra={"job": _name(job)})
        return False
    return True


def wait_idle(timeout: float) -> bool:
    """Wait until every job queued so far has run; False if that took longer than `timeout`."""
    deadline = time.monotonic() + timeout
    done = threading.Event()
    _ensure_worker()
    try:
        _jobs.put((contextvars.copy_context(), done.set), timeout=timeout)
    except queue.Full:
        return False
    return done.wait(max(deadline - time.monotonic(), 0))


def _ensure_worker() -> None:
    global _worker
    with _start_lock:
        if _worker is None or not _worker.is_alive():
            # A daemon, so a stuck mail server cannot keep the process alive; at exit the
            # queue gets a bounded chance to drain (see _drain_at_exit).
            _worker = threading.Thread(target=_run, name="oms-offload", daemon=True)
            _worker.start()


def _run() -> None:
    while True:
        context, job = _jobs.get()
        try:
            context.run(job)
        except Exception:
            log.exception("background job failed", extra={"job": _name(job)})
        finally:
            _jobs.task_done()


def _name(job: Job) -> str:
    return getattr(getattr(job, "func", job), "__qualname__", repr(job))


@atexit.register
def _drain_at_exit() -> None:
    if _worker is not None and _worker.is_alive():
        wait_idle(DRAIN_AT_EXIT_SECONDS)
