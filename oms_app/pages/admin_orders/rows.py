"""An order as a row of /admin/orders: who, what, how much, its status and the moves the
service's state machine offers from it."""

from __future__ import annotations

from pydantic import BaseModel

from oms_app.components.format import moment, money
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.services import statuses


class StatusMove(BaseModel):
    status: str
    label: str
    consequence: str
    danger: bool


class OrderRow(BaseModel):
    id: int
    customer: str
    email: str
    lines: list[str]
    total: str
    status: str
    created: str
    moves: list[StatusMove]

    @classmethod
    def of(cls, order: OrderPublic) -> OrderRow:
        customer = order.customer
        return cls(
            id=order.id,
            customer=customer.name if customer else "deleted account",
            email=customer.email if customer else "",
            lines=[f"{i.quantity} x {i.product_name}" for i in order.items],
            total=money(order.total),
            status=order.status.value,
            created=moment(order.created_at),
            # The service's state machine decides what is offered; nothing else is.
            moves=[
                StatusMove(
                    status=target.value,
                    label=label,
                    consequence=statuses.MOVE_CONSEQUENCES[target],
                    danger=target == OrderStatus.CANCELLED,
                )
                for target, label in statuses.moves(order.status)
            ],
        )
