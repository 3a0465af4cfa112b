"""Claiming due webhook deliveries, and recording what came of sending them.

A sender claims due deliveries with `FOR UPDATE SKIP LOCKED` (senders in other workers skip the
rows it is claiming) and stamps each with a lease: `next_attempt_at` moves to the end of the
lease and `claim_token` names this claim. Sending takes at most WEBHOOK_TIMEOUT_SECONDS, which
is shorter than the lease, so no other sender can take the delivery meanwhile. The outcome is
recorded only if the claim is still this sender's; a sender that dies mid-send records nothing,
and its delivery falls due again when the lease runs out.

Plain synchronous database work: the sender runs it on worker threads.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Integer, String, column, insert, update, values
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from oms_app.models.common import utcnow
from oms_app.models.webhook import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

# Waits after the 1st, 2nd, … failed attempt (Standard Webhooks' schedule, ending at a day);
# after the last one the delivery has failed.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 24 * 3600)
JITTER = 0.1  # ± this share of each wait, so retries after an outage do not arrive in a herd
GONE = 410  # the receiver says it is gone: the endpoint is disabled


def retry_delay(attempts: int) -> float | None:
    """Seconds to wait after `attempts` failed attempts, or None when it is time to give up."""
    if attempts > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[attempts - 1]
    return base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter, not secrecy


@dataclass(frozen=True)
class Claimed:
    """A delivery this sender holds for one lease, with all that sending it needs."""

    delivery_id: int
    token: str
    event_id: str
    body: str
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]  # every secret that signs now: the current one first
    active: bool
    attempt_count: int


@dataclass(frozen=True)
class Outcome:
    """What came of one attempt: the receiver's answer, or why there was none."""

    response_status: int | None
    duration_ms: int
    excerpt: str | None = None
    error: str | None = None
    retryable: bool = False

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300


def claim_due(engine: Engine, limit: int, lease_seconds: float) -> list[Claimed]:
    """Claim up to `limit` due deliveries for one lease."""
    with Session(engine) as session, session.begin():
        now = utcnow()
        ids = list(
            session.exec(
                select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
        )
        if not ids:
            return []
        token = secrets.token_hex(8)
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids))
            .values(next_attempt_at=now + timedelta(seconds=lease_seconds), claim_token=token)
        )
        rows = session.exec(
            select(WebhookDelivery, WebhookEvent.body, WebhookEndpoint)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        ).all()
        return [
            Claimed(
                delivery_id=delivery.id,
                token=token,
                event_id=delivery.event_id,
                body=body,
                endpoint_id=endpoint.id,
                url=endpoint.url,
                secrets=_signing_secrets(endpoint, now),
                active=endpoint.active,
                attempt_count=delivery.attempt_count,
            )
            for delivery, body, endpoint in rows
        ]


def aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and aware(expires) > now:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


def record(engine: Engine, claimed: Claimed, outcome: Outcome | None) -> DeliveryStatus | None:
    """Write the attempt and what follows from it, if the claim is still ours. `None` as the
    outcome: the endpoint was disabled meanwhile, so the delivery fails unsent."""
    return record_many(engine, [(claimed, outcome)])[0]


def record_many(
    engine: Engine, results: list[tuple[Claimed, Outcome | None]]
) -> list[DeliveryStatus | None]:
    """`record` for a batch, in one transaction: on PostgreSQL one UPDATE for every delivery
    and one INSERT for every attempt, however large the batch."""
    now = utcnow()
    planned = [
        (claimed, outcome, *_next_step(claimed, outcome, now)) for claimed, outcome in results
    ]
    with Session(engine) as session, session.begin():
        ours = _update_deliveries(session, planned)
        attempts = [
            {
                "delivery_id": claimed.delivery_id,
                "at": now,
                "response_status": outcome.response_status,
                "duration_ms": outcome.duration_ms,
                "response_excerpt": outcome.excerpt,
                "error": outcome.error,
            }
            for claimed, outcome, _, _, _ in planned
            if outcome is not None and claimed.delivery_id in ours
        ]
        if attempts:
            session.execute(insert(WebhookAttempt), attempts)
        gone = {
            claimed.endpoint_id
            for claimed, outcome, _, _, _ in planned
            if outcome is not None
            and outcome.response_status == GONE
            and claimed.delivery_id in ours
        }
        for endpoint_id in sorted(gone):
            _disable(session, endpoint_id, "The receiver answered 410 Gone")
    return [status if claimed.delivery_id in ours else None for claimed, _, status, _, _ in planned]


Planned = tuple[Claimed, "Outcome | None", DeliveryStatus, datetime, int]


def _next_step(
    claimed: Claimed, outcome: Outcome | None, now: datetime
) -> tuple[DeliveryStatus, datetime, int]:
    """The delivery's status after this outcome, when it is next due, and its attempt count."""
    attempts = claimed.attempt_count + (0 if outcome is None else 1)
    delay = None
    if outcome is None:  # the endpoint was disabled meanwhile: fails unsent
        status = DeliveryStatus.FAILED
    elif outcome.succeeded:
        status = DeliveryStatus.SUCCEEDED
    elif outcome.retryable and (delay := retry_delay(attempts)) is not None:
        status = DeliveryStatus.PENDING
    else:
        status = DeliveryStatus.FAILED
    return status, now + timedelta(seconds=delay or 0), attempts


def _update_deliveries(session: Session, planned: list[Planned]) -> set[int]:
    """Set each delivery's next step where the claim is still ours; the ids that were."""
    if not planned:
        return set()
    if session.get_bind().dialect.name != "postgresql":  # SQLite: one statement each
        ours: set[int] = set()
        for claimed, _, status, due, attempts in planned:
            changed = session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == claimed.delivery_id,
                    WebhookDelivery.claim_token == claimed.token,
                )
                .values(
                    status=status, next_attempt_at=due, claim_token=None, attempt_count=attempts
                )
            ).rowcount
            if changed:
                ours.add(claimed.delivery_id)
        return ours
    steps = values(
        column("id", Integer),
        column("token", String),
        column("status", String),
        column("due", DateTime(timezone=True)),
        column("attempts", Integer),
        name="steps",
    ).data(
        [
            (claimed.delivery_id, claimed.token, status.value, due, attempts)
            for claimed, _, status, due, attempts in planned
        ]
    )
    rows = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == steps.c.id, WebhookDelivery.claim_token == steps.c.token)
        .values(
            status=steps.c.status,
            next_attempt_at=steps.c.due,
            claim_token=None,
            attempt_count=steps.c.attempts,
        )
        .returning(WebhookDelivery.id)
    )
    return set(rows.scalars())


def _disable(session: Session, endpoint_id: int, reason: str) -> None:
    """Stop sending to an endpoint: it says it is gone, so what waits for it fails."""
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(active=False, disabled_reason=reason)
    )
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.claim_token.is_(None),
        )
        .values(status=DeliveryStatus.FAILED, next_attempt_at=utcnow())
    )
