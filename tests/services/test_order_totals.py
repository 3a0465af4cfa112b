"""The admin's order-list totals come from the cache, and every change that can move one
invalidates them before the change is answered."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from oms_app.core.cache import get_cache
from oms_app.core.db import get_engine, session_scope
from oms_app.models.common import PageParams
from oms_app.models.order import OrderStatus
from oms_app.models.order_filters import MyOrderFilters, OrderFilters
from oms_app.models.user import UserUpdate
from oms_app.services import orders, users
from tests.services import test_order_search
from tests.services.test_order_search import _place

pytestmark = pytest.mark.usefixtures("database")
shop = test_order_search.shop  # the same three customers, product and admin
FIRST = PageParams(page=1, limit=1)


def _total(shop, **filters) -> int:
    return orders.list_orders(shop["admin"], FIRST, filters=OrderFilters(**filters)).total


def _slip_in_an_order(shop) -> None:
    """An order written behind the service's back: only the cache can hide it."""
    with session_scope() as session:
        session.execute(
            text(
                "INSERT INTO orders (user_id, status, total, created_at, updated_at)"
                " VALUES (:user, 'pending', 1, now(), now())"
            ),
            {"user": shop["grace"].id},
        )


@pytest.fixture
def counts():
    """The COUNT statements the database is sent while the test runs."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT COUNT"):
            seen.append(statement)

    event.listen(get_engine(), "before_cursor_execute", before)
    yield seen
    event.remove(get_engine(), "before_cursor_execute", before)


def test_a_total_is_counted_once_for_every_page_and_sort_of_a_filter(shop, counts):
    for _ in range(3):
        _place(shop, "grace")
    assert _total(shop, q="grace") == 3
    assert _total(shop, q="grace", sort="-total") == 3
    assert orders.list_orders(
        shop["admin"], PageParams(page=2, limit=1), filters=OrderFilters(q="grace")
    ).data
    assert len(counts) == 1
    assert _total(shop, q="alan") == 0
    assert len(counts) == 2


def test_the_cache_is_what_answers(shop):
    _place(shop, "grace")
    assert _total(shop) == 1
    _slip_in_an_order(shop)
    assert _total(shop) == 1  # the cached total, not a new count
    get_cache().client.flushdb()
    assert _total(shop) == 2


def test_a_new_order_counts_at_once(shop):
    _place(shop, "grace")
    assert (_total(shop), _total(shop, status=["pending"])) == (1, 1)
    _slip_in_an_order(shop)
    _place(shop, "alan")  # placed through the service: every total is recounted
    assert (_total(shop), _total(shop, status=["pending"])) == (3, 3)


def test_a_status_change_moves_the_totals_by_status(shop):
    order_id = _place(shop, "grace")
    assert (_total(shop, status=["pending"]), _total(shop, status=["shipped"])) == (1, 0)
    orders.change_status(shop["admin"], order_id, OrderStatus.SHIPPED)
    assert (_total(shop, status=["pending"]), _total(shop, status=["shipped"])) == (0, 1)
    orders.cancel_order(shop["admin"], _place(shop, "grace"))  # a cancellation restocks too
    assert _total(shop, status=["cancelled"]) == 1


def test_renaming_a_customer_moves_the_totals_of_name_and_email_searches(shop):
    _place(shop, "alan")
    assert (_total(shop, q="turing"), _total(shop, q="enigma")) == (1, 0)
    users.update_user(shop["admin"], shop["alan"].id, UserUpdate(name="Enigma Breaker"))
    assert (_total(shop, q="turing"), _total(shop, q="enigma")) == (1, 1)  # the email still has it
    users.update_user(shop["admin"], shop["alan"].id, UserUpdate(email="alan@bletchley.example"))
    assert _total(shop, q="turing") == 0


def test_deleting_a_customer_empties_their_filter(shop):
    _place(shop, "alan")
    assert _total(shop, customer_id=shop["alan"].id) == 1
    users.delete_user(shop["admin"], shop["alan"].id)
    assert _total(shop, customer_id=shop["alan"].id) == 0
    assert _total(shop) == 1  # the order itself stays


def test_a_customers_own_list_is_always_counted(shop, counts):
    _place(shop, "grace")
    for _ in range(2):
        assert orders.list_my_orders(shop["grace"], FIRST, filters=MyOrderFilters()).total == 1
    assert len(counts) == 2


def test_a_route_query_object_counts_once_for_all_its_pages(shop, counts):
    from oms_app.api.routes.orders import OrderQuery

    _place(shop, "grace")
    for page in (1, 2, 3):
        query = OrderQuery(q="grace", page=page, limit=1)
        assert orders.list_orders(shop["admin"], query, filters=query).total == 1
    assert len(counts) == 1
