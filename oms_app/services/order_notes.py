"""Internal notes on orders: written by admins, read by admins, never shown to the customer."""

from __future__ import annotations

from oms_app.core.db import session_scope
from oms_app.core.errors import NotFound
from oms_app.models.api_key import Scope
from oms_app.models.order import Order, OrderNote, OrderNoteCreate, OrderNotePublic
from oms_app.services import live
from oms_app.services.permissions import Actor, ref, require


def add_note(actor: Actor, order_id: int, data: OrderNoteCreate) -> OrderNotePublic:
    """Add a note to any order, whatever its status. The order itself is unchanged (its
    `updated_at` included: the customer sees nothing new). A key's note names the key."""
    require(actor, Scope.ORDERS_WRITE)
    author = ref(actor)
    with session_scope() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        note = OrderNote(
            order_id=order_id,
            author_id=author.user_id,
            author_key_id=author.key_id,
            author_name=author.name,
            text=data.text,
        )
        session.add(note)
        session.flush()
        result = OrderNotePublic.model_validate(note)
        change = live.OrderChange(order.id, order.user_id, order.status)
    live.order_changed(change)
    return result
