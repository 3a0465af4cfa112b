"""Telling whoever watches that an order changed, once the change is committed.

The services know nothing of browsers: they announce an `OrderChange` here after the commit, from
whatever entry point made it (a Reflex handler, a REST route, a key's request). The Reflex layer
subscribes at start-up and pushes the change to the pages that show the order. A listener's
failure is logged and never reaches the caller: the change itself has already happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderChange:
    order_id: int
    user_id: int | None  # the owner, None once the account is gone
    status: str


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
