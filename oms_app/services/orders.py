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
from typing import NamedTuple

from sqlalchemy import false, insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import get_engine, session_scope
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
from oms_app.models.webhook import EventType
from oms_app.services import live, order_queries, order_totals, products, webhook_outbox
from oms_app.services.order_views import customer_of, public, shape
from oms_app.services.permissions import (
    Actor,
    ActorRef,
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
    new = _NewOrder(customer_id, who, wanted, data, idempotency_key, fingerprint)
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
    _announce(placed, created=True)
    return PlacedOrder(placed, created=True)


# Events an order may have to write in its own transaction.
_ORDER_EVENTS = (EventType.ORDER_CREATED.value, EventType.PRODUCT_STOCK_LOW.value)


def _place(actor: Actor, new: _NewOrder) -> tuple[Order, list[OrderItem], User]:
    """Write the order; the rows written and the customer.

    The usual order, one product for oneself with no webhook waiting for order events, is
    written by one statement (`_PLACE_ORDER`, which also checks for such webhooks), so it runs
    as its own transaction: PostgreSQL commits it as it finishes, and the product's row lock
    is released without this thread having to get back to the (busy) interpreter to send a
    COMMIT. Anything more (a cart, a key's customer to lock, events to write) takes an
    explicit transaction around its statements.
    """
    if len(new.wanted) == 1 and not is_key(actor) and _writes_in_one_statement():
        try:
            with session_scope(autocommit=True) as session:
                order, items, _ = _write_order(session, new, alone=True)
            return order, items, require_person(actor)
        except _EventsWanted:
            pass  # written below, with its events, in one transaction
    with session_scope() as session:
        customer = _lock_customer(session, new.user_id) if is_key(actor) else actor
        # Which webhook events anyone wants, read before any product row is locked.
        webhook_outbox.subscribed(session)
        # Stock first, then the order's rows. A line's foreign key key-share-locks its
        # product: written before the stock UPDATE, every concurrent order on a hot product
        # would add itself to the row's lockers (a MultiXact rewritten by each of them)
        # before updating it. Written after it, the row is already ours.
        order, items, left = _write_order(session, new)
        webhook_outbox.order_created(session, order, items, customer, new.who)
        webhook_outbox.stock_taken(session, left)
    return order, items, customer


class _EventsWanted(Exception):
    """An order written alone wrote nothing: a webhook wants its events written with it."""


def _writes_in_one_statement() -> bool:
    """Whether the database takes `_PLACE_ORDER` (writable CTEs: PostgreSQL, not SQLite)."""
    return get_engine().dialect.name == "postgresql"


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


@dataclass(frozen=True)
class _NewOrder:
    user_id: int | None  # the customer's
    who: ActorRef  # who placed it: the customer, or the API key placing it for them
    wanted: dict[int, int]  # quantity per product id
    data: OrderCreate
    idempotency_key: str | None
    fingerprint: str

    @property
    def address(self) -> dict | None:
        address = self.data.shipping_address
        return address.model_dump() if address else None


class _Taken(NamedTuple):
    """A product's name and price when its stock was taken, and the stock left after it."""

    name: str
    price: Decimal
    left: int


def _write_order(
    session: Session, new: _NewOrder, alone: bool = False
) -> tuple[Order, list[OrderItem], dict[int, int]]:
    """Take the stock and write the order, its lines and its first event; the stock left of
    each product. `alone` (PostgreSQL): write nothing, and raise `_EventsWanted`, if an active
    webhook subscribes to order events, which would have to be written with the order.

    Each product's row lock is held from its stock UPDATE to the commit, so that span is what
    bounds orders on one product. On PostgreSQL the last (or only) product's stock is taken by
    the same statement that writes the order's rows, which leaves only the commit inside that
    span (and no round trip at all when that statement is its own transaction); other
    products are taken first, one UPDATE each, so every cart locks its products in id order
    and two carts cannot deadlock.
    """
    last = max(new.wanted)
    taken = _take_stock(session, {pid: q for pid, q in new.wanted.items() if pid != last})
    now = utcnow()
    if _writes_in_one_statement():
        row = session.execute(
            _PLACE_ORDER,
            {
                "last_pid": last,
                "last_qty": new.wanted[last],
                "others_total": _total(taken, new.wanted),
                "user_id": new.user_id,
                "actor_id": new.who.user_id,
                "actor_key_id": new.who.key_id,
                "address": None if new.address is None else json.dumps(new.address),
                "key": new.idempotency_key,
                "fingerprint": new.fingerprint if new.idempotency_key else None,
                "now": now,
                "pids": sorted(new.wanted),
                "names": [taken[pid][0] if pid in taken else None for pid in sorted(new.wanted)],
                "qtys": [new.wanted[pid] for pid in sorted(new.wanted)],
                "prices": [taken[pid][1] if pid in taken else None for pid in sorted(new.wanted)],
                "alone": alone,
                "order_events": list(_ORDER_EVENTS),
            },
        ).one()
        if row.id is None and alone and row.watched:
            raise _EventsWanted
        if row.id is None:
            raise _why_no_stock(session, last, new.wanted[last])
        order_id = row.id
        taken[last] = _Taken(row.name, row.price, row.stock)
    else:
        taken |= _take_stock(session, {last: new.wanted[last]})
        order_id = None
    order = Order(
        id=order_id,
        user_id=new.user_id,
        status=OrderStatus.PENDING,
        total=_total(taken, new.wanted),
        shipping_address=new.address,
        idempotency_key=new.idempotency_key,
        request_fingerprint=new.fingerprint if new.idempotency_key else None,
        created_at=now,
        updated_at=now,
    )
    items = [
        OrderItem(
            order_id=order_id,
            product_id=pid,
            product_name=line.name,
            quantity=new.wanted[pid],
            unit_price=line.price,
        )
        for pid, line in sorted(taken.items())
    ]
    if order_id is None:
        _insert_rows(session, new, order, items)
    return order, items, {pid: line.left for pid, line in taken.items()}


def _total(taken: dict[int, _Taken], wanted: dict[int, int]) -> Decimal:
    return sum((line.price * wanted[pid] for pid, line in taken.items()), Decimal(0))


# The last product's stock, the order, its lines and its event in one round trip. Nothing is
# written unless the stock was there: every INSERT reads from `taken`. The other products'
# names and prices (taken before) come in the arrays; the last one's come from `taken`. With
# :alone, nothing is taken either while a webhook subscribes to order events (`watched`). The
# one row answered always says whether one does; its order id is null when nothing was written.
_PLACE_ORDER = text(
    """
WITH watched AS (
    SELECT EXISTS (
        SELECT FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id
        WHERE e.active AND s.event_type = ANY (CAST(:order_events AS text[]))
    ) AS yes
), taken AS (
    UPDATE products SET stock = stock - :last_qty, updated_at = :now
    WHERE id = :last_pid AND is_deleted = false AND stock >= :last_qty
      AND NOT (CAST(:alone AS boolean) AND (SELECT yes FROM watched))
    RETURNING name, price, stock
), placed AS (
    INSERT INTO orders (user_id, status, total, shipping_address, idempotency_key,
                        request_fingerprint, created_at, updated_at)
    SELECT :user_id, 'pending', :others_total + taken.price * :last_qty,
           CAST(:address AS json), :key, :fingerprint, :now, :now
    FROM taken
    RETURNING id
), lines AS (
    INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price)
    SELECT placed.id, line.product_id, coalesce(line.product_name, taken.name),
           line.quantity, coalesce(line.unit_price, taken.price)
    FROM placed, taken,
         unnest(CAST(:pids AS integer[]), CAST(:names AS text[]), CAST(:qtys AS integer[]),
                CAST(:prices AS numeric[])) WITH ORDINALITY
             AS line(product_id, product_name, quantity, unit_price, n)
    ORDER BY line.n
), event AS (
    INSERT INTO order_events (order_id, to_status, actor_id, actor_key_id, created_at)
    SELECT placed.id, 'pending', :actor_id, :actor_key_id, :now FROM placed
)
SELECT placed.id, taken.name, taken.price, taken.stock, watched.yes AS watched
FROM watched LEFT JOIN placed ON true LEFT JOIN taken ON true
"""
)


def _take_stock(session: Session, wanted: dict[int, int]) -> dict[int, _Taken]:
    """Take these products' stock, in product-id order (so two carts never deadlock): each
    product's name and price when its stock was taken, and what is left."""
    priced: dict[int, _Taken] = {}
    for product_id in sorted(wanted):
        quantity = wanted[product_id]
        row = session.execute(
            update(Product)
            .where(
                Product.id == product_id,
                Product.is_deleted == false(),
                Product.stock >= quantity,
            )
            .values(stock=Product.stock - quantity, updated_at=utcnow())
            .returning(Product.name, Product.price, Product.stock)
            .execution_options(synchronize_session=False)
        ).first()
        if row is None:
            raise _why_no_stock(session, product_id, quantity)
        priced[product_id] = _Taken(row.name, row.price, row.stock)
    return priced


def _why_no_stock(session: Session, product_id: int, quantity: int) -> Exception:
    product = session.get(Product, product_id)
    if product is None or product.is_deleted:
        return NotFound(f"Product {product_id} not found")
    return InsufficientStock(product_id, product.name, product.stock, quantity)


def _insert_rows(session: Session, new: _NewOrder, order: Order, items: list[OrderItem]) -> None:
    """The order's rows as plain INSERTs, for databases without writable CTEs (SQLite)."""
    order.id = session.execute(
        insert(Order.__table__)
        .values({column: getattr(order, column) for column in _ORDER_COLUMNS})
        .returning(Order.__table__.c.id)
    ).scalar_one()
    for item in items:
        item.order_id = order.id
    session.execute(
        insert(OrderItem.__table__),
        [{column: getattr(item, column) for column in _ITEM_COLUMNS} for item in items],
    )
    session.execute(
        insert(OrderEvent.__table__).values(
            order_id=order.id,
            to_status=OrderStatus.PENDING,
            actor_id=new.who.user_id,
            actor_key_id=new.who.key_id,
            created_at=order.created_at,
        )
    )


_ORDER_COLUMNS = (
    "user_id",
    "status",
    "total",
    "shipping_address",
    "idempotency_key",
    "request_fingerprint",
    "created_at",
    "updated_at",
)
_ITEM_COLUMNS = ("order_id", "product_id", "product_name", "quantity", "unit_price")


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
        # A customer's own count is a few index entries; the admin's lists are worth caching.
        if user_id is None:
            total = order_totals.total(session, count, filters)
        else:
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
        webhook_outbox.order_status_changed(session, order, current)
    if restocked:
        products.invalidate(restocked, also=[order_totals.NAMESPACE])
    else:
        order_totals.invalidate()
    _announce(result)
    return result


def _announce(order: OrderPublic, created: bool = False) -> None:
    live.order_changed(live.OrderChange(order.id, order.user_id, order.status.value, created))


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
