"""How orders are shown: lines, customer, address, history and, for admins, internal notes.

One shaping path for every view. A page of orders costs one query per kind of thing shown
(lines, customers, events, notes), never one per order. `admin_view` is the order as
`GET /orders/{id}` shows it to an admin: other features that report an order (webhooks) send
exactly that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, select

from oms_app.models.address import ShippingAddress
from oms_app.models.api_key import ApiKey
from oms_app.models.order import (
    Order,
    OrderCustomer,
    OrderEvent,
    OrderEventPublic,
    OrderItem,
    OrderItemPublic,
    OrderNote,
    OrderNotePublic,
    OrderPublic,
    OrderStatus,
)
from oms_app.models.user import User


def shape(
    session: Session, orders: Sequence[Order], *, history: bool = False, notes: bool = False
) -> list[OrderPublic]:
    """Orders with their lines and customer; with `history` their events; with `notes` their
    internal notes (for admins only: the caller decides who sees them)."""
    ids = [o.id for o in orders]
    if not ids:
        return []
    lines: dict[int, list[OrderItem]] = defaultdict(list)
    for item in session.exec(
        select(OrderItem).where(OrderItem.order_id.in_(ids)).order_by(OrderItem.id)
    ):
        lines[item.order_id].append(item)
    customers = _customers(session, {o.user_id for o in orders if o.user_id is not None})
    events = _events(session, ids) if history else {}
    notes_by_order = _notes(session, ids) if notes else None
    return [
        public(
            order,
            lines[order.id],
            customer=customers.get(order.user_id),
            events=events.get(order.id, []),
            notes=None if notes_by_order is None else notes_by_order.get(order.id, []),
        )
        for order in orders
    ]


def admin_view(session: Session, order: Order) -> OrderPublic:
    """The order as GET /orders/{id} shows it to an admin: history and notes included."""
    return shape(session, [order], history=True, notes=True)[0]


def public(
    order: Order,
    items: Sequence[OrderItem],
    *,
    customer: OrderCustomer | None,
    events: Sequence[OrderEventPublic] = (),
    notes: Sequence[OrderNotePublic] | None = None,
) -> OrderPublic:
    """One order from rows already loaded (a new order is shaped from what was just written)."""
    lines = [OrderItemPublic.model_validate(item) for item in items]
    single = lines[0] if len(lines) == 1 else None
    address = order.shipping_address
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
        customer=customer,
        shipping_address=None if address is None else ShippingAddress.from_stored(address),
        events=list(events),
        notes=None if notes is None else list(notes),
    )


def customer_of(user: User) -> OrderCustomer:
    return OrderCustomer(id=user.id, name=user.name, email=user.email)


def _customers(session: Session, user_ids: set[int]) -> dict[int, OrderCustomer]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.name, User.email).where(User.id.in_(user_ids)))
    return {row.id: OrderCustomer(id=row.id, name=row.name, email=row.email) for row in rows}


def _events(session: Session, ids: list[int]) -> dict[int, list[OrderEventPublic]]:
    events: dict[int, list[OrderEventPublic]] = defaultdict(list)
    rows = session.exec(
        select(OrderEvent, User.name, ApiKey.name)
        .outerjoin(User, User.id == OrderEvent.actor_id)
        .outerjoin(ApiKey, ApiKey.id == OrderEvent.actor_key_id)
        .where(OrderEvent.order_id.in_(ids))
        .order_by(OrderEvent.id)
    )
    for event, user_name, key_name in rows:
        events[event.order_id].append(
            OrderEventPublic(
                from_status=event.from_status,
                to_status=event.to_status,
                actor_id=event.actor_id,
                actor_key_id=event.actor_key_id,
                actor_name=user_name or key_name,
                created_at=event.created_at,
            )
        )
    return events


def _notes(session: Session, ids: list[int]) -> dict[int, list[OrderNotePublic]]:
    notes: dict[int, list[OrderNotePublic]] = defaultdict(list)
    for note in session.exec(
        select(OrderNote).where(OrderNote.order_id.in_(ids)).order_by(OrderNote.id)
    ):
        notes[note.order_id].append(OrderNotePublic.model_validate(note))
    return notes
