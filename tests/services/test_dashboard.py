"""The dashboard's figures against real orders: revenue, statuses, shoppers, stock and days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from oms_app.core.db import session_scope
from oms_app.core.errors import Forbidden
from oms_app.models.order import Order, OrderStatus
from oms_app.services import auth
from oms_app.services.dashboard import DAYS_SHOWN, get_dashboard

TODAY = datetime.now(UTC).date()


def _user(headers: dict):
    user, _ = auth.authenticate(headers["Authorization"].removeprefix("Bearer "))
    return user


def _order(client, headers: dict, product_id: int, quantity: int) -> dict:
    response = client.post(
        "/api/v1/orders/", json={"product_id": product_id, "quantity": quantity}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def _set_status(client, headers: dict, order_id: int, status: str) -> None:
    response = client.put(f"/api/v1/orders/{order_id}", json={"status": status}, headers=headers)
    assert response.status_code == 200, response.text


def _backdate(order_id: int, days: int) -> None:
    with session_scope() as session:
        session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(created_at=datetime.now(UTC) - timedelta(days=days))
        )


def test_empty_shop_has_zero_figures_and_a_full_calendar(admin_headers):
    board = get_dashboard(_user(admin_headers))
    assert board.revenue == 0
    assert board.order_count == 0
    assert board.shopper_count == 0
    assert [row.status for row in board.orders_by_status] == list(OrderStatus)
    assert all(row.orders == 0 for row in board.orders_by_status)
    assert len(board.daily) == DAYS_SHOWN
    assert board.daily[-1].day == TODAY
    assert board.daily[0].day == TODAY - timedelta(days=DAYS_SHOWN - 1)


def test_figures_count_what_the_spec_says(
    client, admin_headers, alice_headers, bob_headers, make_product
):
    widget = make_product("Widget", price=10.00, stock=50)
    gadget = make_product("Gadget", price=2.50, stock=3)
    make_product("Gizmo", price=1.00, stock=6)
    gone = make_product("Gone", price=1.00, stock=0)
    assert client.delete(f"/api/v1/products/{gone['id']}", headers=admin_headers).status_code == 200

    _order(client, alice_headers, widget["id"], 2)  # 20.00, pending
    shipped = _order(client, bob_headers, gadget["id"], 2)  # 5.00, shipped
    cancelled = _order(client, alice_headers, widget["id"], 1)  # 10.00, cancelled: no revenue
    _set_status(client, admin_headers, shipped["id"], "shipped")
    _set_status(client, admin_headers, cancelled["id"], "cancelled")

    board = get_dashboard(_user(admin_headers))

    assert board.revenue == Decimal("25.00")
    assert board.order_count == 3
    assert board.shopper_count == 2  # Alice and Bob; the admin is not a shopper
    assert {row.status: row.orders for row in board.orders_by_status} == {
        OrderStatus.PENDING: 1,
        OrderStatus.SHIPPED: 1,
        OrderStatus.DELIVERED: 0,
        OrderStatus.CANCELLED: 1,
    }
    # Gadget is down to 1 (<= 5); Gizmo has 6; the deleted product does not count.
    assert board.low_stock_count == 1
    assert [(p.name, p.stock) for p in board.low_stock] == [("Gadget", 1)]
    assert board.daily[-1].orders == 3
    assert board.daily[-1].revenue == Decimal("25.00")


def test_orders_land_on_their_day_and_old_ones_fall_out(
    client, admin_headers, alice_headers, make_product
):
    widget = make_product("Widget", price=4.00, stock=50)
    three_days_ago = _order(client, alice_headers, widget["id"], 1)
    too_old = _order(client, alice_headers, widget["id"], 3)
    _backdate(three_days_ago["id"], 3)
    _backdate(too_old["id"], DAYS_SHOWN + 5)

    board = get_dashboard(_user(admin_headers))

    by_day = {row.day: row for row in board.daily}
    assert by_day[TODAY - timedelta(days=3)].orders == 1
    assert by_day[TODAY - timedelta(days=3)].revenue == Decimal("4.00")
    assert sum(row.orders for row in board.daily) == 1
    # The all-time figures still include the old order.
    assert board.order_count == 2
    assert board.revenue == Decimal("16.00")


def test_a_given_day_anchors_the_calendar(admin_headers):
    board = get_dashboard(_user(admin_headers), today=date(2024, 3, 1))
    assert board.daily[-1].day == date(2024, 3, 1)
    assert board.daily[0].day == date(2024, 2, 1)  # 29 days back across a leap February


def test_shoppers_cannot_see_the_dashboard(alice_headers):
    with pytest.raises(Forbidden):
        get_dashboard(_user(alice_headers))
