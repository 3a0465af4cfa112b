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
from collections.abc import AsyncIterator, Coroutine
from typing import Any

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


_pending: set[asyncio.Task[None]] = set()


def _run_on(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, None]) -> None:
    """Run `work` on the app's event loop, from that loop or from a worker thread (services
    run in the thread pool), without waiting for it: the change is committed either way."""
    try:
        on_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop = False
    if on_loop:
        task = loop.create_task(work)
        _pending.add(task)
        task.add_done_callback(_finished)
    else:
        asyncio.run_coroutine_threadsafe(work, loop).add_done_callback(_finished)


def _finished(done: Any) -> None:
    _pending.discard(done)
    if not done.cancelled() and done.exception() is not None:
        log.error("live push failed", exc_info=done.exception())


@contextlib.asynccontextmanager
async def live_push() -> AsyncIterator[None]:
    """Lifespan task: while the app runs, every announced order change reaches its topics."""
    loop = asyncio.get_running_loop()

    def push(change: live.OrderChange) -> None:
        _run_on(loop, _bump(change.topics))

    live.subscribe(push)
    try:
        yield
    finally:
        live.unsubscribe(push)
