"""Webhook retention: finished deliveries (and their attempts), then events nothing refers to,
are deleted WEBHOOK_RETENTION_DAYS after they ended, in bounded steps, by the running sender;
pending deliveries never."""

from __future__ import annotations

import collections
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update

from oms_app.core.config import Settings
from oms_app.core.db import make_engine, session_scope
from oms_app.models.common import utcnow
from oms_app.models.webhook import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from oms_app.services import webhook_retention
from oms_app.services.webhook_retention import Swept
from tests.services.test_webhook_senders import endpoint, enqueue
from tests.webhook_receiver import eventually, running_sender

pytestmark = pytest.mark.usefixtures("database")
DAYS = 30


def _age(event_ids: list[str], status: DeliveryStatus, days: float) -> None:
    """Make these events' deliveries end (or, for pending, fall due) `days` ago, each with an
    attempt, and the events as old."""
    then = utcnow() - timedelta(days=days)
    with session_scope() as session:
        session.execute(
            update(WebhookEvent).where(WebhookEvent.id.in_(event_ids)).values(created_at=then)
        )
        ids = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.event_id.in_(event_ids))
            .values(status=status, next_attempt_at=then, created_at=then, attempt_count=1)
            .returning(WebhookDelivery.id)
        ).scalars()
        session.add_all(
            WebhookAttempt(delivery_id=i, at=then, response_status=200, duration_ms=3) for i in ids
        )


def _left() -> tuple[collections.Counter[str], int, int]:
    with session_scope() as session:
        deliveries = collections.Counter(
            dict(
                session.execute(
                    select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
                ).all()
            )
        )
        attempts = session.execute(select(func.count()).select_from(WebhookAttempt)).scalar_one()
        events = session.execute(select(func.count()).select_from(WebhookEvent)).scalar_one()
    return deliveries, attempts, events


@pytest.fixture
def engine(database: str):
    engine = make_engine(database)
    yield engine
    engine.dispose()


def test_only_what_ended_before_the_cutoff_goes_in_bounded_steps(engine) -> None:
    endpoint("http://127.0.0.1:9/hook")
    _age(enqueue(3), DeliveryStatus.SUCCEEDED, DAYS + 1)
    _age(enqueue(2), DeliveryStatus.FAILED, DAYS + 5)
    _age(enqueue(2), DeliveryStatus.PENDING, DAYS + 5)  # still retrying: never swept
    _age(enqueue(1), DeliveryStatus.SUCCEEDED, DAYS - 1)  # ended within the retention
    before = webhook_retention.cutoff(DAYS)

    steps = []
    while done := webhook_retention.step(engine, before, limit=2):
        steps.append(done)
    # Two deliveries at a time, each with the event only it referred to.
    assert steps == [Swept(2, 2), Swept(2, 2), Swept(1, 1)]
    deliveries, attempts, events = _left()
    assert deliveries == {"pending": 2, "succeeded": 1}
    assert attempts == 3
    assert events == 3
    assert webhook_retention.step(engine, before) == Swept()


def test_an_event_goes_only_once_none_of_its_deliveries_is_left(engine) -> None:
    endpoint("http://127.0.0.1:9/hook")
    endpoint("http://127.0.0.1:10/hook")
    (event_id,) = enqueue(1)  # one delivery to each endpoint
    _age([event_id], DeliveryStatus.SUCCEEDED, DAYS + 1)
    with session_scope() as session:  # one of them was retried recently
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == select(func.min(WebhookDelivery.id)).scalar_subquery())
            .values(next_attempt_at=utcnow())
        )
    before = webhook_retention.cutoff(DAYS)
    assert webhook_retention.step(engine, before) == Swept(deliveries=1, events=0)
    assert webhook_retention.step(engine, before) == Swept()
    assert _left()[2] == 1  # kept for the delivery that is left
    with session_scope() as session:  # which ends, and in time is swept with its event
        session.execute(update(WebhookDelivery).values(next_attempt_at=before))
    assert webhook_retention.step(engine, utcnow()) == Swept(deliveries=1, events=1)


def test_an_old_event_of_a_deleted_endpoint_goes_too(engine) -> None:
    hook_id, _ = endpoint("http://127.0.0.1:9/hook")
    old, recent = enqueue(2)
    _age([old], DeliveryStatus.SUCCEEDED, DAYS + 1)
    with session_scope() as session:
        session.execute(WebhookEndpoint.__table__.delete().where(WebhookEndpoint.id == hook_id))
    assert webhook_retention.step(engine, webhook_retention.cutoff(DAYS)) == Swept(events=1)
    with session_scope() as session:
        assert session.execute(select(WebhookEvent.id)).scalars().all() == [recent]


def test_the_running_sender_sweeps(engine) -> None:
    endpoint("http://127.0.0.1:9/hook")
    _age(enqueue(3), DeliveryStatus.FAILED, 8)
    _age(enqueue(1), DeliveryStatus.SUCCEEDED, 1)
    with running_sender(engine=engine, webhook_retention_days=7):
        eventually(lambda: _left() == ({"succeeded": 1}, 1, 1))


def test_the_retention_is_at_least_a_day() -> None:
    assert Settings().webhook_retention_days == 30
    assert Settings(webhook_retention_days=1).webhook_retention_days == 1
    for bad in (0, -1, "soon"):
        with pytest.raises(ValidationError):
            Settings(webhook_retention_days=bad)
