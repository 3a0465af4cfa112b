"""The pool hands out no connection the server closed, and pings no healthy one (core/db.py),
against the real PostgreSQL of the suite."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from oms_app.core import db
from oms_app.core.config import get_settings


@pytest.fixture
def engine(database) -> Iterator[Engine]:
    """An engine of its own, so killing its connections touches no other test's."""
    engine = db.make_engine(get_settings().database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(monkeypatch, engine) -> list[object]:
    """Every ping the engine's dialect is asked for."""
    seen: list[object] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        seen.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return seen


def _pooled_pids(engine: Engine, count: int) -> list[int]:
    """Check out `count` connections at once, so the pool holds that many afterwards."""
    conns = [engine.connect() for _ in range(count)]
    try:
        return [c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in conns]
    finally:
        for conn in conns:
            conn.close()


def _terminate(pids: list[int]) -> None:
    with db.get_engine().connect() as other:
        other.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(:pids) AS pid"), {"pids": pids}
        )
        other.commit()


def test_connections_killed_in_the_pool_are_replaced_unseen(engine, pings):
    pids = _pooled_pids(engine, 3)
    _terminate(pids)
    time.sleep(0.1)  # the backends are gone; the pool still holds their connections

    # Each checkout finds a dead one first: it is pinged, fails, and a fresh one takes its place.
    for _ in range(3):
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert pings, "the dead connections were never pinged"
    assert set(_pooled_pids(engine, 3)).isdisjoint(pids)


def test_a_healthy_pooled_connection_is_handed_out_without_a_ping(engine, pings):
    _pooled_pids(engine, 2)
    for _ in range(50):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    assert pings == []


@pytest.mark.parametrize("closed_first", [True, False])
def test_a_connection_with_no_usable_socket_counts_as_spoken_to(engine, closed_first):
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if closed_first:
            raw.close()
            assert db._has_input(raw)
        else:
            assert not db._has_input(raw)
