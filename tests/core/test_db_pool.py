"""The pool's ping after idleness (core/db.py), against the real PostgreSQL of the suite."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from oms_app.core import db
from oms_app.core.config import get_settings


@pytest.fixture
def engine(database) -> Iterator[Engine]:
    """An engine of its own, so killing its connections touches no other test's."""
    engine = db.make_engine(get_settings().database_url)
    yield engine
    engine.dispose()


def _kill_the_pooled_connection(engine: Engine) -> None:
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.get_engine().connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
    time.sleep(0.1)  # the backend is gone; the pool still holds its connection


def test_a_connection_lost_while_idle_in_the_pool_is_replaced_unseen(monkeypatch, engine):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.05)
    _kill_the_pooled_connection(engine)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_a_connection_back_in_the_pool_a_moment_ago_is_not_pinged(monkeypatch, engine):
    # Inside the window nothing is pinged: a loss shows on first use, once, and the pool then
    # discards what it holds, so the next checkout works again.
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600)
    _kill_the_pooled_connection(engine)

    with pytest.raises(DBAPIError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
