"""The webhook outbox: events written in the same transaction as the change they report.

The services that change orders and stock call in here with their open session, so an event
and its deliveries commit or roll back together with the change: no change without its event,
no event without its change. The order path stays cheap: which event types anyone subscribes
to is read once per transaction (one small indexed query; an order for one product checks it
inside its own statement, see services/order_writes.py); when nobody subscribes, nothing else is
done at all, and when someone does, an event costs one INSERT for it and one INSERT … SELECT
for its deliveries, however many endpoints subscribe.

After a commit that wrote events, this process's sender is woken at once (senders elsewhere
find them on their next poll).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event, insert, literal, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from oms_app.models.common import utcnow
from oms_app.models.order import Order, OrderEventPublic, OrderItem, OrderStatus
from oms_app.models.product import Product, ProductPublic
from oms_app.models.user import User
from oms_app.models.webhook import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookSubscription,
)
from oms_app.services.order_views import admin_view, customer_of, public
from oms_app.services.permissions import ActorRef
from oms_app.services.stock_levels import LOW_STOCK_THRESHOLD

log = logging.getLogger(__name__)

_SUBSCRIBED = "webhook_subscribed_types"
_WROTE = "webhook_wrote_events"


def new_event_id() -> str:
    return "msg_" + secrets.token_urlsafe(21)


def subscribed(session: Session) -> frozenset[str]:
    """The event types some active endpoint wants, read once per transaction."""
    known = session.info.get(_SUBSCRIBED)
    if known is None:
        rows = session.execute(
            select(WebhookSubscription.event_type)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookSubscription.endpoint_id)
            .where(WebhookEndpoint.active.is_(True))
            .distinct()
        )
        known = frozenset(rows.scalars())
        session.info[_SUBSCRIBED] = known
    return known


def enqueue(session: Session, event_type: EventType, data: dict[str, Any]) -> str:
    """Write one event and a delivery to every active endpoint subscribed to its type."""
    event_id = new_event_id()
    now = utcnow()
    body = json.dumps(
        {"type": event_type.value, "timestamp": now.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    event = insert(WebhookEvent).values(
        id=event_id, type=event_type.value, body=body, created_at=now
    )
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # One round trip: the event is written by a CTE the deliveries' INSERT selects from.
        written = event.returning(WebhookEvent.id).cte("written_event")
        source = select(written.c.id).scalar_subquery()
    else:
        session.execute(event)
        source = literal(event_id)
    subscribers = (
        select(
            source,
            WebhookEndpoint.id,
            literal(DeliveryStatus.PENDING.value),
            literal(now),
            literal(0),
            literal(now),
        )
        .join(WebhookSubscription, WebhookSubscription.endpoint_id == WebhookEndpoint.id)
        .where(
            WebhookSubscription.event_type == event_type.value,
            WebhookEndpoint.active.is_(True),
        )
    )
    deliveries = insert(WebhookDelivery).from_select(
        ["event_id", "endpoint_id", "status", "next_attempt_at", "attempt_count", "created_at"],
        subscribers,
    )
    if postgres:
        deliveries = deliveries.add_cte(written)
    session.execute(deliveries)
    mark_written(session)
    return event_id


def mark_written(session: Session) -> None:
    """Wake this process's sender once the session's transaction commits."""
    session.info[_WROTE] = True


# --- what the services report -------------------------------------------------------------


def order_created(
    session: Session, order: Order, items: Sequence[OrderItem], customer: User, who: ActorRef
) -> None:
    """A new order, shaped from the rows just written (no query: this is the hot path).
    `who` placed it: the customer, or an API key ordering for them."""
    if EventType.ORDER_CREATED not in subscribed(session):
        return
    history = OrderEventPublic(
        from_status=None,
        to_status=OrderStatus.PENDING,
        actor_id=who.user_id,
        actor_key_id=who.key_id,
        actor_name=who.name,
        created_at=order.created_at,
    )
    view = public(order, items, customer=customer_of(customer), events=[history], notes=[])
    enqueue(session, EventType.ORDER_CREATED, {"order": view.model_dump(mode="json")})


def order_status_changed(session: Session, order: Order, previous: OrderStatus) -> None:
    """After an order's status moved (flushed, not committed): status_changed, and cancelled
    for a cancellation, both carrying the order as an admin sees it."""
    wanted = subscribed(session)
    types = [EventType.ORDER_STATUS_CHANGED]
    if order.status == OrderStatus.CANCELLED:
        types.append(EventType.ORDER_CANCELLED)
    types = [t for t in types if t in wanted]
    if not types:
        return
    data = {
        "order": admin_view(session, order).model_dump(mode="json"),
        "previous_status": OrderStatus(previous).value,
    }
    for event_type in types:
        enqueue(session, event_type, data)


def stock_taken(session: Session, left: dict[int, int]) -> None:
    """After an order took stock (`left`: each product's stock now, as the taking statement
    returned it): product.stock_low for each product at or below the low-stock threshold.
    Nothing is read unless a product is low, since the product rows stay locked until the
    commit and every statement here would hold up the next order for them."""
    low = sorted(pid for pid, stock in left.items() if stock <= LOW_STOCK_THRESHOLD)
    if not low or EventType.PRODUCT_STOCK_LOW not in subscribed(session):
        return
    products = session.execute(select(Product).where(Product.id.in_(low)).order_by(Product.id))
    for product in products.scalars():
        data = {"product": ProductPublic.model_validate(product).model_dump(mode="json")}
        enqueue(session, EventType.PRODUCT_STOCK_LOW, data)


# --- waking the sender --------------------------------------------------------------------

_wakers: list[Callable[[], None]] = []


def on_new_events(waker: Callable[[], None]) -> None:
    if waker not in _wakers:
        _wakers.append(waker)


def forget(waker: Callable[[], None]) -> None:
    if waker in _wakers:
        _wakers.remove(waker)


def wake() -> None:
    for waker in list(_wakers):
        try:
            waker()
        except Exception:
            log.exception("waking the webhook sender failed")


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    session.info.pop(_SUBSCRIBED, None)  # read afresh by the next transaction
    if session.info.pop(_WROTE, False):
        wake()


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_SUBSCRIBED, None)
    session.info.pop(_WROTE, None)
