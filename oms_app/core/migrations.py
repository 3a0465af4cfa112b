"""Applying Alembic migrations from inside the app, safely when several workers start at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.config import Config
from sqlalchemy import text

from alembic import command
from oms_app.core.config import PROJECT_ROOT
from oms_app.core.db import get_engine

# An arbitrary constant naming our advisory lock: one process prepares the database at a time.
_STARTUP_LOCK_ID = 5_316_931


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logging"] = False
    return config


@contextmanager
def startup_lock() -> Iterator[None]:
    """Serialise start-up work across workers and machines (PostgreSQL advisory lock)."""
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _STARTUP_LOCK_ID})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _STARTUP_LOCK_ID})
            connection.commit()


def upgrade_to_head() -> None:
    config = alembic_config()
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
