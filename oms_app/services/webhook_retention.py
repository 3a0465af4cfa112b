"""How long webhook history is kept: WEBHOOK_RETENTION_DAYS after a delivery ended.

Every worker's sender sweeps now and then. A sweep deletes deliveries that succeeded or failed
before the cutoff (their attempts go with them: the foreign key cascades) and the events they
leave unreferenced, then any other events older than the cutoff that no delivery refers to (an
endpoint's deletion leaves its events behind). Pending deliveries are never touched, however
old.

Each step is one short transaction of at most `limit` rows, so a sweep never holds many locks
or one long transaction however much has piled up, and rows another worker's sweep (or an
admin's retry) has locked are skipped rather than waited for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, literal_column
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from oms_app.models.common import utcnow
from oms_app.models.webhook import WebhookDelivery, WebhookEvent

BATCH = 500
# Written out, not bound: the planner picks the partial index `ix_webhook_deliveries_finished`
# only for a predicate it can see matches the index's own.
_FINISHED = WebhookDelivery.status != literal_column("'pending'")
_UNREFERENCED = ~exists().where(WebhookDelivery.event_id == WebhookEvent.id)


@dataclass(frozen=True)
class Swept:
    deliveries: int = 0
    events: int = 0

    def __bool__(self) -> bool:
        return bool(self.deliveries or self.events)

    def __add__(self, other: Swept) -> Swept:
        return Swept(self.deliveries + other.deliveries, self.events + other.events)


def cutoff(retention_days: int, now: datetime | None = None) -> datetime:
    """What ended before this is deleted."""
    return (now or utcnow()) - timedelta(days=retention_days)


def step(engine: Engine, before: datetime, limit: int = BATCH) -> Swept:
    """One bounded step of a sweep: up to `limit` deliveries that ended before `before`, with
    the events only they referred to; once none is left, up to `limit` events older than it
    that nothing refers to (an endpoint's deletion left them). An empty Swept: done."""
    swept = _delete_finished(engine, before, limit)
    if swept:
        return swept
    return Swept(events=_delete_unreferenced_events(engine, before, limit))


def _delete_finished(engine: Engine, before: datetime, limit: int) -> Swept:
    with Session(engine) as session, session.begin():
        rows = session.exec(
            select(WebhookDelivery.id, WebhookDelivery.event_id)
            .where(_FINISHED, WebhookDelivery.next_attempt_at < before)
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return Swept()
        ids, event_ids = [row[0] for row in rows], sorted({row[1] for row in rows})
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids), _FINISHED))
        # Their events, found by key: no scan for unreferenced ones while most are here.
        events = session.execute(
            delete(WebhookEvent).where(WebhookEvent.id.in_(event_ids), _UNREFERENCED)
        ).rowcount
        return Swept(deliveries=len(ids), events=events)


def _delete_unreferenced_events(engine: Engine, before: datetime, limit: int) -> int:
    with Session(engine) as session, session.begin():
        ids = session.exec(
            select(WebhookEvent.id)
            .where(WebhookEvent.created_at < before, _UNREFERENCED)
            .order_by(WebhookEvent.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if ids:
            # Checked again in the delete: deleting an event cascades to its deliveries.
            session.execute(delete(WebhookEvent).where(WebhookEvent.id.in_(ids), _UNREFERENCED))
        return len(ids)
