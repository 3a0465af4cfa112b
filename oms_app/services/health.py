"""Is the service able to serve? up / degraded (Redis down) / down (database unreachable)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from oms_app.core.cache import get_cache
from oms_app.core.db import get_engine


class Health(BaseModel):
    status: Literal["up", "degraded", "down"]
    database: Literal["up", "down"]
    redis: Literal["up", "down", "disabled"]


def check() -> Health:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "up"
    except SQLAlchemyError:
        database = "down"
    reachable = get_cache().ping()
    redis = "disabled" if reachable is None else ("up" if reachable else "down")
    if database == "down":
        overall = "down"
    elif redis == "down":
        overall = "degraded"
    else:
        overall = "up"
    return Health(status=overall, database=database, redis=redis)
