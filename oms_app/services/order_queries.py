"""Order filters and sorts as SQL, shared by the order lists and the CSV export.

Each condition is written so PostgreSQL can answer it from an index at a million orders: the
customer search goes through trigram indexes on users' email and name, a matching order number
through the primary key, and every sort has a composite index (see the Order model).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Integer, Select, any_, func, literal, or_, text, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

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


# A customer search matching at most this many customers runs as a list of their ids (a common
# first name among 100,000 customers; reading 5,000 ids costs ~3 ms). A broader one (a mail
# domain) is dense in every index, where the subquery's plans are right anyway.
NARROW_SEARCH = 5000
_IDS = ARRAY(Integer)


def page_statements(
    filters: MyOrderFilters,
    params: PageParams,
    user_id: int | None = None,
    customers: list[int] | None = None,
) -> tuple[Select, Select]:
    """The two statements a list page runs: its total, and its orders (of `user_id` only, when
    given; for a search, of `customers` when `matching_customers` found them). The benchmark
    EXPLAINs exactly these."""
    where = conditions(filters, customers)
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


def matching_customers(session: Session, filters: MyOrderFilters) -> list[int] | None:
    """The ids of the customers a narrow search matches, or None (no search, a broad one, or
    a database without trigram indexes).

    PostgreSQL cannot tell from a pattern how many customers it matches; guessing wrong, it
    walks a status or date index through 100,000 orders looking for a few (a full name with
    `status=pending` at a million orders: 120 ms for the page, 48 for its total). Given the
    ids themselves, it sees how few orders they can have and starts from the customers (6 ms
    and 3 ms, the lookup included).
    """
    if not isinstance(filters, OrderFilters) or filters.q is None:
        return None
    if session.get_bind().dialect.name != "postgresql":
        return None
    # The driver prepares a statement it has run five times, and PostgreSQL may then plan it
    # once for any ids or pattern (a generic plan: 120-160 ms for a common first name, where
    # a plan for the values at hand takes 10). For this transaction's searches, plan each.
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    ids = session.exec(customer_lookup(filters.q)).all()
    return list(ids) if len(ids) <= NARROW_SEARCH else None


def conditions(
    filters: MyOrderFilters, customers: list[int] | None = None
) -> list[ColumnElement[bool]]:
    """WHERE terms for these filters (an admin's OrderFilters add the search and customer);
    a search's customers are `customers` when given, else found by a subquery."""
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
            where.append(_matching(filters.q, filters.order_number, customers))
    return where


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def customer_lookup(q: str) -> Select:
    """The statement `matching_customers` runs (one more row than a narrow search may have)."""
    return _customers(q).limit(NARROW_SEARCH + 1)


def _customers(q: str) -> Select:
    return select(User.id).where(or_(contains(User.email, q), contains(User.name, q)))


def _matching(q: str, order_number: int | None, found: list[int] | None) -> ColumnElement[bool]:
    def of_customers(user_id: ColumnElement[int]) -> ColumnElement[bool]:
        if found is None:
            return user_id.in_(_customers(q))
        return user_id == any_(literal(found, _IDS))  # one parameter; the planner sees each id

    if order_number is None:
        return of_customers(Order.user_id)
    # "id = n OR user_id IN (...)" would filter every row of a sequential scan; a union of the
    # two lookups keeps both on their indexes.
    other = aliased(Order)
    return Order.id.in_(
        union_all(
            select(literal(order_number)),
            select(other.id).where(of_customers(other.user_id)),
        )
    )
