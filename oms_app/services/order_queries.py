"""Order filters and sorts as SQL, shared by the order lists and the CSV export.

Each condition is written so PostgreSQL can answer it from an index at a million orders: the
customer search goes through trigram indexes on users' email and name, a matching order number
through the primary key, and every sort has a composite index (see the Order model).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, literal, or_, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import select

from oms_app.models.common import PageParams
from oms_app.models.order import Order
from oms_app.models.order_filters import MyOrderFilters, OrderFilters, OrderSort
from oms_app.models.user import User
from oms_app.services.matching import contains

_ORDERING = {
    OrderSort.NEWEST: (Order.created_at.desc(), Order.id.desc()),
    OrderSort.OLDEST: (Order.created_at.asc(), Order.id.asc()),
    OrderSort.TOTAL_DESC: (Order.total.desc(), Order.id.desc()),
    OrderSort.TOTAL_ASC: (Order.total.asc(), Order.id.asc()),
}


def page_statements(
    filters: MyOrderFilters, params: PageParams, user_id: int | None = None
) -> tuple[Select, Select]:
    """The two statements a list page runs: its total, and its orders (of `user_id` only, when
    given). The benchmark EXPLAINs exactly these."""
    where = conditions(filters)
    if user_id is not None:
        where.append(Order.user_id == user_id)
    count = select(func.count()).select_from(Order).where(*where)
    rows = (
        select(Order)
        .where(*where)
        .order_by(*ordering(filters.sort))
        .offset(params.offset)
        .limit(params.limit)
    )
    return count, rows


def ordering(sort: OrderSort) -> tuple:
    """ORDER BY terms: the sort asked for, ties broken by id so pages never overlap."""
    return _ORDERING[sort]


def conditions(filters: MyOrderFilters) -> list[ColumnElement[bool]]:
    """WHERE terms for these filters (an admin's OrderFilters add the search and customer)."""
    where: list[ColumnElement[bool]] = []
    if filters.status:
        where.append(Order.status.in_(sorted(set(filters.status))))
    if filters.created_from is not None:
        where.append(Order.created_at >= _start_of(filters.created_from))
    if filters.created_to is not None and filters.created_to < date.max:
        where.append(Order.created_at < _start_of(filters.created_to + timedelta(days=1)))
    if isinstance(filters, OrderFilters):
        if filters.customer_id is not None:
            where.append(Order.user_id == filters.customer_id)
        if filters.q is not None:
            where.append(_matching(filters.q, filters.order_number))
    return where


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _matching(q: str, order_number: int | None) -> ColumnElement[bool]:
    customers = select(User.id).where(or_(contains(User.email, q), contains(User.name, q)))
    if order_number is None:
        return Order.user_id.in_(customers)
    # "id = n OR user_id IN (...)" would filter every row of a sequential scan; a union of the
    # two lookups keeps both on their indexes.
    other = aliased(Order)
    return Order.id.in_(
        union_all(
            select(literal(order_number)),
            select(other.id).where(other.user_id.in_(customers)),
        )
    )
