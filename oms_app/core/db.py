"""The database engine and sessions, shared by the REST API, the Reflex states and the CLI."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

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
    # The pool is sized for FastAPI's thread pool plus Reflex's event handlers in one worker.
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )
    _ping_after_idle(engine)
    return engine


# A connection that sat unused in the pool this long is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "oms_idle_since"


def _ping_after_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, but only for connections that sat idle.

    A PostgreSQL restart (or an idle-connection timeout) kills connections while they sit in
    the pool; the ping finds them and the pool swaps in fresh ones, so no request fails for
    it. A connection handed back a moment ago by a busy worker cannot have been lost unseen
    meanwhile (if the server dies now, the first statement fails and the pool discards every
    connection it holds), and pinging it would cost every request a round trip: at the
    hundreds of orders a second a worker takes, that was one statement in three.
    """

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out another (a new one if need be).
            raise DisconnectionError from exc


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
    round trip after it: only for work whose writes are all one statement (see orders.py)."""
    engine = _autocommit_engine() if autocommit else get_engine()
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
