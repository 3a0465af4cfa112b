"""Browser security headers on every response, and a cap on request bodies.

Installed on the outer app, so pages, the state websocket's HTTP handshake and /api all get
the headers. Pure ASGI: nothing is buffered, so streamed CSV exports pass through untouched.
"""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms_app.services.product_images import MAX_IMAGE_BYTES

MAX_BODY_BYTES = 1024 * 1024  # no OMS request needs more; a cart of 100 lines is ~5 KB
# Image uploads, over REST or the UI's Reflex upload endpoint: one image and its multipart
# framing. The image's own limit (a 413 too) is the service's.
MAX_UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + 64 * 1024
_UPLOAD_PATHS = re.compile(r"/api/v1/products/[0-9]+/image|/_upload")

_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_HSTS = "max-age=31536000; includeSubDomains"
_ENCODED = [(name.lower().encode(), value.encode()) for name, value in _HEADERS.items()]
_ENCODED_HSTS = [*_ENCODED, (b"strict-transport-security", _HSTS.encode())]


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """What this layer adds to an answer, for an answer written without passing through it."""
    return _ENCODED_HSTS if _is_https(scope) else _ENCODED


def _is_https(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    for key, value in scope.get("headers", ()):
        if key == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


class _BodyTooLarge(HTTPException):
    # An HTTPException, so FastAPI's body parsing passes it through as a 413 rather than a 400.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body is larger than {limit} bytes")


class HardeningMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_body: int = MAX_BODY_BYTES,
        max_upload_body: int = MAX_UPLOAD_BODY_BYTES,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload_body = max_upload_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_body if _UPLOAD_PATHS.fullmatch(scope["path"]) else self.max_body
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        https = _is_https(scope)
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # chunked bodies declare no length up front
                    raise _BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", _HSTS)
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"Request body is larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_ENCODED,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def install_hardening(app: FastAPI) -> None:
    app.add_middleware(HardeningMiddleware)
