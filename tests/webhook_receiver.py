"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 that records every POST and
answers as the test scripts it, and senders run on their own threads and event loops."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: str

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]

    def verify(self, secret: str) -> dict:
        """The payload, when the signature verifies with `secret` (else it raises)."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Answer:
    status: int = 200
    body: str = "ok"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None  # answer only once this is set


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops a burst of connections, which then wait a second for
    # TCP to try again: a sender working in batches opens many at once.
    request_queue_size = 128
    daemon_threads = True


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: deque[Answer] = deque()
        self.default = Answer()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.arrived:
                    receiver.received.append(Received(headers, body))
                    answer = receiver.script.popleft() if receiver.script else receiver.default
                    receiver.arrived.notify_all()
                if answer.hold is not None:
                    answer.hold.wait(30)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        """Block until `count` requests have arrived; all of them so far."""
        with self.arrived:
            ok = self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            assert ok, f"{len(self.received)} of {count} webhook requests arrived"
            return list(self.received)


@contextlib.contextmanager
def receiving() -> Iterator[Receiver]:
    receiver = Receiver().start()
    try:
        yield receiver
    finally:
        receiver.stop()


@contextlib.contextmanager
def running_sender(**overrides: object) -> Iterator[object]:
    """A webhook sender on its own thread and event loop, as every worker runs one."""
    from oms_app.core.config import get_settings
    from oms_app.services.webhook_sender import Sender, SenderThread

    engine = overrides.pop("engine", None)
    settings = get_settings().model_copy(
        update={
            "webhook_allow_private_targets": True,
            "webhook_poll_seconds": 0.2,
            **overrides,
        }
    )
    runner = SenderThread(Sender(engine=engine, settings=settings)).start()  # type: ignore[arg-type]
    try:
        yield runner.sender
    finally:
        runner.stop()


def eventually(check: Callable[[], object], timeout: float = 20, interval: float = 0.05) -> object:
    """Poll `check` until it returns something truthy (a receiver or database catching up)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(interval)
