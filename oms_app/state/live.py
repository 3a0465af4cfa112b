"""Live pages: the server pushes "this changed" to every open page that shows it.

Each topic (services/live.py: one order, one customer's orders, every order) has a `LiveFeed`,
a Reflex shared state holding only a counter. A page links its feed to its topic once the
service has let the viewer read what the topic covers; after every committed change the
services announce, the counter of each topic concerned goes up, Reflex sends the new value to
every linked tab (through Redis to whichever worker or instance holds its websocket), and the
page, seeing the value move, reads its rows again. Nothing polls; an idle page costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import reflex as rx

from oms_app import reflex_adapter
from oms_app.services import live

log = logging.getLogger(__name__)


class LiveFeed(rx.SharedState):
    """Shared by every tab watching one topic. Nothing in it but a count, and no handlers:
    only the server changes it."""

    version: int = 0


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
                due, self._due = list(self._due), {}
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
