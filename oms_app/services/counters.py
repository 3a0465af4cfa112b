"""Windowed counters and timed locks for rate limits (login guessing, reset mail).

They live in Redis under the deployment's prefix, so a limit holds across workers and instances;
without Redis (or while it is unreachable) each process keeps its own, with the same semantics.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass

import redis

from oms_app.core.cache import get_cache

# The per-process fallback forgets finished windows once it holds this many keys.
_LOCAL_PRUNE_AT = 10_000


@dataclass(frozen=True)
class Hit:
    count: int  # events in the current window, this one included
    resets_in: float  # seconds until the window starts afresh


def hit(key: str, window: int) -> Hit:
    """Count one more event under `key`; its window starts with its first event."""
    client = get_cache().client
    if client is not None:
        try:
            with client.pipeline() as pipe:
                pipe.incr(_redis_key(key))
                pipe.expire(_redis_key(key), window, nx=True)
                pipe.pttl(_redis_key(key))
                count, _, remaining_ms = pipe.execute()
            return Hit(count, max(remaining_ms, 0) / 1000)
        except redis.RedisError:
            pass
    return _local.hit(key, window)


def lock(key: str, seconds: int) -> None:
    client = get_cache().client
    if client is not None:
        try:
            client.set(_redis_key(f"{key}:lock"), 1, ex=seconds)
            return
        except redis.RedisError:
            pass
    _local.lock(key, seconds)


def locked_for(key: str) -> float:
    """Seconds until `key`'s lock ends; 0 when it is not locked."""
    client = get_cache().client
    if client is not None:
        try:
            return max(client.pttl(_redis_key(f"{key}:lock")), 0) / 1000
        except redis.RedisError:
            pass
    return _local.locked_for(key)


def clear(*keys: str) -> None:
    """Forget these keys' counts and locks."""
    _local.clear(*keys)
    client = get_cache().client
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            client.delete(*(_redis_key(k) for key in keys for k in (key, f"{key}:lock")))


def _redis_key(key: str) -> str:
    return get_cache().key("rate", key)


class _LocalStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window end)
        self._locked_until: dict[str, float] = {}

    def hit(self, key: str, window: int) -> Hit:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) >= _LOCAL_PRUNE_AT:
                self._prune(now)
            count, ends = self._counts.get(key, (0, now + window))
            if ends <= now:
                count, ends = 0, now + window
            self._counts[key] = (count + 1, ends)
            return Hit(count + 1, ends - now)

    def lock(self, key: str, seconds: int) -> None:
        with self._lock:
            self._locked_until[key] = time.monotonic() + seconds

    def locked_for(self, key: str) -> float:
        with self._lock:
            return max(self._locked_until.get(key, 0.0) - time.monotonic(), 0.0)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)
                self._locked_until.pop(key, None)

    def _prune(self, now: float) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        self._locked_until = {k: v for k, v in self._locked_until.items() if v > now}


_local = _LocalStore()
