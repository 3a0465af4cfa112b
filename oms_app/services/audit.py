"""The audit log: every admin or API key action on the catalogue, users and keys.

Services call `record` inside the transaction that makes the change, so an entry exists exactly
when its change does: a change that rolls back takes its entry with it. The request id and
client address come from the request context (`core.logging.bind_request`), bound once for
every REST request and every UI event, so no caller passes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.logging import client_address, request_id
from oms_app.models.audit import AuditEntry, AuditEntryPublic, AuditFilters
from oms_app.models.common import Page, PageParams
from oms_app.services.permissions import Actor, ref, require_admin

# Shown instead of the values of fields no log may hold.
HIDDEN = "(hidden)"
CHANGED = "(changed)"
_SECRET_FIELDS = frozenset({"password", "hashed_password", "secret", "secret_hash"})


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | str | None,
    changes: Mapping[str, tuple[Any, Any] | list[Any]] | None = None,
) -> AuditEntry:
    """Write one entry in `session`'s transaction. `changes` maps each changed field to its
    (before, after); secret fields are recorded as changed, never with their values."""
    who = ref(actor)
    entry = AuditEntry(
        actor_kind=who.kind,
        actor_id=who.id,
        actor_name=who.name[:255],
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        changes={field: _pair(field, pair) for field, pair in (changes or {}).items()},
        request_id=request_id.get(),
        client_address=client_address.get(),
    )
    session.add(entry)
    return entry


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """(before, after) of the fields whose values differ, in `after`'s order."""
    return {
        field: (before.get(field), value)
        for field, value in after.items()
        if before.get(field) != value
    }


def created(after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every field set on a new thing, as changed from nothing."""
    return {field: (None, value) for field, value in after.items() if value is not None}


def removed(before: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every field of a thing deleted, as changed to nothing."""
    return {field: (value, None) for field, value in before.items() if value is not None}


def snapshot(thing: object, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(thing, field) for field in fields}


def _pair(field: str, pair: tuple[Any, Any] | list[Any]) -> list[Any]:
    before, after = pair
    if field in _SECRET_FIELDS:
        return [None if before is None else HIDDEN, CHANGED]
    return [_plain(before), _plain(after)]


def _plain(value: Any) -> Any:
    """A value as JSON holds it: money as a string of its exact amount (two decimals, as the
    database holds it), times in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# --- reading --------------------------------------------------------------------------------


def list_entries(
    actor: Actor, params: PageParams, filters: AuditFilters | None = None
) -> Page[AuditEntryPublic]:
    """The log, newest first, narrowed by `filters`. Admins only (their own login)."""
    require_admin(actor)
    where = _conditions(filters or AuditFilters())
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(AuditEntry).where(*where)).one()
        rows = session.exec(
            select(AuditEntry)
            .where(*where)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return Page.of([AuditEntryPublic.of(row) for row in rows], total, params)


def _conditions(filters: AuditFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.actor_id is not None:
        where.append(AuditEntry.actor_id == filters.actor_id)
    if filters.actor_kind is not None:
        where.append(AuditEntry.actor_kind == filters.actor_kind)
    if filters.action is not None:
        where.append(AuditEntry.action == filters.action)
    if filters.entity_type is not None:
        where.append(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        where.append(AuditEntry.entity_id == filters.entity_id)
    if filters.created_from is not None:
        where.append(AuditEntry.created_at >= _start_of(filters.created_from))
    if filters.created_to is not None and filters.created_to < date.max:
        where.append(AuditEntry.created_at < _start_of(filters.created_to + timedelta(days=1)))
    return where


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
