"""Live pushes move only the feeds some page watches (state/live.py).

The pushes themselves, across workers and instances, are shown in a real browser by
tests/e2e/test_live.py and test_workers.py; this is the bookkeeping that decides which feeds move.
"""

from __future__ import annotations

import asyncio

import pytest

from oms_app.core import cache as cache_module
from oms_app.core.cache import Cache
from oms_app.models.user import User
from oms_app.services import live
from oms_app.state import live as live_state


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The topics whose feed the bumper moves (the state-manager write itself is left out:
    no Reflex app runs here)."""
    topics: list[str] = []

    async def record(due: list[str]) -> None:
        topics.extend(due)

    monkeypatch.setattr(live_state, "_bump", record)
    return topics


def _push(*changes: live.OrderChange) -> None:
    async def run() -> None:
        bumper = live_state._Bumper(asyncio.get_running_loop())
        for change in changes:
            bumper.push(change)
        while bumper._running is not None:
            await asyncio.sleep(0)

    asyncio.run(run())


def _customer(user_id: int) -> User:
    return User(id=user_id, name="C", email=f"c{user_id}@example.com", hashed_password="x")


def _use(monkeypatch: pytest.MonkeyPatch, cache: Cache) -> None:
    monkeypatch.setattr(live_state, "get_cache", lambda: cache)


def test_a_new_order_moves_no_feed_while_no_page_watches(moved: list[str]) -> None:
    _push(live.OrderChange(order_id=1, user_id=7, status="pending", created=True))
    assert moved == []


def test_a_change_moves_exactly_the_watched_feeds_it_names(moved: list[str]) -> None:
    live_state._watched.note(live.order_topic(1))
    live_state._watched.note(live.ALL_ORDERS)
    live_state._watched.note(live.order_topic(2))  # watched, but not named by this change

    _push(live.OrderChange(order_id=1, user_id=7, status="shipped"))

    assert sorted(moved) == sorted([live.order_topic(1), live.ALL_ORDERS])


def test_the_watch_is_shared_through_redis_and_expires(moved: list[str]) -> None:
    topic = live.order_topic(5)
    live_state._watched.note(topic)
    client = cache_module.get_cache().client
    assert client is not None
    ttl = client.ttl(live_state._watched._key(topic))
    assert 0 < ttl <= live_state.WATCH_SECONDS
    # Another worker's registry reads the same note.
    assert live_state._Watched().among([topic, live.order_topic(6)]) == [topic]


def test_when_redis_cannot_answer_every_named_feed_moves(
    monkeypatch: pytest.MonkeyPatch, moved: list[str]
) -> None:
    _use(monkeypatch, Cache("redis://127.0.0.1:1/0", 0.25, 300))
    _push(live.OrderChange(order_id=3, user_id=9, status="shipped"))
    assert sorted(moved) == sorted(live.OrderChange(3, 9, "shipped").topics)


def test_without_redis_the_watch_is_kept_in_the_process(
    monkeypatch: pytest.MonkeyPatch, moved: list[str]
) -> None:
    _use(monkeypatch, Cache(None, 0.25, 300))
    monkeypatch.setattr(live_state, "_watched", live_state._Watched())
    live_state._watched.note(live.my_orders_topic(_customer(9)))

    _push(live.OrderChange(order_id=3, user_id=9, status="shipped"))

    assert moved == [live.my_orders_topic(_customer(9))]
