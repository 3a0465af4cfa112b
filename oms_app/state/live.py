"""Live pages: the server pushes "this changed" to every open page that shows it.

Each topic (services/live.py: one order, one customer's orders, every order) has a `LiveFeed`,
a Reflex shared state holding only a counter. A page links its feed to its topic once the
service has let the viewer read what the topic covers; after every committed change the
services announce, the counter of each topic concerned goes up, Reflex sends the new value to
every linked tab (through Redis to whichever worker or instance holds its websocket), and the
page, seeing the value move, reads its rows again. Nothing polls; an idle page costs nothing.

Moving a feed is a state-manager write (lock, read, write, unlock in Redis), so a topic no page
has ever watched is not moved at all: linking a page notes its topic in Redis first, and a change
moves only the noted ones. Without that, every order placed over REST (say by an integration,
for customers who never open the shop) would cost its customer's feed a write on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import redis
import reflex as rx

from oms_app import reflex_adapter
from oms_app.core.cache import get_cache
from oms_app.services import live

log = logging.getLogger(__name__)

# How long a page's watch is remembered after it last linked its feed. Every reload of the
# page's rows links it again, so only a page left untouched for a week with nothing changing
# in it could miss a push (and it would catch up at its next reload).
WATCH_SECONDS = 7 * 24 * 3600


class LiveFeed(rx.SharedState):
    """Shared by every tab watching one topic. Nothing in it but a count, and no handlers:
    only the server changes it."""

    version: int = 0


class _Watched:
    """Which topics some page has linked its feed to: in Redis, shared by every worker and
    instance; in this process when there is no Redis (then Reflex keeps every tab's state in
    this one process too). When Redis cannot say, every topic counts as watched."""

    def __init__(self) -> None:
        self._here: set[str] = set()

    def _key(self, topic: str) -> str:
        return get_cache().key("live", "watched", topic)

    def note(self, topic: str) -> None:
        cache = get_cache()
        if not cache.enabled:
            self._here.add(topic)
            return
        client = cache.client
        if client is None:
            return  # Redis is away: so are the pushes (they travel through it)
        try:
            client.set(self._key(topic), 1, ex=WATCH_SECONDS)
        except redis.RedisError as exc:
            log.warning("could not note a watched topic: %s", exc)

    def among(self, topics: list[str]) -> list[str]:
        cache = get_cache()
        if not cache.enabled:
            return [topic for topic in topics if topic in self._here]
        client = cache.client
        if client is None:
            return topics
        try:
            found = client.mget([self._key(topic) for topic in topics])
        except redis.RedisError:
            return topics
        return [topic for topic, seen in zip(topics, found, strict=True) if seen is not None]


_watched = _Watched()


async def watch(feed: LiveFeed, topic: str) -> LiveFeed:
    """Link a page's feed to `topic`. Noted before the link, and both before the page reads
    what the topic covers, so a change committed after that read finds the topic watched."""
    _watched.note(topic)
    return await reflex_adapter.link_shared(feed, topic)


async def _bump(topics: list[str]) -> None:
    for topic in topics:
        async with reflex_adapter.modify_shared(LiveFeed, topic) as root:
            feed = await root.get_state(LiveFeed)
            feed.version += 1


class _Bumper:
    """Moves each due topic once per round, however many changes named it meanwhile.

    A change only has to make its pages reload, so ten orders landing while the every-order
    feed is being moved need one more move, not ten: under a burst of orders the event loop
    is not spent rewriting the same shared state (three state-manager writes per order before).
    Changes arrive from the event loop or from worker threads (services run in the thread
    pool); the work always happens on the loop, without the announcer waiting for it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._due: dict[str, None] = {}  # insertion-ordered set
        self._running: asyncio.Task[None] | None = None

    def push(self, change: live.OrderChange) -> None:
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._add(change.topics)
        else:
            self._loop.call_soon_threadsafe(self._add, change.topics)

    def _add(self, topics: list[str]) -> None:
        self._due.update(dict.fromkeys(topics))
        if self._running is None:
            self._running = self._loop.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._due:
                due, self._due = _watched.among(list(self._due)), {}
                # One topic's failure must not keep the others from moving.
                for topic, outcome in zip(
                    due,
                    await asyncio.gather(*(_bump([t]) for t in due), return_exceptions=True),
                    strict=True,
                ):
                    if isinstance(outcome, BaseException):
                        log.error("live push failed for %s", topic, exc_info=outcome)
        finally:
            self._running = None


@contextlib.asynccontextmanager
async def live_push() -> AsyncIterator[None]:
    """Lifespan task: while the app runs, every announced order change reaches its topics."""
    bumper = _Bumper(asyncio.get_running_loop())
    live.subscribe(bumper.push)
    try:
        yield
    finally:
        live.unsubscribe(bumper.push)
