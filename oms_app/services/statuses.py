"""How an order's status reads and which moves it offers, derived from the status enum and the
status machine, so the shopper's, the admin's and any future page say the same thing."""

from __future__ import annotations

from oms_app.models.order import OrderStatus
from oms_app.models.user import User
from oms_app.services.orders import next_statuses

# Radix colour scale per status: badges use the scale, charts its 9th step.
COLORS: dict[OrderStatus, str] = {
    OrderStatus.PENDING: "amber",
    OrderStatus.SHIPPED: "blue",
    OrderStatus.DELIVERED: "grass",
    OrderStatus.CANCELLED: "gray",
}
# What the button that moves an order *to* a status says.
MOVE_LABELS: dict[OrderStatus, str] = {
    OrderStatus.SHIPPED: "Ship",
    OrderStatus.DELIVERED: "Mark delivered",
    OrderStatus.CANCELLED: "Cancel order",
}
# What the confirmation says before that move: every move is irreversible.
MOVE_CONSEQUENCES: dict[OrderStatus, str] = {
    OrderStatus.SHIPPED: "It can then only be marked delivered, no longer cancelled.",
    OrderStatus.DELIVERED: "This is final.",
    OrderStatus.CANCELLED: "Its items go back into stock. This cannot be undone.",
}


def label(status: OrderStatus | str) -> str:
    return OrderStatus(status).value.capitalize()


def chart_color(status: OrderStatus | str) -> str:
    return f"var(--{COLORS[OrderStatus(status)]}-9)"


def moves(status: OrderStatus | str) -> list[tuple[OrderStatus, str]]:
    """The legal moves from this status, each with its button label, in lifecycle order."""
    return [(target, MOVE_LABELS[target]) for target in next_statuses(status)]


def moves_for(actor: User, status: OrderStatus | str) -> list[tuple[OrderStatus, str]]:
    """The moves this actor may make from this status: an admin any legal one, an owner only
    the cancellation (the same rule `orders.change_status` enforces)."""
    return [
        (target, label)
        for target, label in moves(status)
        if actor.is_admin or target == OrderStatus.CANCELLED
    ]


def _check_complete() -> None:
    # A status added to the enum must get its colour and wording here, not a KeyError later.
    reachable = {t for s in OrderStatus for t in next_statuses(s)}
    missing = (
        (set(OrderStatus) - COLORS.keys())
        | (reachable - MOVE_LABELS.keys())
        | (reachable - MOVE_CONSEQUENCES.keys())
    )
    if missing:
        raise RuntimeError(f"statuses without wording: {sorted(missing)}")


_check_complete()
