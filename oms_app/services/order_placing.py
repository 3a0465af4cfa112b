"""Placing an order: whose it is, idempotent retries, and which way it is written.

The usual order, one product for oneself with no webhook waiting for order events, is one
statement on a connection of its own (see `order_writes`); anything more (a cart, a key's
customer to lock, webhook events to write with the order) one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.order import Order, OrderCreate, OrderItem, OrderPublic
from oms_app.models.user import User
from oms_app.services import live, order_totals, products, webhook_outbox
from oms_app.services.order_views import customer_of, public, shape
from oms_app.services.order_writes import (
    EventsWanted,
    InsufficientStock,
    NewOrder,
    write_order,
    writes_in_one_statement,
)
from oms_app.services.permissions import Actor, is_key, ref, require, require_person


@dataclass(frozen=True)
class PlacedOrder:
    order: OrderPublic
    created: bool  # False when an Idempotency-Key replayed an earlier order


def place_order(actor: Actor, data: OrderCreate, idempotency_key: str | None = None) -> PlacedOrder:
    """Turn a cart into one order: every line gets its stock, or nothing happens at all.
    A person orders for themselves; an API key with orders:write for `data.customer_id`."""
    customer_id = _customer_id(actor, data)
    who = ref(actor)
    wanted: dict[int, int] = defaultdict(int)
    for line in data.lines:
        wanted[line.product_id] += line.quantity
    fingerprint = _fingerprint(wanted, data)

    if idempotency_key is not None:
        replay = _replay(customer_id, idempotency_key, fingerprint)
        if replay is not None:
            return replay
    new = NewOrder(customer_id, who, wanted, data, idempotency_key, fingerprint)
    try:
        order, items, customer = _place(actor, new)
    except (IntegrityError, InsufficientStock):
        # A retry of an order still being placed waits for it on the product's row lock, then
        # finds either its Idempotency-Key taken or the stock it took gone: both mean "replay".
        if idempotency_key is None:
            raise
        replay = _replay(customer_id, idempotency_key, fingerprint)
        if replay is None:
            raise
        return replay
    placed = public(order, items, customer=customer_of(customer))
    products.invalidate(wanted, also=[order_totals.NAMESPACE])
    announce(placed, created=True)
    return PlacedOrder(placed, created=True)


def _place(actor: Actor, new: NewOrder) -> tuple[Order, list[OrderItem], User]:
    """Write the order; the rows written and the customer.

    The usual order, one product for oneself with no webhook waiting for order events, is
    written by one statement (`order_writes._PLACE_ORDER`, which also checks for such
    webhooks), so it runs as its own transaction: PostgreSQL commits it as it finishes, and
    the product's row lock is released without this thread having to get back to the (busy)
    interpreter to send a COMMIT. Anything more (a cart, a key's customer to lock, events to
    write) takes an explicit transaction around its statements.
    """
    if len(new.wanted) == 1 and not is_key(actor) and writes_in_one_statement():
        try:
            with session_scope(autocommit=True) as session:
                order, items, _ = write_order(session, new, alone=True)
            return order, items, require_person(actor)
        except EventsWanted:
            pass  # written below, with its events, in one transaction
    with session_scope() as session:
        customer = _lock_customer(session, new.user_id) if is_key(actor) else actor
        # Which webhook events anyone wants, read before any product row is locked.
        webhook_outbox.subscribed(session)
        # Stock first, then the order's rows. A line's foreign key key-share-locks its
        # product: written before the stock UPDATE, every concurrent order on a hot product
        # would add itself to the row's lockers (a MultiXact rewritten by each of them)
        # before updating it. Written after it, the row is already ours.
        order, items, left = write_order(session, new)
        webhook_outbox.order_created(session, order, items, customer, new.who)
        webhook_outbox.stock_taken(session, left)
    return order, items, customer


def _customer_id(actor: Actor, data: OrderCreate) -> int:
    if not is_key(actor):
        person = require_person(actor)
        if data.customer_id is not None and data.customer_id != person.id:
            raise Forbidden("You can only place orders for yourself")
        return person.id
    require(actor, Scope.ORDERS_WRITE)
    if data.customer_id is None:
        raise InvalidInput("customer_id is required when an API key places an order")
    return data.customer_id


def _lock_customer(session: Session, customer_id: int) -> User:
    """The customer a key orders for, share-locked so the account cannot go before the order
    that names it is written."""
    customer = session.exec(
        select(User).where(User.id == customer_id).with_for_update(key_share=True)
    ).first()
    if customer is None:
        raise NotFound("Customer not found")
    return customer


def _fingerprint(wanted: dict[int, int], data: OrderCreate) -> str:
    """What a retry with the same Idempotency-Key must repeat: the lines and the address."""
    request: list = sorted(wanted.items())
    if data.shipping_address is not None:
        # Appended only when present, so keys stored before addresses existed still match.
        request.append(data.shipping_address.model_dump())
    return hashlib.sha256(json.dumps(request).encode()).hexdigest()


def _replay(customer_id: int, key: str, fingerprint: str) -> PlacedOrder | None:
    with session_scope() as session:
        order = session.exec(
            select(Order).where(Order.user_id == customer_id, Order.idempotency_key == key)
        ).first()
        if order is None:
            return None
        if order.request_fingerprint != fingerprint:
            raise Conflict("This Idempotency-Key was already used for a different order")
        return PlacedOrder(shape(session, [order])[0], created=False)


def announce(order: OrderPublic, created: bool = False) -> None:
    live.order_changed(live.OrderChange(order.id, order.user_id, order.status.value, created))
