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


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the state websocket and lifespan pass straight through
            await self.app(scope, receive, send)
            return

        rid = incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        client = scope.get("client")
        address_token = client_address.set(client[0] if client else None)
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
            path = scope["path"]
            if path.startswith("/api"):
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
            request_id.reset(token)
            client_address.reset(address_token)


def install_request_context(app: FastAPI) -> None:
    """Wrap the app's whole middleware stack, error handling included."""
    build_stack = app.build_middleware_stack

    def build_with_request_context() -> ASGIApp:
        return RequestContextMiddleware(build_stack())

    app.build_middleware_stack = build_with_request_context  # type: ignore[method-assign]
