"""Orders as CSV, streamed row by row so an export of any size runs in constant memory.

One row per order; its lines are summarised in one column ("2 x Widget; 1 x Gadget"). Orders and
their lines are read in a single joined query through a server-side cursor, in batches, and
grouped as they arrive: lines of one order come together because the query orders by order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import groupby

from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.models.order import Order, OrderItem, OrderStatus
from oms_app.models.user import User
from oms_app.services.permissions import require_admin

HEADER = ("id", "created_at", "user_id", "status", "total", "item_count", "items")
BATCH_SIZE = 1000


def iter_orders_csv(actor: User, status: OrderStatus | None = None) -> Iterator[str]:
    """CSV lines (header first) of every order, or of those with this status, newest first.

    The permission check runs now, not when the first line is read, so a refusal happens
    before a response starts streaming.
    """
    require_admin(actor)
    return _lines(status)


def _lines(status: OrderStatus | None) -> Iterator[str]:
    yield _csv_line(HEADER)
    statement = (
        select(
            Order.id,
            Order.created_at,
            Order.user_id,
            Order.status,
            Order.total,
            OrderItem.product_name,
            OrderItem.quantity,
        )
        .join(OrderItem, OrderItem.order_id == Order.id)
        .order_by(Order.created_at.desc(), Order.id.desc(), OrderItem.id)
        .execution_options(yield_per=BATCH_SIZE)  # a server-side cursor on PostgreSQL
    )
    if status is not None:
        statement = statement.where(Order.status == status)
    with session_scope() as session:
        rows = session.exec(statement)
        for _, lines in groupby(rows, key=lambda row: row.id):
            yield _order_line(list(lines))


def _order_line(lines: list) -> str:
    first = lines[0]
    items = "; ".join(f"{line.quantity} x {line.product_name}" for line in lines)
    return _csv_line(
        (
            first.id,
            first.created_at.isoformat(),
            "" if first.user_id is None else first.user_id,
            first.status,
            f"{first.total:.2f}",
            sum(line.quantity for line in lines),
            # Starts with a quantity, so a spreadsheet never reads a product name as a formula.
            items,
        )
    )


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()
