"""Helpers shared by the test suites: throwaway databases on the real PostgreSQL server."""

from __future__ import annotations

import atexit
import contextlib
import os

import psycopg
from psycopg import sql

PG_SERVER_URL = os.environ.get("OMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER_URL = os.environ.get("OMS_TEST_REDIS", "redis://127.0.0.1:6379")

# Redis databases the suites own (each is emptied by whoever uses it): the browser suite's server
# 14, its worker servers 13 and 12, the plain `reflex run` test 11. The other suite runs in
# 15, or, split over pytest-xdist workers, gw0 in 15 and gw1, gw2, ... in 10, 9, ... down to 0,
# so no worker empties another's cache while it runs.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _suite_redis_db() -> int:
    number = int(_XDIST_WORKER.removeprefix("gw") or 0)
    if number > 11:
        raise RuntimeError("at most 12 pytest-xdist workers: Redis has no more free databases")
    return 15 if number == 0 else 11 - number


SUITE_REDIS_URL = f"{REDIS_SERVER_URL}/{_suite_redis_db()}"


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def fresh_database(name: str) -> str:
    """Create an empty database for this test process; it is dropped when the process exits.

    The name carries the process id, so test runs side by side never drop each other's data.
    """
    name = f"{name}_{os.getpid()}"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    _admin(drop)
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    atexit.register(_drop_quietly, drop)
    return f"{PG_SERVER_URL}/{name}"


def _drop_quietly(drop: sql.Composable) -> None:
    with contextlib.suppress(psycopg.Error):
        _admin(drop)
