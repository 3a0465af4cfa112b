"""Shipping addresses: the countries offered, the address a customer used last, and an admin's
change of a pending order's address."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.address import Country, ShippingAddress, country_list
from oms_app.models.api_key import Scope
from oms_app.models.common import utcnow
from oms_app.models.order import Order, OrderPublic, OrderStatus
from oms_app.models.user import User
from oms_app.services import live
from oms_app.services.order_views import admin_view
from oms_app.services.permissions import Actor, require


def countries() -> list[Country]:
    """Every assigned ISO 3166-1 country (code and name), by name: what a select offers. The same
    list validates an address's country."""
    return country_list()


def last_shipping_address(actor: User) -> ShippingAddress | None:
    """Where the actor's most recent order with an address went, to prefill the checkout."""
    with session_scope() as session:
        stored = session.exec(
            select(Order.shipping_address)
            .where(Order.user_id == actor.id, Order.shipping_address.is_not(None))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(1)
        ).first()
    return None if stored is None else ShippingAddress.from_stored(stored)


def change_address(actor: Actor, order_id: int, address: ShippingAddress) -> OrderPublic:
    """Replace a pending order's address (admins). Once it has shipped, the parcel has gone."""
    require(actor, Scope.ORDERS_WRITE)
    with session_scope() as session:
        # Compare-and-set on the status: an order shipped meanwhile keeps the address it left with.
        changed = session.execute(
            update(Order)
            .where(Order.id == order_id, Order.status == OrderStatus.PENDING)
            .values(shipping_address=address.model_dump(), updated_at=utcnow())
        ).rowcount
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound("Order not found")
        if not changed:
            raise Conflict(
                f"The address can only be changed while the order is pending; it is {order.status}"
            )
        result = admin_view(session, order)
    live.order_changed(live.OrderChange(result.id, result.user_id, result.status.value))
    return result
