"""Content-Security-Policy on every answer: pages, Swagger UI and the API.

A page may run scripts from this origin and exactly the inline scripts it was served with: the
build's HTML (and Swagger UI's) carries inline bootstrap scripts, so each HTML answer is read
once, the SHA-256 of every inline script goes into its policy, and any script injected later
(an XSS) has no hash and does not run. Reflex pages also get 'unsafe-eval': Reflex 0.10 sends
what a handler asks of the browser (every toast, `rx.call_script`) as JavaScript source over
the state socket, and its client runs it with eval; only our server writes that source, and
Swagger UI at /api does without. Styles may be inline (Radix and emotion set them at run
time); images may also be data: and blob: (Swagger UI's icons, an upload's preview). The state
websocket is this origin, or REFLEX_API_URL's when the browser reaches the app elsewhere.
Everything else (JSON, CSV, images, scripts) gets a policy that allows nothing: none of it is
meant to be rendered as a document.

Pure ASGI. Only HTML bodies are buffered (pages are a few kilobytes); a page sent as a file
(ASGI pathsend) is read once per version of the file; hashes are cached. Everything else
streams through untouched.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms_app.core.config import get_settings

HEADER = "Content-Security-Policy"
NOTHING = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_EXTERNAL = re.compile(rb"\bsrc\s*=", re.IGNORECASE)


def _websocket_origins() -> str:
    """REFLEX_API_URL's origin as ws(s)://, when the state websocket is not on this origin."""
    url = get_settings().reflex_api_url
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        return ""
    return f" {parts.scheme}://{parts.netloc} {scheme}://{parts.netloc}"


def page_policy(script_hashes: list[str], reflex_page: bool) -> str:
    allowed = ["'self'", *(["'unsafe-eval'"] if reflex_page else [])]
    scripts = " ".join(allowed + [f"'sha256-{digest}'" for digest in script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self'{_websocket_origins()}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def inline_script_hashes(html: bytes) -> list[str]:
    """Base64 SHA-256 of each inline script, as a browser computes it (after it turns CRLF
    and CR into LF), in document order without repeats."""
    hashes: list[str] = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if _EXTERNAL.search(attributes):
            continue
        normalised = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        digest = base64.b64encode(hashlib.sha256(normalised).digest()).decode()
        if digest not in hashes:
            hashes.append(digest)
    return hashes


_hashes: dict[tuple[object, ...], list[str]] = {}
_MAX_CACHED = 256  # the build has a few dozen pages


def _hashes_of(key: tuple[object, ...], body: bytes | None, encoding: str) -> list[str]:
    """The inline script hashes of this HTML, cached under `key`; `body` is needed only on a
    miss."""
    if (hashes := _hashes.get(key)) is None:
        html = body if body is not None else b""
        if encoding == "gzip":  # the build's pages are served pre-compressed
            try:
                html = gzip.decompress(html)
            except (OSError, EOFError):
                html = b""  # no hashes: the page's inline scripts are refused, not allowed
        if len(_hashes) >= _MAX_CACHED:
            _hashes.clear()
        hashes = _hashes[key] = inline_script_hashes(html)
    return hashes


async def _file_hashes(path: str, encoding: str) -> list[str]:
    """For a file sent by path (ASGI pathsend): keyed by the file's identity, read on a miss."""
    file = anyio.Path(path)
    stat = await file.stat()
    key = (path, stat.st_mtime_ns, stat.st_size, encoding)
    body = None if key in _hashes else await file.read_bytes()
    return _hashes_of(key, body, encoding)


class ContentSecurityPolicyMiddleware:
    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix  # HTML under it is Swagger UI's, not a Reflex page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        reflex_page = not scope["path"].startswith(self.api_prefix)

        async def send_with_policy(message: Message) -> None:
            nonlocal start
            kind = message["type"]
            if kind == "http.response.start" and message["status"] == 304:
                pass  # the browser keeps the cached copy's policy; a 304's headers replace it
            elif kind == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    start = message  # held until the policy is known, from the body
                    return
                headers.setdefault(HEADER, NOTHING)
            elif start is not None and kind in {"http.response.body", "http.response.pathsend"}:
                headers = MutableHeaders(scope=start)
                encoding = headers.get("content-encoding", "").strip().lower()
                if kind == "http.response.pathsend":  # a static page, sent by the server
                    hashes = await _file_hashes(message["path"], encoding)
                else:
                    chunks.append(message.get("body", b""))
                    if message.get("more_body", False):
                        return
                    body = b"".join(chunks)
                    digest = hashlib.sha256(body).digest()
                    hashes = _hashes_of((digest, encoding), body, encoding)
                    message = {"type": "http.response.body", "body": body, "more_body": False}
                headers.setdefault(HEADER, page_policy(hashes, reflex_page))
                await send(start)
                start = None
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_content_security_policy(app: FastAPI, api_prefix: str) -> None:
    app.add_middleware(ContentSecurityPolicyMiddleware, api_prefix=api_prefix)
