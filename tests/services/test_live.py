"""Order changes are announced after their commit, and a failing listener changes nothing."""

from __future__ import annotations

import pytest

from oms_app.core.errors import Conflict
from oms_app.models.order import OrderCreate, OrderStatus
from oms_app.models.user import Role
from oms_app.services import live, orders
from tests.services.test_concurrency import _product, _user

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def heard():
    changes: list[live.OrderChange] = []
    live.subscribe(changes.append)
    yield changes
    live.unsubscribe(changes.append)


def test_placing_and_moving_an_order_is_announced(heard) -> None:
    product_id = _product(stock=5)
    shopper = _user("shopper@example.com")
    admin = _user("boss@example.com", Role.ADMIN)

    order = orders.place_order(shopper, OrderCreate(product_id=product_id, quantity=1)).order
    orders.change_status(admin, order.id, OrderStatus.SHIPPED)

    assert heard == [
        live.OrderChange(order.id, shopper.id, "pending"),
        live.OrderChange(order.id, shopper.id, "shipped"),
    ]


def test_a_new_order_moves_the_lists_not_its_own_feed(heard) -> None:
    """Nobody can watch an order's own feed before the order exists; a move of that feed per
    new order was a shared-state write for no reader."""
    product_id = _product(stock=5)
    shopper = _user("shopper@example.com")
    admin = _user("boss@example.com", Role.ADMIN)
    order = orders.place_order(shopper, OrderCreate(product_id=product_id, quantity=1)).order
    orders.change_status(admin, order.id, OrderStatus.SHIPPED)

    placed, shipped = heard
    assert live.order_topic(order.id) not in placed.topics
    assert set(placed.topics) == {live.ALL_ORDERS, live.my_orders_topic(shopper)}
    assert live.order_topic(order.id) in shipped.topics


def test_a_refused_change_is_not_announced(heard) -> None:
    product_id = _product(stock=5)
    shopper = _user("shopper@example.com")
    admin = _user("boss@example.com", Role.ADMIN)
    order = orders.place_order(shopper, OrderCreate(product_id=product_id, quantity=1)).order
    heard.clear()

    with pytest.raises(Conflict):
        orders.change_status(admin, order.id, OrderStatus.DELIVERED)
    assert heard == []


def test_a_failing_listener_does_not_undo_or_fail_the_change() -> None:
    def broken(_change: live.OrderChange) -> None:
        raise RuntimeError("listener down")

    live.subscribe(broken)
    try:
        product_id = _product(stock=5)
        shopper = _user("shopper@example.com")
        placed = orders.place_order(shopper, OrderCreate(product_id=product_id, quantity=2))
    finally:
        live.unsubscribe(broken)
    assert orders.get_order(shopper, placed.order.id).status == OrderStatus.PENDING
