"""The database engine and sessions, shared by the REST API, the Reflex states and the CLI."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from oms_app.core.config import get_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the single writer.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # At most 30 connections per worker, as many as FastAPI's thread pool and Reflex's event
    # handlers use at once under load. 20 of them stay open when returned: with 10, a worker
    # taking 32 concurrent orders closed and reopened a connection every 30 orders (a new
    # PostgreSQL backend each time, and its statements prepared again), 5 % of the CPU.
    engine = create_engine(
        url,
        pool_size=20,
        max_overflow=10,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )
    _ping_when_the_server_spoke(engine)
    return engine


def _ping_when_the_server_spoke(engine: Engine) -> None:
    """Hand out no pooled connection the server has closed, without a round trip per checkout.

    A connection PostgreSQL ends while it sits in the pool (a restart, a failover, an admin's
    pg_terminate_backend, an idle timeout) is sent the reason and closed, so its socket turns
    readable; a healthy idle connection has nothing to read. Only a connection with something
    to read is pinged, and if the ping fails the pool swaps in a fresh one, so no request fails
    for it. SQLAlchemy's pool_pre_ping did the same with a ping on every checkout: one
    statement in three of an order, and 9 % of a worker's samples (docs/benchmarks.md, round
    four). Pinging only connections idle for a while was tried before and dropped: a connection
    killed just after it came back was handed out unpinged, and its request failed.
    """

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if not _has_input(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out another (a new one if need be).
            raise DisconnectionError from exc


def _has_input(dbapi_connection: Any) -> bool:
    """Is there anything to read on this idle connection's socket (or no socket at all)?"""
    try:
        if dbapi_connection.closed:
            return True
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except Exception:  # a connection psycopg already knows to be broken
        return True


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def _autocommit_engine() -> Engine:
    # The same pool; its connections run each statement as its own transaction meanwhile.
    return get_engine().execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def session_scope(autocommit: bool = False) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    With `autocommit`, each statement commits on its own, inside PostgreSQL, with no COMMIT
    round trip after it: only for work whose writes are all one statement (see order_writes.py)."""
    engine = _autocommit_engine() if autocommit else get_engine()
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
