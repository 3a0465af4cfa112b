"""Text search in SQL, the same way for every list that offers it."""

from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement


def contains(column, term: str) -> ColumnElement[bool]:
    """Case-insensitive substring match in which % and _ are literal characters, as our users
    mean them, not wildcards. On PostgreSQL a pg_trgm index on the column serves it."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
