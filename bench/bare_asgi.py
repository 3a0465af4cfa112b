"""The ceiling for a cached read: an ASGI app that answers every request with one Redis GET.

Served by granian exactly as Reflex serves OMS in production (`bench/compare.py` starts it with
the same `Granian(...)` arguments as `reflex.utils.exec.run_granian_backend_prod`), it is what
one Python worker on this server stack can do per request when the request does nothing but
read the cache: no routing, no middleware, no authentication, no validation. The blocking
client, like OMS's cache, so the two differ only by what OMS does around the read.
"""

from __future__ import annotations

import os

import redis

KEY = "bench:bare:body"
_client = redis.Redis.from_url(os.environ.get("BARE_REDIS_URL", "redis://127.0.0.1:6379/9"))


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = _client.get(KEY) or b"{}"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def factory():
    """For granian's `factory=True`, as Reflex starts its app."""
    return app
