"""Telling whoever watches that an order changed, once the change is committed.

The services know nothing of browsers: they announce an `OrderChange` here after the commit, from
whatever entry point made it (a Reflex handler, a REST route, a key's request). The Reflex layer
subscribes at start-up and pushes the change to the pages that show the order. A listener's
failure is logged and never reaches the caller: the change itself has already happened.

Pages watch *topics*: one order, one customer's orders, or every order (admins). The names are
made here only, so what a change announces and what a page watches cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from oms_app.models.user import User
from oms_app.services.permissions import require_admin

log = logging.getLogger(__name__)

ALL_ORDERS = "orders-all"


@dataclass(frozen=True)
class OrderChange:
    order_id: int
    user_id: int | None  # the owner, None once the account is gone
    status: str
    # A new order: no page can watch its own topic yet (a page links it only after reading it).
    created: bool = field(default=False, compare=False)

    @property
    def topics(self) -> list[str]:
        """Every topic a page showing this order may watch."""
        topics = [ALL_ORDERS] if self.created else [order_topic(self.order_id), ALL_ORDERS]
        if self.user_id is not None:
            topics.append(_customer_topic(self.user_id))
        return topics


def order_topic(order_id: int) -> str:
    """One order's topic. Watch it only after the service let the viewer read that order."""
    return f"order-{order_id}"


def _customer_topic(user_id: int) -> str:
    return f"customer-{user_id}"


def my_orders_topic(actor: User) -> str:
    return _customer_topic(actor.id)


def all_orders_topic(actor: User) -> str:
    require_admin(actor)
    return ALL_ORDERS


OrderListener = Callable[[OrderChange], None]
_listeners: list[OrderListener] = []


def subscribe(listener: OrderListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: OrderListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def order_changed(change: OrderChange) -> None:
    """Call after the commit: every listener hears of it; none can make the caller fail."""
    for listener in list(_listeners):
        try:
            listener(change)
        except Exception:
            log.exception("order change listener failed", extra={"order_id": change.order_id})
