"""Writing an order: its products' stock taken and its rows written, in as few round trips as
the database allows.

Stock moves only through single conditional UPDATE statements taken in product-id order, so no
two orders can oversell a product or deadlock on one another. On PostgreSQL the last product's
stock, the order, its lines and its first event are one statement (`_PLACE_ORDER`); elsewhere
(SQLite) they are plain INSERTs after the UPDATEs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import false, insert, text, update
from sqlmodel import Session

from oms_app.core.db import get_engine
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.common import utcnow
from oms_app.models.order import Order, OrderCreate, OrderEvent, OrderItem, OrderStatus
from oms_app.models.product import Product
from oms_app.models.webhook import EventType
from oms_app.services.permissions import ActorRef


class InsufficientStock(Conflict):
    def __init__(self, product_id: int, name: str, available: int, requested: int) -> None:
        super().__init__(f"Not enough stock for '{name}': {available} left, {requested} requested")
        self.product_id = product_id
        self.available = available


# Events an order may have to write in its own transaction.
_ORDER_EVENTS = (EventType.ORDER_CREATED.value, EventType.PRODUCT_STOCK_LOW.value)


class EventsWanted(Exception):
    """An order written alone wrote nothing: a webhook wants its events written with it."""


def writes_in_one_statement() -> bool:
    """Whether the database takes `_PLACE_ORDER` (writable CTEs: PostgreSQL, not SQLite)."""
    return get_engine().dialect.name == "postgresql"


@dataclass(frozen=True)
class NewOrder:
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


def write_order(
    session: Session, new: NewOrder, alone: bool = False
) -> tuple[Order, list[OrderItem], dict[int, int]]:
    """Take the stock and write the order, its lines and its first event; the stock left of
    each product. `alone` (PostgreSQL): write nothing, and raise `EventsWanted`, if an active
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
    if writes_in_one_statement():
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
            raise EventsWanted
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


def _insert_rows(session: Session, new: NewOrder, order: Order, items: list[OrderItem]) -> None:
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
