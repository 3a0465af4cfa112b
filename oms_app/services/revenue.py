"""What counts as money earned, for every figure that shows it (dashboard, customer view)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement

from oms_app.models.order import Order, OrderStatus


def counts_towards_revenue() -> ColumnElement[bool]:
    # A cancelled order gave its stock back and was never paid for.
    return Order.status != OrderStatus.CANCELLED


def revenue_sum() -> ColumnElement[Decimal]:
    """SUM of the totals of the orders that count, in an aggregate over orders."""
    return func.sum(case((counts_towards_revenue(), Order.total), else_=0))


def as_money(value: object) -> Decimal:
    # SQLite may sum NUMERIC columns as floats; going through str keeps 2 decimals exact.
    return Decimal(str(value)).quantize(Decimal("0.01"))
