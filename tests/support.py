"""Helpers shared by the test suites: throwaway databases on the real PostgreSQL server."""

from __future__ import annotations

import atexit
import contextlib
import os

import psycopg
from psycopg import sql

PG_SERVER_URL = os.environ.get("OMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER_URL = os.environ.get("OMS_TEST_REDIS", "redis://127.0.0.1:6379")


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
