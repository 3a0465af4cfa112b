"""The database engine and sessions, shared by the REST API, the Reflex states and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
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
    # pre_ping survives a PostgreSQL restart or failover without a failed request, for a round
    # trip per checkout. (Pinging only connections idle for a while was tried: then, under
    # load, the first request on each worker after a failover failed with a 503.)
    # The pool is sized for FastAPI's thread pool plus Reflex's event handlers in one worker.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


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
