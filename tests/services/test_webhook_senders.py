"""Webhook senders sharing one outbox: no double delivery, nothing lost when one dies."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select, update
from standardwebhooks.webhooks import Webhook

from oms_app.core.db import make_engine, session_scope
from oms_app.models.webhook import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookSubscription,
)
from oms_app.services import webhook_claims, webhook_http, webhook_outbox
from oms_app.services.webhooks import new_secret
from tests.webhook_receiver import Answer, eventually, receiving, running_sender


def endpoint(url: str) -> tuple[int, str]:
    with session_scope() as session:
        hook = WebhookEndpoint(url=url, secret=new_secret())
        session.add(hook)
        session.flush()
        session.add(WebhookSubscription(endpoint_id=hook.id, event_type="order.created"))
        return hook.id, hook.secret


def enqueue(count: int) -> list[str]:
    with session_scope() as session:
        return [
            webhook_outbox.enqueue(session, EventType.ORDER_CREATED, {"n": n}) for n in range(count)
        ]


def statuses() -> collections.Counter[str]:
    with session_scope() as session:
        rows = session.execute(
            select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
        ).all()
    return collections.Counter(dict(rows))


def test_the_retry_schedule() -> None:
    expected = [5, 300, 1800, 7200, 18000, 36000, 86400]
    for attempts, base in enumerate(expected, start=1):
        delays = {webhook_claims.retry_delay(attempts) for _ in range(20)}
        assert all(base * 0.9 <= d <= base * 1.1 for d in delays)
        assert len(delays) > 1  # jittered
    assert webhook_claims.retry_delay(len(expected) + 1) is None


def test_the_signature_is_what_standard_webhooks_expects() -> None:
    secret = new_secret()
    header = webhook_http.sign(secret, "msg_1", 1_700_000_000, '{"a":1}')
    from datetime import UTC, datetime

    expected = Webhook(secret).sign("msg_1", datetime.fromtimestamp(1_700_000_000, UTC), '{"a":1}')
    assert header == expected


def test_two_senders_deliver_a_thousand_events_exactly_once(database: str) -> None:
    with receiving() as receiver:
        hook_id, secret = endpoint(receiver.url)
        sent = enqueue(1000)
        first_engine, second_engine = make_engine(database), make_engine(database)
        try:
            with (
                running_sender(engine=first_engine, webhook_concurrency=8),
                running_sender(engine=second_engine, webhook_concurrency=8),
            ):
                receiver.wait_for(1000, timeout=120)
                eventually(lambda: statuses() == {"succeeded": 1000}, timeout=60)
        finally:
            first_engine.dispose()
            second_engine.dispose()
        received = list(receiver.received)
    counts = collections.Counter(r.id for r in received)
    assert len(received) == 1000
    assert set(counts) == set(sent)
    assert max(counts.values()) == 1
    received[0].verify(secret)
    with session_scope() as session:
        attempts = session.execute(select(func.count()).select_from(WebhookAttempt)).scalar_one()
    assert attempts == 1000
    assert hook_id


def test_a_killed_sender_s_claim_is_sent_later_by_another(database: str) -> None:
    hold = threading.Event()
    with receiving() as receiver:
        receiver.script.append(Answer(hold=hold))
        hook_id, secret = endpoint(receiver.url)
        (event_id,) = enqueue(1)
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
            "WEBHOOK_TIMEOUT_SECONDS": "5",
            "WEBHOOK_LEASE_SECONDS": "6",
            "WEBHOOK_POLL_SECONDS": "0.2",
        }
        code = (
            "import asyncio\n"
            "from oms_app.services.webhook_sender import Sender\n"
            "asyncio.run(Sender().run())\n"
        )
        worker = subprocess.Popen([sys.executable, "-c", code], env=env)
        try:
            (first,) = receiver.wait_for(1, timeout=60)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        hold.set()
        # Claimed by the dead worker: pending, and not due before its lease runs out.
        assert statuses() == {"pending": 1}
        with running_sender():
            _, second = receiver.wait_for(2, timeout=30)
            eventually(lambda: statuses() == {"succeeded": 1})
    assert first.id == second.id == event_id
    second.verify(secret)
    with session_scope() as session:
        attempts = session.execute(select(WebhookAttempt)).scalars().all()
    assert [a.response_status for a in attempts] == [200]
    assert hook_id


def test_a_sender_whose_lease_was_taken_over_records_nothing(database: str) -> None:
    hook_id, _ = endpoint("http://127.0.0.1:9/hook")
    enqueue(1)
    engine = make_engine(database)
    try:
        (claimed,) = webhook_claims.claim_due(engine, 10, 30)
        assert webhook_claims.claim_due(engine, 10, 30) == []  # leased: nobody else takes it
        with session_scope() as session:  # as if the lease ran out and another sender took it
            session.execute(update(WebhookDelivery).values(claim_token="someone-else"))
        outcome = webhook_claims.Outcome(200, 5)
        assert webhook_claims.record(engine, claimed, outcome) is None
    finally:
        engine.dispose()
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(WebhookAttempt)).scalar_one() == 0
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.claim_token == "someone-else"
    assert hook_id


@pytest.mark.parametrize("attempts", [7, 3])
def test_the_last_retryable_failure_fails_the_delivery(database: str, attempts: int) -> None:
    endpoint("http://127.0.0.1:9/hook")
    enqueue(1)
    with session_scope() as session:
        session.execute(update(WebhookDelivery).values(attempt_count=attempts))
    engine = make_engine(database)
    try:
        (claimed,) = webhook_claims.claim_due(engine, 10, 30)
        outcome = webhook_claims.Outcome(503, 5, retryable=True)
        status = webhook_claims.record(engine, claimed, outcome)
    finally:
        engine.dispose()
    assert status == (DeliveryStatus.FAILED if attempts == 7 else DeliveryStatus.PENDING)
