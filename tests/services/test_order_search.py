"""Finding orders: search by number or customer, statuses, customer, UTC-day ranges and sorts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import event, text, update

from oms_app.core.db import get_engine, session_scope
from oms_app.core.errors import Forbidden
from oms_app.models.common import PageParams
from oms_app.models.order import Order, OrderCreate, OrderStatus
from oms_app.models.order_filters import MyOrderFilters, OrderFilters, OrderSort
from oms_app.models.user import Role
from oms_app.services import order_queries, orders, users
from tests.services.test_concurrency import _product, _user

pytestmark = pytest.mark.usefixtures("database")
ALL = PageParams(limit=100)


@pytest.fixture
def shop():
    """Three customers, one product at 1.00, and an admin."""
    return {
        "admin": _user("boss@example.com", Role.ADMIN, name="The Boss"),
        "grace": _user("grace.hopper@navy.example.com", name="Grace Hopper"),
        "alan": _user("alan@turing.example.org", name="Alan Turing"),
        "odd": _user("100pct_off@example.com", name="Percy 100% Under_Score"),
        "product": _product(stock=1000),
    }


def _place(shop, who: str, quantity: int = 1, at: datetime | None = None, status=None) -> int:
    order_id = orders.place_order(
        shop[who], OrderCreate(product_id=shop["product"], quantity=quantity)
    ).order.id
    values = {}
    if at is not None:
        values["created_at"] = at
    if status is not None:
        values["status"] = status
    if values:
        with session_scope() as session:
            session.execute(update(Order).where(Order.id == order_id).values(**values))
    return order_id


def _ids(shop, **filters) -> list[int]:
    page = orders.list_orders(shop["admin"], ALL, filters=OrderFilters(**filters))
    assert page.total == len(page.data)
    return [o.id for o in page.data]


def test_q_finds_orders_by_part_of_the_customers_email_or_name_in_any_case(shop):
    grace = _place(shop, "grace")
    alan = _place(shop, "alan")
    assert _ids(shop, q="HOPPER") == [grace]  # the name, and the email too
    assert _ids(shop, q="navy.EXAMPLE") == [grace]  # part of the email only
    assert _ids(shop, q="an tur") == [alan]  # part of the name only
    assert _ids(shop, q="example") == [alan, grace]
    assert _ids(shop, q="nobody") == []
    assert _ids(shop, q="   ") == [alan, grace]  # blank is no search


def test_q_finds_an_order_number_with_or_without_hash(shop):
    first = _place(shop, "grace")
    second = _place(shop, "alan")
    assert _ids(shop, q=str(first)) == [first]
    assert _ids(shop, q=f"#{second}") == [second]
    # A number also matches customers whose email or name contains it.
    odd = _place(shop, "odd")
    assert _ids(shop, q="100") == [odd]
    assert _ids(shop, q=str(odd)) == [odd]
    assert _ids(shop, q="99999999999") == []  # beyond any id: a text search only


def test_percent_and_underscore_are_literal(shop):
    odd = _place(shop, "odd")
    _place(shop, "grace")
    assert _ids(shop, q="100%") == [odd]
    assert _ids(shop, q="under_score") == [odd]
    assert _ids(shop, q="%") == [odd]
    assert _ids(shop, q="_") == [odd]
    assert _ids(shop, q="g_ace") == []


def test_statuses_are_any_of_and_combine_with_the_legacy_argument(shop):
    pending = _place(shop, "grace")
    shipped = _place(shop, "grace", status=OrderStatus.SHIPPED)
    cancelled = _place(shop, "alan", status=OrderStatus.CANCELLED)
    assert _ids(shop, status=["shipped"]) == [shipped]
    assert _ids(shop, status=["pending", "cancelled"]) == [cancelled, pending]
    assert _ids(shop, status=["pending", "pending"]) == [pending]
    legacy = orders.list_orders(shop["admin"], ALL, OrderStatus.SHIPPED)
    assert [o.id for o in legacy.data] == [shipped]
    both = orders.list_orders(
        shop["admin"], ALL, OrderStatus.SHIPPED, filters=OrderFilters(status=["pending"])
    )
    assert [o.id for o in both.data] == [shipped, pending]


def test_customer_filter(shop):
    grace = [_place(shop, "grace") for _ in range(2)]
    _place(shop, "alan")
    assert _ids(shop, customer_id=shop["grace"].id) == grace[::-1]
    assert _ids(shop, customer_id=shop["grace"].id, q="turing") == []
    assert _ids(shop, customer_id=999_999) == []


def test_dates_are_inclusive_utc_days(shop):
    def at(*args) -> datetime:
        return datetime(*args, tzinfo=UTC)

    before = _place(shop, "grace", at=at(2025, 3, 9, 23, 59, 59))
    first = _place(shop, "grace", at=at(2025, 3, 10, 0, 0, 0))
    last = _place(shop, "grace", at=at(2025, 3, 12, 23, 59, 59, 999999))
    after = _place(shop, "grace", at=at(2025, 3, 13, 0, 0, 0))
    window = {"created_from": date(2025, 3, 10), "created_to": date(2025, 3, 12)}
    assert _ids(shop, **window) == [last, first]
    assert _ids(shop, created_from=date(2025, 3, 13)) == [after]
    assert _ids(shop, created_to=date(2025, 3, 9)) == [before]
    one_day = date(2025, 3, 10)
    assert _ids(shop, created_from=one_day, created_to=one_day) == [first]
    # The ends of the calendar are ordinary bounds, not overflows.
    assert len(_ids(shop, created_from=date.min, created_to=date.max)) == 4


def test_sorts_break_ties_by_id(shop):
    cheap_old = _place(shop, "grace", quantity=1, at=datetime(2025, 1, 1, tzinfo=UTC))
    dear = _place(shop, "alan", quantity=5, at=datetime(2025, 1, 2, tzinfo=UTC))
    cheap_new = _place(shop, "grace", quantity=1, at=datetime(2025, 1, 3, tzinfo=UTC))
    tie = _place(shop, "alan", quantity=1, at=datetime(2025, 1, 3, tzinfo=UTC))
    assert _ids(shop) == [tie, cheap_new, dear, cheap_old]
    assert _ids(shop, sort=OrderSort.NEWEST) == [tie, cheap_new, dear, cheap_old]
    assert _ids(shop, sort="created_at") == [cheap_old, dear, cheap_new, tie]
    assert _ids(shop, sort="-total") == [dear, tie, cheap_new, cheap_old]
    assert _ids(shop, sort="total") == [cheap_old, cheap_new, tie, dear]
    # Pages of a sort never overlap or skip, ties included.
    paged = [
        o.id
        for page in (1, 2)
        for o in orders.list_orders(
            shop["admin"], PageParams(page=page, limit=2), filters=OrderFilters(sort="total")
        ).data
    ]
    assert paged == [cheap_old, cheap_new, tie, dear]


def test_my_orders_take_status_dates_and_sort_but_never_widen(shop):
    mine = [_place(shop, "grace", quantity=q) for q in (3, 1, 2)]
    _place(shop, "alan")
    listed = orders.list_my_orders(shop["grace"], ALL, filters=MyOrderFilters(sort="total"))
    assert [o.id for o in listed.data] == [mine[1], mine[2], mine[0]]
    # An admin's filter object handed to the customer's list cannot reach other customers.
    sneaky = OrderFilters(customer_id=shop["alan"].id, q="turing")
    listed = orders.list_my_orders(shop["grace"], ALL, filters=sneaky)
    assert sorted(o.id for o in listed.data) == sorted(mine)


def test_orders_of_a_deleted_customer_stay_listed_without_customer(shop):
    gone = _place(shop, "alan")
    kept = _place(shop, "grace")
    users.delete_user(shop["admin"], shop["alan"].id)
    page = orders.list_orders(shop["admin"], ALL)
    assert {o.id: o.customer for o in page.data}[gone] is None
    assert {o.id: o.customer for o in page.data}[kept].email == "grace.hopper@navy.example.com"
    assert _ids(shop, q="turing") == []
    assert _ids(shop, q=str(gone)) == [gone]


def test_only_admins_list_every_order(shop):
    with pytest.raises(Forbidden):
        orders.list_orders(shop["grace"], ALL, filters=OrderFilters(q="grace"))


@pytest.mark.parametrize(
    "bad",
    [
        {"created_from": "2025-03-02", "created_to": "2025-03-01"},
        {"created_from": "1700000000"},
        {"created_to": "2025-03-01T00:00:00"},
        {"created_to": "2025-02-30"},
        {"sort": "price"},
        {"status": ["lost"]},
        {"customer_id": 0},
        {"q": "x" * 256},
        {"q": "a\x00b"},
    ],
)
def test_bad_filters_are_refused_when_built(bad):
    with pytest.raises(ValidationError):
        OrderFilters(**bad)


# 100,000 orders of 10,000 customers over three years: enough for PostgreSQL to prefer an index
# wherever one fits. (The test starts from empty tables, so the customers get ids 1 to 10,000.)
_LOAD = [
    "INSERT INTO users (name, email, hashed_password, role, created_at, updated_at)"
    " SELECT 'Customer ' || i, 'customer-' || i || '@example.com', 'x', 'user', now(), now()"
    " FROM generate_series(1, 10000) AS i",
    "INSERT INTO orders (user_id, status, total, created_at, updated_at)"
    " SELECT 1 + i % 10000, (ARRAY['pending','shipped','delivered','cancelled'])[1 + i % 4],"
    " (i * 7919) % 100000 / 100.0, timestamptz '2023-01-01' + i * interval '15 minutes', now()"
    " FROM generate_series(1, 100000) AS i",
    "ANALYZE users",
    "ANALYZE orders",
]
# Narrow searches: neither their page nor their total may read the orders table through.
SELECTIVE = [
    OrderFilters(q="customer-1234@"),
    OrderFilters(q="#4242"),
    OrderFilters(q="CUSTOMER 9999", status=["pending", "shipped"]),
    OrderFilters(customer_id=77, sort="-total"),
    OrderFilters(created_from=date(2023, 6, 1), created_to=date(2023, 6, 1), sort="-total"),
]
# Broad lists: the total counts many rows, but the page comes off an index in order.
ORDERED = [
    OrderFilters(),
    OrderFilters(sort="created_at"),
    OrderFilters(sort="-total"),
    OrderFilters(sort="total"),
    OrderFilters(status=["shipped"]),
]


def _plan(statement) -> str:
    compiled = statement.compile(get_engine(), compile_kwargs={"render_postcompile": True})
    with get_engine().connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
        return "\n".join(row[0] for row in rows)


def test_searches_are_served_by_indexes():
    """The plans at a million orders are in docs/benchmarks.md; this keeps a query or index
    change from losing them (as `id = n OR user_id IN (...)` would: a sequential scan)."""
    if get_engine().dialect.name != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    with get_engine().begin() as conn:
        for statement in _LOAD:
            conn.execute(text(statement))
    for filters in SELECTIVE:
        with session_scope() as session:
            found = order_queries.matching_customers(session, filters)
        assert (found is not None) == (filters.q is not None), filters
        # As the list runs it (the customers' ids), and as the export does (a subquery).
        for customers in {None, tuple(found or ())}:
            for statement in order_queries.page_statements(
                filters, PageParams(), customers=None if customers is None else list(customers)
            ):
                plan = _plan(statement)
                assert "Seq Scan on orders" not in plan, (filters, plan)
    for filters in ORDERED:
        _count, page = order_queries.page_statements(filters, PageParams(page=3))
        plan = _plan(page)
        assert "Seq Scan on orders" not in plan, (filters, plan)
        assert "Sort" not in plan, (filters, plan)


def test_the_list_loads_customers_in_one_query_whatever_the_page_size(shop):
    for who in ("grace", "alan", "odd"):
        _place(shop, who)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(get_engine(), "before_cursor_execute", count)
    try:
        orders.list_orders(shop["admin"], ALL)
    finally:
        event.remove(get_engine(), "before_cursor_execute", count)
    # The total, the page, its lines, its customers: four statements for any number of rows.
    assert len(statements) == 4, statements
    assert sum("FROM users" in s for s in statements) == 1, statements


def test_only_ascii_digits_name_an_order():
    assert OrderFilters(q="#12").order_number == 12
    assert OrderFilters(q="\u0661\u0662").order_number is None  # Arabic-Indic "12"
    assert OrderFilters(q="12a").order_number is None
    assert OrderFilters(q="#99999999999").order_number is None


def test_a_broad_search_finds_what_a_narrow_one_would(shop, monkeypatch):
    """Past NARROW_SEARCH customers the search is a subquery: the same orders, in order."""
    for who in ("grace", "alan", "odd", "grace"):
        _place(shop, who)
    searches = [{"q": "a"}, {"q": "grace", "sort": "-total"}, {"q": "#1"}, {"q": "navy"}]
    narrow = [_ids(shop, **search) for search in searches]
    monkeypatch.setattr(order_queries, "NARROW_SEARCH", 0)
    assert [_ids(shop, **search) for search in searches] == narrow
    assert all(narrow[:2])


def test_a_narrow_search_sends_its_customers_ids(shop):
    """Told the ids, PostgreSQL sees how few orders they can have (docs/benchmarks.md: a name
    with a status went from 120 ms to 3 ms); told a pattern, it has to guess."""
    _place(shop, "grace")
    statements: list[str] = []

    def sent(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(get_engine(), "before_cursor_execute", sent)
    try:
        assert _ids(shop, q="hopper", status=["pending"])
    finally:
        event.remove(get_engine(), "before_cursor_execute", sent)
    # Planned for these ids, never by a generic plan for any ids (see matching_customers).
    assert statements[0] == "SET LOCAL plan_cache_mode = force_custom_plan"
    lookup, count, page = statements[1:4]
    assert "FROM users" in lookup
    for statement in (count, page):
        assert "= ANY" in statement, statement
        assert "users" not in statement, statement
