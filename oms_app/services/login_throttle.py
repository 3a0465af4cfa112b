"""Slowing down password guessing: per email and per client address.

Failures are counted in a sliding window. Past a threshold every further failure locks the key
for twice as long as the one before (1 s, 2 s, 4 s … up to the window), so a person who mistypes
loses nothing and a guesser is slowed, then refused, with `Retry-After` telling when to come back.
A successful login clears the email's and the address's record.

Counters live in Redis, so the limits hold across workers and instances; without Redis (or while
it is unreachable) each process keeps its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
import time
from dataclasses import dataclass

import redis

from oms_app.core.cache import get_cache
from oms_app.core.errors import TooManyRequests

WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Limit:
    kind: str
    free_failures: int  # failures allowed before any lock


EMAIL = Limit("email", free_failures=5)
# Many people can share one address (offices, mobile carriers): be more lenient per address.
ADDRESS = Limit("address", free_failures=20)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.encode(errors="replace")).hexdigest()[:32]
    return get_cache().key("throttle", limit.kind, digest)


def _lock_seconds(limit: Limit, failures: int) -> int:
    excess = failures - limit.free_failures
    if excess <= 0:
        return 0
    return min(2 ** (excess - 1), WINDOW_SECONDS)


class _LocalStore:
    """The per-process fallback: the same semantics as the Redis store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}
        self._locked_until: dict[str, float] = {}

    def retry_after(self, key: str) -> float:
        with self._lock:
            return max(self._locked_until.get(key, 0.0) - time.monotonic(), 0.0)

    def fail(self, key: str, limit: Limit) -> None:
        now = time.monotonic()
        with self._lock:
            count, since = self._failures.get(key, (0, now))
            if now - since > WINDOW_SECONDS:
                count, since = 0, now
            count += 1
            self._failures[key] = (count, since)
            if seconds := _lock_seconds(limit, count):
                self._locked_until[key] = now + seconds

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
                self._locked_until.pop(key, None)


_local = _LocalStore()


def check(email: str, address: str | None) -> None:
    """Raise TooManyRequests while either the email or the address is locked."""
    wait = max(_retry_after(_key(EMAIL, email)), _retry_after(_key(ADDRESS, address or "")))
    if wait > 0:
        raise TooManyRequests(
            "Too many failed login attempts. Please wait before trying again.",
            retry_after=max(math.ceil(wait), 1),
        )


def record_failure(email: str, address: str | None) -> None:
    _fail(_key(EMAIL, email), EMAIL)
    if address:
        _fail(_key(ADDRESS, address), ADDRESS)


def record_success(email: str, address: str | None) -> None:
    keys = [_key(EMAIL, email)] + ([_key(ADDRESS, address)] if address else [])
    _local.clear(*keys)
    client = get_cache().client
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            client.delete(*keys, *(f"{key}:lock" for key in keys))


def _retry_after(key: str) -> float:
    client = get_cache().client
    if client is not None:
        try:
            remaining_ms = client.pttl(f"{key}:lock")
            return max(remaining_ms, 0) / 1000
        except redis.RedisError:
            pass
    return _local.retry_after(key)


def _fail(key: str, limit: Limit) -> None:
    client = get_cache().client
    if client is not None:
        try:
            with client.pipeline() as pipe:
                pipe.incr(key)
                pipe.expire(key, WINDOW_SECONDS, nx=True)
                failures = pipe.execute()[0]
            if seconds := _lock_seconds(limit, failures):
                client.set(f"{key}:lock", 1, ex=seconds)
            return
        except redis.RedisError:
            pass
    _local.fail(key, limit)
