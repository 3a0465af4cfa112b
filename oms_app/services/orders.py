"""Orders: placing them against stock, finding them, and their status machine.

Placing is in `order_placing` and `order_writes` (no two orders oversell a product or deadlock
on one another). A status change is a compare-and-set on the order row, so a cancellation (and
its restock) happens exactly once however many people press the button at the same moment.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, Forbidden, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.order import Order, OrderEvent, OrderItem, OrderPublic, OrderStatus
from oms_app.models.order_filters import MyOrderFilters, OrderFilters
from oms_app.models.product import Product
from oms_app.services import order_queries, order_totals, products, webhook_outbox

# Placing an order is this service's too; its code lives beside it (order_placing: whose and
# how; order_writes: the statements).
from oms_app.services.order_placing import PlacedOrder as PlacedOrder
from oms_app.services.order_placing import announce
from oms_app.services.order_placing import place_order as place_order
from oms_app.services.order_views import shape
from oms_app.services.order_writes import InsufficientStock as InsufficientStock
from oms_app.services.permissions import (
    Actor,
    allows,
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
    with session_scope() as session:
        customers = order_queries.matching_customers(session, filters)
        count, rows = order_queries.page_statements(filters, params, user_id, customers)
        # A customer's own count is a few index entries; the admin's lists are worth caching.
        if user_id is None:
            total = order_totals.total(session, count, filters)
        else:
            total = session.exec(count).one()
        # Past the last match there is nothing to look for (an index walk would find so).
        found = session.exec(rows).all() if total > params.offset else []
        return Page.of(shape(session, found), total, params)


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
        webhook_outbox.order_status_changed(session, order, current)
    if restocked:
        products.invalidate(restocked, also=[order_totals.NAMESPACE])
    else:
        order_totals.invalidate()
    announce(result)
    return result


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
