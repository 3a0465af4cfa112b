"""The activity log: business events worth a line, written after the answer has gone out.

Callers run these once the user has their answer: REST routes as FastAPI background tasks,
Reflex handlers after their last state update. No emails, names or passwords are logged.
"""

from __future__ import annotations

import logging

from oms_app.models.order import OrderPublic
from oms_app.models.user import UserPublic

log = logging.getLogger("oms.activity")


def user_registered(user: UserPublic) -> None:
    log.info("user registered", extra={"event": "user_registered", "user_id": user.id})


def order_created(order: OrderPublic) -> None:
    log.info(
        "order created",
        extra={
            "event": "order_created",
            "order_id": order.id,
            "user_id": order.user_id,
            "total": float(order.total),
            "lines": len(order.items),
        },
    )


def order_status_changed(order: OrderPublic) -> None:
    """Log the order's latest status change (its last event)."""
    last = order.events[-1]
    log.info(
        "order status changed",
        extra={
            "event": "order_status_changed",
            "order_id": order.id,
            "from_status": last.from_status,
            "to_status": last.to_status,
            "actor_id": last.actor_id,
        },
    )
