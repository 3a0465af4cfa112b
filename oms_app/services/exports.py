"""Orders as CSV, streamed row by row so an export of any size runs in constant memory.

One row per order; its lines are summarised in one column ("2 x Widget; 1 x Gadget"). Orders,
their customer and their lines are read in a single joined query through a server-side cursor,
in batches, and grouped as they arrive: lines of one order come together because the query
orders by order (ties broken by id). The columns of the first export come first, in their old
order, so a spreadsheet built on them keeps working; the new ones follow.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import groupby

from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.models.api_key import Scope
from oms_app.models.order import Order, OrderItem, OrderStatus
from oms_app.models.order_filters import OrderFilters
from oms_app.models.user import User
from oms_app.services import order_queries
from oms_app.services.permissions import Actor, require

ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "postal_code", "country", "phone")
HEADER = (
    "id",
    "created_at",
    "user_id",
    "status",
    "total",
    "item_count",
    "items",
    "customer_name",
    "customer_email",
    *(f"ship_{field}" for field in ADDRESS_FIELDS),
    "updated_at",
)
BATCH_SIZE = 1000
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iter_orders_csv(
    actor: Actor, status: OrderStatus | None = None, filters: OrderFilters | None = None
) -> Iterator[str]:
    """CSV lines (header first) of the orders these filters (and `status`) select, in their sort.

    The permission check runs now, not when the first line is read, so a refusal happens
    before a response starts streaming.
    """
    require(actor, Scope.ORDERS_READ)
    return _lines((filters or OrderFilters()).with_status(status))


def _lines(filters: OrderFilters) -> Iterator[str]:
    yield _csv_line(HEADER)
    statement = (
        select(
            Order.id,
            Order.created_at,
            Order.updated_at,
            Order.user_id,
            Order.status,
            Order.total,
            Order.shipping_address,
            User.name.label("customer_name"),
            User.email.label("customer_email"),
            OrderItem.product_name,
            OrderItem.quantity,
        )
        .join(OrderItem, OrderItem.order_id == Order.id)
        .outerjoin(User, User.id == Order.user_id)
        .where(*order_queries.conditions(filters))
        .order_by(*order_queries.ordering(filters.sort), OrderItem.id)
        .execution_options(yield_per=BATCH_SIZE)  # a server-side cursor on PostgreSQL
    )
    with session_scope() as session:
        rows = session.exec(statement)
        for _, lines in groupby(rows, key=lambda row: row.id):
            yield _order_line(list(lines))


def _order_line(lines: list) -> str:
    first = lines[0]
    address = first.shipping_address or {}
    # Starts with a quantity, so a spreadsheet never reads a product name as a formula.
    items = "; ".join(f"{line.quantity} x {line.product_name}" for line in lines)
    return _csv_line(
        (
            first.id,
            first.created_at.isoformat(),
            "" if first.user_id is None else first.user_id,
            first.status,
            f"{first.total:.2f}",
            sum(line.quantity for line in lines),
            items,
            _cell(first.customer_name),
            _cell(first.customer_email),
            *(_cell(address.get(field)) for field in ADDRESS_FIELDS),
            first.updated_at.isoformat(),
        )
    )


def _cell(value: str | None) -> str:
    """Text a customer typed, made inert for spreadsheets: a leading apostrophe before anything
    that would start a formula (a phone number "+44 …" included)."""
    if not value:
        return ""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()
