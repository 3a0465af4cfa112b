"""A Redis cache that can never make a request fail or stall.

An entry lives at `<prefix>:c:<namespace>:<key>` and is stored behind a tag naming the cache
epoch and its namespace's version when it was computed: `<epoch>:<version>:<value>`. A read is
one MGET of the epoch, the version and the entry, and the entry counts only if its tag names
the epoch and version just read. The prefix (CACHE_PREFIX, by default named after the database)
keeps deployments that share one Redis apart; every other Redis key OMS writes is made by
`Cache.key` for the same reason.

Invalidating a namespace is one INCR of its version, so no request ever needs KEYS or SCAN, and
a reader that raced a writer (read the version, then the database, while the writer committed
and bumped the version) stores its stale result under a tag nobody accepts again. The epoch is
bumped whenever this process regains Redis after losing it, because invalidations it could not
send while Redis was unreachable would otherwise leave stale entries behind.

When Redis is unset, down or slow, every call degrades to a miss (or a no-op) after at most the
configured socket timeout, and the cache stays switched off for a few seconds before trying again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from oms_app.core.config import get_settings

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_SECONDS = 5.0
# Version counters outlive every entry that names them, then disappear on their own.
VERSION_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Slot:
    """Where a value computed on a miss goes, and the tag it must carry to be read back."""

    key: str
    tag: bytes  # b"<epoch>:<version>:", as read before the value was computed


class Cache:
    def __init__(
        self, url: str | None, timeout: float, ttl: int, prefix: str | None = None
    ) -> None:
        self.ttl = ttl
        self.prefix = prefix if prefix is not None else get_settings().redis_prefix
        self.epoch_key = self.key("epoch")
        self._client: redis.Redis | None = None
        self._commands: _Connections | None = None
        if url:
            self._client = redis.Redis.from_url(
                url,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=0,
            )
            self._commands = _Connections(self._client.connection_pool)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._lost_contact = False

    @property
    def enabled(self) -> bool:
        return self._client is not None

    def key(self, *parts: str) -> str:
        """A Redis key in this deployment's namespace."""
        return ":".join((self.prefix, *parts))

    def _available(self) -> redis.Redis | None:
        if self._client is None or time.monotonic() < self._down_until:
            return None
        if self._lost_contact:
            with self._lock:
                if self._lost_contact:
                    try:
                        self._client.incr(self.epoch_key)
                    except redis.RedisError:
                        self._mark_down()
                        return None
                    self._lost_contact = False
                    log.info("Redis reachable again; cache epoch advanced")
        return self._client

    def _mark_down(self, exc: Exception | None = None) -> None:
        if not self._lost_contact:
            log.warning("Redis unavailable, serving from the database: %s", exc)
        self._lost_contact = True
        self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS

    def get(self, namespace: str, key: str) -> tuple[Slot | None, bytes | None]:
        """Return (slot, value). Pass the slot to `put` to store a value computed on a miss.

        One plain MGET: a Lua script doing the same three reads inside Redis took twice as
        long, with the event loop blocked on the socket meanwhile (cache.get runs on it)."""
        commands = self._commands_available()
        if commands is None:
            return None, None
        entry = self.key("c", namespace, key)
        try:
            ((epoch, version, stored),) = commands.run(
                ("MGET", self.epoch_key, self.key("v", namespace), entry)
            )
        except redis.RedisError as exc:
            self._mark_down(exc)
            return None, None
        tag = b"%s:%s:" % (epoch or b"0", version or b"0")
        if stored is not None and stored.startswith(tag):
            return Slot(entry, tag), stored[len(tag) :]
        return Slot(entry, tag), None

    def _commands_available(self) -> _Connections | None:
        return None if self._available() is None else self._commands

    def put(self, slot: Slot | None, value: bytes, ttl: int | None = None) -> None:
        commands = self._commands_available()
        if commands is None or slot is None:
            return
        try:
            commands.run(("SET", slot.key, slot.tag + value, "EX", ttl or self.ttl))
        except redis.RedisError as exc:
            self._mark_down(exc)

    def cached(self, namespace: str, key: str, build: Callable[[], bytes]) -> bytes:
        """The cached value, or `build()`'s, stored for the next reader."""
        slot, value = self.get(namespace, key)
        if value is None:
            value = build()
            self.put(slot, value)
        return value

    def invalidate(self, *namespaces: str) -> None:
        commands = self._commands_available()
        if commands is None:
            if self._client is not None:
                self._lost_contact = True
            return
        versions = [self.key("v", namespace) for namespace in namespaces]
        try:
            commands.run(
                *(("INCR", version) for version in versions),
                *(("EXPIRE", version, VERSION_TTL_SECONDS) for version in versions),
            )
        except redis.RedisError as exc:
            self._mark_down(exc)

    def ping(self) -> bool | None:
        """True when Redis answers, False when it does not, None when no cache is configured."""
        if self._client is None:
            return None
        try:
            return bool(self._client.ping())
        except redis.RedisError:
            return False

    @property
    def client(self) -> redis.Redis | None:
        """The raw client, for other Redis-backed features that share the connection pool."""
        return self._available()


class _Connections:
    """The connections the cache's own commands (its reads, stores and invalidations) run on.

    Every cached answer and every login check is one of these reads, most of them on the event
    loop, and every order one invalidation. Through redis-py's pooled client a read cost twice
    the CPU: each checkout probes the connection with a non-blocking recv (one more syscall per
    command), and retry, metrics and response-callback layers wrap every command (see round
    four in docs/benchmarks.md). Here a command takes an idle connection (or makes one), sends
    its commands in one write and reads their replies. A connection is dropped after any error,
    so a reply that came too late is never read as the next command's, and none made before a
    fork is used after it: the parent's sockets are never shared.
    """

    def __init__(self, pool: redis.ConnectionPool) -> None:
        self._pool = pool
        self._idle: list[redis.Connection] = []  # append and pop are atomic: no lock needed
        self._pid = os.getpid()

    def run(self, *commands: tuple[object, ...]) -> list:
        if self._pid != os.getpid():
            self._idle, self._pid = [], os.getpid()
        try:
            connection = self._idle.pop()
        except IndexError:
            connection = self._pool.connection_class(**self._pool.connection_kwargs)
        try:
            connection.send_packed_command(connection.pack_commands(commands), check_health=False)
            replies = [connection.read_response() for _ in commands]
        except BaseException:
            connection.disconnect()
            raise
        self._idle.append(connection)
        return replies


@lru_cache
def get_cache() -> Cache:
    settings = get_settings()
    return Cache(
        settings.redis_url,
        settings.redis_timeout_seconds,
        settings.cache_ttl_seconds,
        settings.redis_prefix,
    )
