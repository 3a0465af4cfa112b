"""The customer view for admins: profile, order count, lifetime spend and their orders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_app.core.errors import Forbidden, NotFound
from oms_app.models.common import PageParams
from oms_app.models.order import OrderCreate, OrderStatus
from oms_app.models.order_filters import OrderFilters
from oms_app.models.user import Role
from oms_app.services import customers, orders
from tests.services.test_concurrency import _product, _user

pytestmark = pytest.mark.usefixtures("database")


def test_overview_counts_every_order_and_spends_only_what_was_not_cancelled():
    admin = _user("boss@example.com", Role.ADMIN)
    grace = _user("grace@example.com", name="Grace")
    other = _user("alan@example.com")
    product_id = _product(stock=100)  # 5.00 each

    def place(who, quantity):
        return orders.place_order(who, OrderCreate(product_id=product_id, quantity=quantity)).order

    kept = [place(grace, 1), place(grace, 3)]
    cancelled = place(grace, 10)
    orders.cancel_order(grace, cancelled.id)
    orders.change_status(admin, kept[1].id, OrderStatus.SHIPPED)
    place(other, 7)

    overview = customers.customer_overview(admin, grace.id)
    assert (overview.profile.id, overview.profile.name) == (grace.id, "Grace")
    assert overview.order_count == 3
    assert overview.lifetime_spend == Decimal("20.00")
    assert overview.last_order_at == cancelled.created_at
    their_orders = orders.list_orders(
        admin, PageParams(), filters=OrderFilters(customer_id=grace.id)
    )
    assert [o.id for o in their_orders.data] == [cancelled.id, kept[1].id, kept[0].id]


def test_a_customer_without_orders_has_spent_nothing():
    admin = _user("boss@example.com", Role.ADMIN)
    new = _user("new@example.com")
    overview = customers.customer_overview(admin, new.id)
    assert (overview.order_count, overview.lifetime_spend, overview.last_order_at) == (
        0,
        Decimal("0.00"),
        None,
    )


def test_only_admins_see_customers_that_exist():
    admin = _user("boss@example.com", Role.ADMIN)
    grace = _user("grace@example.com")
    with pytest.raises(Forbidden):
        customers.customer_overview(grace, grace.id)
    with pytest.raises(NotFound):
        customers.customer_overview(admin, 999_999)
