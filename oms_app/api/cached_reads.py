"""The catalogue's two public reads, answered from the cache before routing.

A cached catalogue answer is ready JSON in Redis, so all such a request needs is that one read;
the router and FastAPI's parsing and validation of its query around the read cost more than the
read itself (see "Cached reads" in docs/benchmarks.md). This layer sits innermost of the
middleware, so request ids, the access log, the security headers, the CSP and CORS apply
exactly as to any answer. It answers a GET of `/api/v1/products/` whose only parameters are
`page` and `limit` (each at most once, digits), and of `/api/v1/products/<id>` without any,
when the cache holds the answer. Anything else — another parameter, a value the route would
refuse, a miss, Redis away — goes on to the route, which answers (and caches) as before. The
cache keys are the service's own, so the two paths cannot disagree.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from oms_app.models.common import MAX_INT32, PageParams
from oms_app.services import products

LIST_PATH = "/api/v1/products/"
_DETAIL_PATH = re.compile(r"/api/v1/products/([1-9][0-9]{0,9})")
_PAGING = frozenset({"page", "limit"})


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
        if scope["type"] == "http" and scope["method"] == "GET":
            # A blocking Redis read on the loop, as the routes' cache hits do (catalogue_cache).
            body = cached_answer(scope["path"], scope["query_string"])
            if body is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        # What the route's `raw_json` Response sends, in its order.
                        "headers": [
                            (b"content-length", str(len(body)).encode()),
                            (b"content-type", b"application/json"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
