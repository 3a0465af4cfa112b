"""Orders: placing them against stock, their status machine and their history.

Stock moves only through single conditional UPDATE statements taken in product-id order, so no
two orders can oversell a product or deadlock on one another, and a status change is a
compare-and-set on the order row, so a cancellation (and its restock) happens exactly once however
many people press the button at the same moment.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import false, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.order import (
    Order,
    OrderCreate,
    OrderEvent,
    OrderItem,
    OrderPublic,
    OrderStatus,
)
from oms_app.models.order_filters import MyOrderFilters, OrderFilters
from oms_app.models.product import Product
from oms_app.models.user import User
from oms_app.services import live, order_queries, products
from oms_app.services.order_views import customer_of, public, shape
from oms_app.services.permissions import (
    Actor,
    allows,
    is_key,
    ref,
    require,
    require_person,
    require_self_or_admin,
    screen,
)

NEXT_STATUSES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


def next_statuses(status: OrderStatus | str) -> list[OrderStatus]:
    """The statuses an order may move to from here, in lifecycle order."""
    allowed = NEXT_STATUSES[OrderStatus(status)]
    return [s for s in OrderStatus if s in allowed]


class InsufficientStock(Conflict):
    def __init__(self, product_id: int, name: str, available: int, requested: int) -> None:
        super().__init__(f"Not enough stock for '{name}': {available} left, {requested} requested")
        self.product_id = product_id
        self.available = available


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
    try:
        with session_scope() as session:
            customer = _lock_customer(session, customer_id) if is_key(actor) else actor
            priced = _price_lines(session, wanted)
            order = Order(
                user_id=customer_id,
                total=sum((price * wanted[pid] for pid, (_, price) in priced.items()), Decimal(0)),
                shipping_address=(
                    data.shipping_address.model_dump() if data.shipping_address else None
                ),
                idempotency_key=idempotency_key,
                request_fingerprint=fingerprint if idempotency_key else None,
            )
            session.add(order)
            # Claim the idempotency key before touching stock: a concurrent retry waits here.
            session.flush()
            items = [
                OrderItem(
                    order_id=order.id,
                    product_id=pid,
                    product_name=name,
                    quantity=wanted[pid],
                    unit_price=price,
                )
                for pid, (name, price) in priced.items()
            ]
            event = OrderEvent(
                order_id=order.id,
                to_status=OrderStatus.PENDING,
                actor_id=who.user_id,
                actor_key_id=who.key_id,
            )
            session.add_all([*items, event])
            session.flush()
            # Stock last: each product's row lock is held only from here to the commit, which
            # is what bounds throughput when everyone buys the same product.
            for product_id in sorted(wanted):
                _take_stock(session, product_id, wanted[product_id])
            placed = public(order, items, customer=customer_of(customer))
    except IntegrityError:
        if idempotency_key is None:
            raise
        replay = _replay(customer_id, idempotency_key, fingerprint)
        if replay is None:
            raise
        return replay
    products.invalidate(wanted)
    _announce(placed)
    return PlacedOrder(placed, created=True)


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


def _price_lines(session: Session, wanted: dict[int, int]) -> dict[int, tuple[str, Decimal]]:
    """Name and current price of every live product wanted, in product-id order."""
    rows = session.execute(
        select(Product.id, Product.name, Product.price).where(
            Product.id.in_(wanted), Product.is_deleted == false()
        )
    ).all()
    found = {row.id: (row.name, row.price) for row in rows}
    for product_id in sorted(wanted):
        if product_id not in found:
            raise NotFound(f"Product {product_id} not found")
    return {product_id: found[product_id] for product_id in sorted(wanted)}


def _take_stock(session: Session, product_id: int, quantity: int) -> None:
    taken = session.execute(
        update(Product)
        .where(
            Product.id == product_id,
            Product.is_deleted == false(),
            Product.stock >= quantity,
        )
        .values(stock=Product.stock - quantity, updated_at=utcnow())
    ).rowcount
    if taken:
        return
    product = session.get(Product, product_id)
    if product is None or product.is_deleted:
        raise NotFound(f"Product {product_id} not found")
    raise InsufficientStock(product_id, product.name, product.stock, quantity)


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


def get_order(actor: Actor, order_id: int) -> OrderPublic:
    screen(actor, Scope.ORDERS_READ)
    with session_scope() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        require_self_or_admin(actor, order.user_id, "Order", Scope.ORDERS_READ)
        # Internal notes are for admins (and keys that read orders), never for the customer.
        return shape(session, [order], history=True, notes=allows(actor, Scope.ORDERS_READ))[0]


def list_orders(
    actor: Actor,
    params: PageParams,
    status: OrderStatus | None = None,
    filters: OrderFilters | None = None,
) -> Page[OrderPublic]:
    """Every order (admins), narrowed by `filters` and, as before, by one `status`."""
    require(actor, Scope.ORDERS_READ)
    return _page(params, (filters or OrderFilters()).with_status(status))


def list_my_orders(
    actor: Actor,
    params: PageParams,
    status: OrderStatus | None = None,
    filters: MyOrderFilters | None = None,
) -> Page[OrderPublic]:
    """The actor's own orders, narrowed by status, dates and sort (never by someone else's)."""
    # Rebuilt as the base type: only what /orders/me offers applies (no search, no customer).
    mine = MyOrderFilters.model_validate((filters or MyOrderFilters()).model_dump())
    return _page(params, mine.with_status(status), user_id=require_person(actor).id)


def _page(
    params: PageParams, filters: MyOrderFilters, user_id: int | None = None
) -> Page[OrderPublic]:
    count, rows = order_queries.page_statements(filters, params, user_id)
    with session_scope() as session:
        total = session.exec(count).one()
        return Page.of(shape(session, session.exec(rows).all()), total, params)


def change_status(actor: Actor, order_id: int, new_status: OrderStatus) -> OrderPublic:
    """Move an order along its life. Owners may only cancel; admins (and keys with
    orders:write) may make any legal move."""
    new_status = OrderStatus(new_status)
    # Before any lookup: a shopper must not learn from 403 versus 404 which order ids exist.
    screen(actor, Scope.ORDERS_WRITE)
    if not allows(actor, Scope.ORDERS_WRITE) and new_status != OrderStatus.CANCELLED:
        raise Forbidden("Only admins can change an order's status")
    with session_scope() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        require_self_or_admin(actor, order.user_id, "Order", Scope.ORDERS_WRITE)
        current = OrderStatus(order.status)
        if new_status not in NEXT_STATUSES[current]:
            raise Conflict(f"Cannot change an order from {current} to {new_status}")
        # Compare-and-set: of two racing changes, exactly one finds the status it expects.
        changed = session.execute(
            update(Order)
            .where(Order.id == order_id, Order.status == current)
            .values(status=new_status, updated_at=utcnow())
        ).rowcount
        if changed == 0:
            session.rollback()
            now = session.get(Order, order_id)
            raise Conflict(
                f"The order was changed meanwhile; it is now {now.status if now else 'gone'}"
            )
        restocked: list[int] = []
        if new_status == OrderStatus.CANCELLED:
            restocked = _restock(session, order_id)
        who = ref(actor)
        session.add(
            OrderEvent(
                order_id=order_id,
                from_status=current,
                to_status=new_status,
                actor_id=who.user_id,
                actor_key_id=who.key_id,
            )
        )
        session.flush()
        session.refresh(order)
        notes = allows(actor, Scope.ORDERS_READ)
        result = shape(session, [order], history=True, notes=notes)[0]
    if restocked:
        products.invalidate(restocked)
    _announce(result)
    return result


def _announce(order: OrderPublic) -> None:
    live.order_changed(live.OrderChange(order.id, order.user_id, order.status.value))


def cancel_order(actor: Actor, order_id: int) -> OrderPublic:
    return change_status(actor, order_id, OrderStatus.CANCELLED)


def _restock(session: Session, order_id: int) -> list[int]:
    lines = session.exec(
        select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.product_id)
    ).all()
    for line in lines:
        session.execute(
            update(Product)
            .where(Product.id == line.product_id)
            .values(stock=Product.stock + line.quantity, updated_at=utcnow())
        )
    return [line.product_id for line in lines]
