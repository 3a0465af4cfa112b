"""Request ids and access logs for everything the outer app serves.

Pure ASGI, so it costs one ContextVar set, one header and (for /api) one log line per request,
and does not buffer bodies (CSV exports stream through untouched). It is installed outside
Starlette's ServerErrorMiddleware, so even an unexpected 500 carries its X-Request-ID and the
"unhandled error" log line names the request it came from.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms_app.core.logging import client_address, request_id

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_HEADER_KEY = HEADER.lower().encode()
# Load balancers poll this every few seconds; its lines would drown the real traffic at INFO.
_QUIET_PATHS = frozenset({"/api/health"})

access_log = logging.getLogger("oms.access")


def incoming_request_id(scope: Scope) -> str | None:
    """The caller's X-Request-ID when it is safe to log and echo, else None."""
    for key, value in scope.get("headers", ()):
        if key == _HEADER_KEY:
            candidate = value.decode("latin-1")
            return candidate if _SANE_ID.fullmatch(candidate) else None
    return None


@contextmanager
def request_context(scope: Scope) -> Iterator[str]:
    """The request's id (the caller's when sane, else a new one) and address, bound for every
    log line written meanwhile."""
    rid = incoming_request_id(scope) or uuid.uuid4().hex
    token = request_id.set(rid)
    client = scope.get("client")
    address_token = client_address.set(client[0] if client else None)
    try:
        yield rid
    finally:
        request_id.reset(token)
        client_address.reset(address_token)


def log_access(scope: Scope, status: int, started: float) -> None:
    """The access log line of an answered /api request."""
    path = scope["path"]
    if not path.startswith("/api"):
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    access_log.log(
        logging.DEBUG if path in _QUIET_PATHS else logging.INFO,
        "%s %s",
        scope["method"],
        path,
        extra={
            "method": scope["method"],
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the state websocket and lifespan pass straight through
            await self.app(scope, receive, send)
            return
        with request_context(scope) as rid:
            await self._answer(scope, receive, send, rid)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, rid: str) -> None:
        started = time.perf_counter()
        status = 500  # what the client sees if the app dies before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log_access(scope, status, started)


def install_request_context(app: FastAPI) -> None:
    """Wrap the app's whole middleware stack, error handling included."""
    wrap_stack(app, RequestContextMiddleware)


def wrap_stack(app: FastAPI, layer: Callable[[ASGIApp], ASGIApp]) -> None:
    """Put `layer` outside everything the app builds (its middleware and error handling)."""
    build_stack = app.build_middleware_stack

    def build_wrapped() -> ASGIApp:
        return layer(build_stack())

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]
