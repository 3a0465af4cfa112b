"""The activity log: business events worth a line, written after the response has been sent.

Callers schedule these (FastAPI background tasks, Reflex background events) instead of logging
inline, so logging never adds to a user's wait. No emails, names or passwords are logged.
"""

from __future__ import annotations

import logging

log = logging.getLogger("oms.activity")


def user_registered(user_id: int) -> None:
    log.info("user registered", extra={"event": "user_registered", "user_id": user_id})


def order_created(order_id: int, user_id: int | None, total: float, lines: int) -> None:
    log.info(
        "order created",
        extra={
            "event": "order_created",
            "order_id": order_id,
            "user_id": user_id,
            "total": total,
            "lines": lines,
        },
    )


def order_status_changed(order_id: int, from_status: str, to_status: str, actor_id: int) -> None:
    log.info(
        "order status changed",
        extra={
            "event": "order_status_changed",
            "order_id": order_id,
            "from_status": from_status,
            "to_status": to_status,
            "actor_id": actor_id,
        },
    )
