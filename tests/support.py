"""Helpers shared by the test suites: throwaway databases on the real PostgreSQL server."""

from __future__ import annotations

import atexit
import contextlib
import os

import psycopg
from psycopg import sql

PG_SERVER_URL = os.environ.get("OMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER_URL = os.environ.get("OMS_TEST_REDIS", "redis://127.0.0.1:6379")


def fresh_database(name: str) -> str:
    """Drop and re-create a database; return its SQLAlchemy URL."""
    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{PG_SERVER_URL}/{name}"
