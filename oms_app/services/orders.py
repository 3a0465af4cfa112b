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
from datetime import datetime
from decimal import Decimal

from sqlalchemy import false, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, Forbidden, NotFound
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.order import (
    Order,
    OrderCreate,
    OrderEvent,
    OrderEventPublic,
    OrderItem,
    OrderItemPublic,
    OrderPublic,
    OrderStatus,
)
from oms_app.models.product import Product
from oms_app.models.user import User
from oms_app.services import live, products
from oms_app.services.permissions import require_admin, require_self_or_admin

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


def place_order(actor: User, data: OrderCreate, idempotency_key: str | None = None) -> PlacedOrder:
    """Turn a cart into one order: every line gets its stock, or nothing happens at all."""
    wanted: dict[int, int] = defaultdict(int)
    for line in data.lines:
        wanted[line.product_id] += line.quantity
    fingerprint = hashlib.sha256(json.dumps(sorted(wanted.items())).encode()).hexdigest()

    if idempotency_key is not None:
        replay = _replay(actor, idempotency_key, fingerprint)
        if replay is not None:
            return replay
    try:
        with session_scope() as session:
            priced = _price_lines(session, wanted)
            order = Order(
                user_id=actor.id,
                total=sum((price * wanted[pid] for pid, (_, price) in priced.items()), Decimal(0)),
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
            event = OrderEvent(order_id=order.id, to_status=OrderStatus.PENDING, actor_id=actor.id)
            session.add_all([*items, event])
            session.flush()
            # Stock last: each product's row lock is held only from here to the commit, which
            # is what bounds throughput when everyone buys the same product.
            for product_id in sorted(wanted):
                _take_stock(session, product_id, wanted[product_id])
            placed = _public(order, items, [])
    except IntegrityError:
        if idempotency_key is None:
            raise
        replay = _replay(actor, idempotency_key, fingerprint)
        if replay is None:
            raise
        return replay
    products.invalidate(wanted)
    _announce(placed)
    return PlacedOrder(placed, created=True)


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


def _replay(actor: User, key: str, fingerprint: str) -> PlacedOrder | None:
    with session_scope() as session:
        order = session.exec(
            select(Order).where(Order.user_id == actor.id, Order.idempotency_key == key)
        ).first()
        if order is None:
            return None
        if order.request_fingerprint != fingerprint:
            raise Conflict("This Idempotency-Key was already used for a different order")
        return PlacedOrder(_to_public(session, [order])[0], created=False)


def get_order(actor: User, order_id: int) -> OrderPublic:
    with session_scope() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        require_self_or_admin(actor, order.user_id, "Order")
        return _to_public(session, [order], with_events=True)[0]


def list_orders(
    actor: User, params: PageParams, status: OrderStatus | None = None
) -> Page[OrderPublic]:
    """Every order (admins), optionally of one status."""
    require_admin(actor)
    return _page(params, status=status)


def list_my_orders(
    actor: User, params: PageParams, status: OrderStatus | None = None
) -> Page[OrderPublic]:
    return _page(params, status=status, user_id=actor.id)


def latest_change(user_id: int) -> datetime | None:
    """When any of this user's orders last changed (placed or moved): one indexed aggregate.

    Cheap enough for a page to poll, so the shopper sees an admin's status change live.
    """
    with session_scope() as session:
        return session.exec(
            select(func.max(Order.updated_at)).where(Order.user_id == user_id)
        ).one()


def _page(
    params: PageParams, status: OrderStatus | None = None, user_id: int | None = None
) -> Page[OrderPublic]:
    conditions = []
    if status is not None:
        conditions.append(Order.status == status)
    if user_id is not None:
        conditions.append(Order.user_id == user_id)
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(Order).where(*conditions)).one()
        orders = session.exec(
            select(Order)
            .where(*conditions)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return Page.of(_to_public(session, list(orders)), total, params)


def change_status(actor: User, order_id: int, new_status: OrderStatus) -> OrderPublic:
    """Move an order along its life. Owners may only cancel; admins may make any legal move."""
    new_status = OrderStatus(new_status)
    # Before any lookup: a shopper must not learn from 403 versus 404 which order ids exist.
    if not actor.is_admin and new_status != OrderStatus.CANCELLED:
        raise Forbidden("Only admins can change an order's status")
    with session_scope() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        require_self_or_admin(actor, order.user_id, "Order")
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
        session.add(
            OrderEvent(
                order_id=order_id, from_status=current, to_status=new_status, actor_id=actor.id
            )
        )
        session.flush()
        session.refresh(order)
        result = _to_public(session, [order], with_events=True)[0]
    if restocked:
        products.invalidate(restocked)
    _announce(result)
    return result


def _announce(order: OrderPublic) -> None:
    live.order_changed(live.OrderChange(order.id, order.user_id, order.status.value))


def cancel_order(actor: User, order_id: int) -> OrderPublic:
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


def _to_public(
    session: Session, orders: list[Order], with_events: bool = False
) -> list[OrderPublic]:
    """Shape orders with their lines, loading all lines (and events) in one query each."""
    ids = [o.id for o in orders]
    lines: dict[int, list[OrderItem]] = defaultdict(list)
    events: dict[int, list[OrderEvent]] = defaultdict(list)
    if ids:
        for item in session.exec(
            select(OrderItem).where(OrderItem.order_id.in_(ids)).order_by(OrderItem.id)
        ):
            lines[item.order_id].append(item)
        if with_events:
            for event in session.exec(
                select(OrderEvent).where(OrderEvent.order_id.in_(ids)).order_by(OrderEvent.id)
            ):
                events[event.order_id].append(event)
    return [_public(order, lines[order.id], events[order.id]) for order in orders]


def _public(order: Order, items: list[OrderItem], events: list[OrderEvent]) -> OrderPublic:
    lines = [OrderItemPublic.model_validate(item) for item in items]
    single = lines[0] if len(lines) == 1 else None
    return OrderPublic(
        id=order.id,
        user_id=order.user_id,
        status=OrderStatus(order.status),
        total=order.total,
        items=lines,
        created_at=order.created_at,
        updated_at=order.updated_at,
        # The reference's single-product shape, for clients written against it.
        product_id=single.product_id if single else None,
        quantity=single.quantity if single else None,
        events=[OrderEventPublic.model_validate(event) for event in events],
    )
