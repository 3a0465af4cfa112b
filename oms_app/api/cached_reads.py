"""The catalogue's two public reads, answered from the cache ahead of every other layer.

A cached catalogue answer is ready JSON in Redis, so all such a request needs is that one read;
the layers around a route (Reflex's outer app with its error middleware, CORS, contexts, router
and mount; then the API's request context, error handling, security headers, CSP, body limits,
routing, query parsing and validation) cost several times the read itself (see "Cached reads"
in docs/benchmarks.md). So this is the served app's outermost layer (`oms_app.py`): it answers
a GET of `/api/v1/products/` whose only parameters are `page` and `limit` (each at most once,
digits), and of `/api/v1/products/<id>` without any, when the cache holds the answer, and
writes what those layers would have added itself, from their own code: the request id, the
security headers, the API's CSP, CORS's `Vary: Origin`, the access log line. Anything else — a
request from a browser page (it carries `Origin`, so CORS must answer it), another parameter, a
value the route would refuse, a request that declares a body, a miss, Redis away — goes on to
the route, which answers (and caches) as before. The cache keys are the service's own, so the
two paths cannot disagree, and the tests compare the two answers byte for byte, header for
header.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from oms_app.api.csp import HEADER as CSP
from oms_app.api.csp import NOTHING
from oms_app.api.hardening import security_headers
from oms_app.api.middleware import HEADER as REQUEST_ID
from oms_app.api.middleware import log_access, request_context
from oms_app.models.common import MAX_INT32, PageParams
from oms_app.services import products

LIST_PATH = "/api/v1/products/"
_DETAIL_PATH = re.compile(r"/api/v1/products/([1-9][0-9]{0,9})")
_PAGING = frozenset({"page", "limit"})
REQUEST_ID_HEADER = REQUEST_ID.lower().encode()
CSP_HEADER = CSP.lower().encode()
NOTHING_ENCODED = NOTHING.encode()


def cached_answer(path: str, query_string: bytes) -> bytes | None:
    """The cached JSON for this public catalogue read, or None to let the route answer."""
    if path == LIST_PATH:
        params = _paging(query_string)
        return None if params is None else products.cached_page_json(params)
    match = _DETAIL_PATH.fullmatch(path)
    if match and not query_string:
        product_id = int(match.group(1))
        return products.cached_product_json(product_id) if product_id <= MAX_INT32 else None
    return None


def _paging(query_string: bytes) -> PageParams | None:
    try:
        pairs = parse_qsl(
            query_string.decode("ascii"), keep_blank_values=True, strict_parsing=False
        )
    except UnicodeDecodeError:
        return None
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names) or not _PAGING.issuperset(names):
        return None
    if not all(value.isascii() and value.isdigit() for _, value in pairs):
        return None
    try:
        return PageParams.model_validate({name: int(value) for name, value in pairs})
    except ValidationError:
        return None


class CachedReadsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and _plain(scope):
            # A blocking Redis read on the loop, as the routes' cache hits do (catalogue_cache).
            body = cached_answer(scope["path"], scope["query_string"])
            if body is not None:
                await _answer(scope, send, body)
                return
        await self.app(scope, receive, send)


def _plain(scope: Scope) -> bool:
    """No `Origin` (CORS answers those) and no body (the layers that police bodies do)."""
    return not any(
        name in (b"origin", b"transfer-encoding") or (name == b"content-length" and value != b"0")
        for name, value in scope["headers"]
    )


async def _answer(scope: Scope, send: Send, body: bytes) -> None:
    started = time.perf_counter()
    with request_context(scope) as rid:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                # What the route's `raw_json` Response sends, then what the layers add.
                "headers": [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/json"),
                    (REQUEST_ID_HEADER, rid.encode()),
                    *security_headers(scope),
                    (CSP_HEADER, NOTHING_ENCODED),
                    (b"vary", b"Origin"),  # CORS's, for a request without an Origin
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        log_access(scope, 200, started)
