"""Webhook endpoints: who may manage them, and every change to them.

Each change (create, delete, enable again, rotate the secret, retry a delivery) is one function
here, which checks the actor first: whatever route or page asks, the rule is the same.
"""

from __future__ import annotations

import base64
import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.webhook import (
    AttemptPublic,
    DeliveryPublic,
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookCreate,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookPublic,
    WebhookSubscription,
    WebhookWithSecret,
)
from oms_app.services import audit, webhook_claims, webhook_outbox, webhook_targets
from oms_app.services.permissions import Actor, require

# After a rotation the old secret keeps signing this long, so receivers can switch at leisure.
ROTATION_OVERLAP = timedelta(hours=24)
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _require_manager(actor: Actor) -> None:
    require(actor, Scope.WEBHOOKS_MANAGE)


# --- reading -------------------------------------------------------------------------------


def _events_of(session: Session, ids: list[int]) -> dict[int, list[EventType]]:
    events: dict[int, list[EventType]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(WebhookSubscription.endpoint_id, WebhookSubscription.event_type).where(
                WebhookSubscription.endpoint_id.in_(ids)
            )
        )
        for endpoint_id, event_type in rows:
            events[endpoint_id].append(EventType(event_type))
    order = list(EventType)
    return {k: sorted(v, key=order.index) for k, v in events.items()}


def _public(endpoint: WebhookEndpoint, events: list[EventType]) -> WebhookPublic:
    return WebhookPublic(
        id=endpoint.id,
        url=endpoint.url,
        events=events,
        active=endpoint.active,
        disabled_reason=endpoint.disabled_reason,
        created_at=endpoint.created_at,
    )


def _load(session: Session, endpoint_id: int, lock: bool = False) -> WebhookEndpoint:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if lock:
        statement = statement.with_for_update()
    endpoint = session.exec(statement).first()
    if endpoint is None:
        raise NotFound("Webhook not found")
    return endpoint


def list_webhooks(actor: Actor, params: PageParams) -> Page[WebhookPublic]:
    _require_manager(actor)
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(WebhookEndpoint)).one()
        rows = session.exec(
            select(WebhookEndpoint)
            .order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        events = _events_of(session, [row.id for row in rows])
        data = [_public(row, events.get(row.id, [])) for row in rows]
    return Page.of(data, total, params)


def get_webhook(actor: Actor, endpoint_id: int) -> WebhookPublic:
    _require_manager(actor)
    with session_scope() as session:
        endpoint = _load(session, endpoint_id)
        return _public(endpoint, _events_of(session, [endpoint_id]).get(endpoint_id, []))


def list_deliveries(actor: Actor, endpoint_id: int, params: PageParams) -> Page[DeliveryPublic]:
    """One endpoint's deliveries, newest first, each with every attempt (oldest first)."""
    _require_manager(actor)
    with session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":
            # The deliveries and their attempts are read by separate statements; one snapshot
            # for all of them, or a sender's commit between the two shows an attempt beside the
            # delivery as it was before that attempt (still leased, not yet rescheduled).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        _load(session, endpoint_id)
        where = WebhookDelivery.endpoint_id == endpoint_id
        total = session.exec(select(func.count()).select_from(WebhookDelivery).where(where)).one()
        rows = session.exec(
            select(WebhookDelivery, WebhookEvent.type)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(where)
            .order_by(WebhookDelivery.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        data = _deliveries_public(session, rows)
    return Page.of(data, total, params)


def _deliveries_public(
    session: Session, rows: Sequence[tuple[WebhookDelivery, str]]
) -> list[DeliveryPublic]:
    attempts: dict[int, list[AttemptPublic]] = defaultdict(list)
    ids = [delivery.id for delivery, _ in rows]
    if ids:
        for attempt in session.exec(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(ids))
            .order_by(WebhookAttempt.id)
        ):
            attempts[attempt.delivery_id].append(AttemptPublic.model_validate(attempt))
    return [
        DeliveryPublic(
            id=delivery.id,
            event_id=delivery.event_id,
            type=EventType(event_type),
            status=DeliveryStatus(delivery.status),
            created_at=delivery.created_at,
            next_attempt_at=(
                delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None
            ),
            attempts=attempts.get(delivery.id, []),
        )
        for delivery, event_type in rows
    ]


# --- changing ------------------------------------------------------------------------------


def create_webhook(actor: Actor, data: WebhookCreate) -> WebhookWithSecret:
    """A new endpoint; the answer carries its secret, which is never shown again."""
    _require_manager(actor)
    webhook_targets.check(data.url)
    with session_scope() as session:
        endpoint = WebhookEndpoint(url=data.url, secret=new_secret())
        session.add(endpoint)
        session.flush()
        session.add_all(
            WebhookSubscription(endpoint_id=endpoint.id, event_type=event_type.value)
            for event_type in data.events
        )
        session.flush()
        events = [event_type.value for event_type in data.events]
        audit.record(
            session,
            actor,
            "webhook.create",
            "webhook",
            endpoint.id,
            {
                "url": (None, endpoint.url),
                "events": (None, events),
                "secret": (None, endpoint.secret),
            },
        )
        public = _public(endpoint, list(data.events))
        return WebhookWithSecret(**public.model_dump(), secret=endpoint.secret)


def delete_webhook(actor: Actor, endpoint_id: int) -> None:
    """The endpoint goes, with its subscriptions and deliveries; nothing more is sent to it."""
    _require_manager(actor)
    with session_scope() as session:
        # Locked first: a sender recording an attempt for it finishes, or finds it gone.
        endpoint = _load(session, endpoint_id, lock=True)
        audit.record(
            session, actor, "webhook.delete", "webhook", endpoint_id, {"url": (endpoint.url, None)}
        )
        session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))


def enable_webhook(actor: Actor, endpoint_id: int) -> WebhookPublic:
    """Send to a disabled endpoint again (one the receiver said was gone, say): events from now
    on are delivered to it. Deliveries that failed while it was disabled stay failed (each can
    be retried), and events that happened meanwhile were never queued for it. Its URL is
    checked again as at creation, since the rules or its address may have changed. Enabling
    an endpoint that is already active changes nothing."""
    _require_manager(actor)
    with session_scope() as session:
        url = _load(session, endpoint_id).url
    webhook_targets.check(url)  # resolves the host: not while holding the row's lock
    with session_scope() as session:
        endpoint = _load(session, endpoint_id, lock=True)
        if not endpoint.active:
            changes: dict[str, tuple[object, object]] = {"active": (False, True)}
            if endpoint.disabled_reason is not None:
                changes["disabled_reason"] = (endpoint.disabled_reason, None)
            audit.record(session, actor, "webhook.enable", "webhook", endpoint_id, changes)
            # The reason goes with the state it explained: a later disabling writes its own.
            endpoint.active, endpoint.disabled_reason = True, None
            session.flush()
        return _public(endpoint, _events_of(session, [endpoint_id]).get(endpoint_id, []))


def rotate_secret(actor: Actor, endpoint_id: int) -> WebhookWithSecret:
    """A new secret, shown once; the old one keeps signing beside it for ROTATION_OVERLAP."""
    _require_manager(actor)
    with session_scope() as session:
        endpoint = _load(session, endpoint_id, lock=True)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = utcnow() + ROTATION_OVERLAP
        endpoint.secret = new_secret()
        session.flush()
        audit.record(
            session,
            actor,
            "webhook.rotate_secret",
            "webhook",
            endpoint_id,
            {"secret": (endpoint.previous_secret, endpoint.secret)},
        )
        public = _public(endpoint, _events_of(session, [endpoint_id]).get(endpoint_id, []))
        return WebhookWithSecret(**public.model_dump(), secret=endpoint.secret)


def retry_delivery(actor: Actor, endpoint_id: int, delivery_id: int) -> DeliveryPublic:
    """Send a delivery again now: a failed or succeeded one once more (receivers deduplicate
    by webhook-id), a pending one without waiting for its next scheduled attempt."""
    _require_manager(actor)
    with session_scope() as session:
        endpoint = _load(session, endpoint_id)
        delivery = session.exec(
            select(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id)
            .with_for_update()
        ).first()
        if delivery is None:
            raise NotFound("Delivery not found")
        if not endpoint.active:
            raise Conflict("This webhook is disabled; enable it to send to it again")
        if delivery.status == DeliveryStatus.PENDING:
            leased = webhook_claims.aware(delivery.next_attempt_at) > utcnow()
            if delivery.claim_token is not None and leased:
                raise Conflict("This delivery is being sent right now")
            if delivery.attempt_count == 0:
                raise Conflict("This delivery is already waiting to be sent")
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(status=DeliveryStatus.PENDING, next_attempt_at=utcnow(), claim_token=None)
        )
        audit.record(
            session,
            actor,
            "webhook.retry_delivery",
            "webhook_delivery",
            delivery_id,
            {"status": (DeliveryStatus(delivery.status).value, DeliveryStatus.PENDING.value)},
        )
        webhook_outbox.mark_written(session)
    return _one_delivery(endpoint_id, delivery_id)


def _one_delivery(endpoint_id: int, delivery_id: int) -> DeliveryPublic:
    with session_scope() as session:
        row = session.exec(
            select(WebhookDelivery, WebhookEvent.type)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id)
        ).first()
        if row is None:
            raise NotFound("Delivery not found")
        return _deliveries_public(session, [row])[0]
