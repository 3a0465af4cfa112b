"""What a crafted client can do over the state websocket without a browser: nothing costly, and
nothing that lands in the log as a line of its own.

Every public method of a Reflex state is an event handler anyone can call with any arguments.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from oms_app.pages.admin_customer import CustomerState
from oms_app.pages.admin_dashboard import DashboardState
from oms_app.pages.admin_orders.state import OrdersAdminState
from oms_app.pages.admin_users import UsersAdminState
from oms_app.pages.cart.state import CartPageState
from oms_app.pages.order_detail.state import OrderDetailState
from oms_app.pages.orders import MyOrdersState
from tests.e2e.conftest import transactions
from tests.e2e.crafted_socket import CraftedSocket

STATS_SETTLE_MS = 11_000  # see test_live.py
ROUNDS = 300


def _handler(state: type, name: str) -> str:
    return f"{state.get_full_name()}.{name}"


def test_a_visitor_socket_flooding_every_list_handler_costs_the_database_nothing(
    page: Page, base_url: str, app_database: str
) -> None:
    """Issue 8, finding 3: one logged-out socket sending a background watcher 2,000 times drove
    PostgreSQL to ~1,700 transactions/s. No handler a visitor reaches may start such work."""
    handlers = [
        _handler(MyOrdersState, "load"),
        _handler(MyOrdersState, "refresh"),
        _handler(MyOrdersState, "next_page"),
        _handler(MyOrdersState, "watch"),  # the old poller's name: gone
        _handler(OrdersAdminState, "load"),
        _handler(OrdersAdminState, "open"),
        _handler(OrderDetailState, "open"),
        _handler(OrderDetailState, "refresh"),
        _handler(OrderDetailState, "change_status"),
        _handler(OrderDetailState, "add_note"),
        _handler(CustomerState, "open"),
        _handler(UsersAdminState, "load"),
        _handler(DashboardState, "load"),
    ]
    socket = CraftedSocket(base_url)
    try:
        page.wait_for_timeout(STATS_SETTLE_MS)
        before = transactions(app_database)
        for _ in range(ROUNDS):
            for handler in handlers:
                # An order's address, so the order page gets as far as asking who is there.
                socket.emit(handler, path="/orders/1")
        answered = socket.drain()
        # Long enough for any loop started by those events to have queried several times.
        page.wait_for_timeout(STATS_SETTLE_MS)
        spent = transactions(app_database) - before
    finally:
        socket.close()
    assert answered > 0, "the server did not process the events"
    assert spent == 0, f"{len(handlers) * ROUNDS} visitor events ran {spent} transactions"


def test_rejected_event_arguments_cannot_forge_or_flood_log_lines(
    base_url: str, app_log: Path
) -> None:
    """Issue 8, finding 6: Reflex logged rejected arguments in full, raw newlines included."""
    marker = "FORGED-LINE-0c1d"
    forged = f"1\n2026-01-01 00:00:00,000 INFO oms.activity: {marker} order created"
    huge = "x" * 300_000
    size_before = app_log.stat().st_size
    socket = CraftedSocket(base_url)
    try:
        for _ in range(2):
            socket.emit(
                _handler(CartPageState, "change_quantity"),
                {"product_id": forged, "value": huge},
                path="/cart",
            )
            socket.emit(_handler(OrdersAdminState, "change_status"), {"order_id": forged})
        socket.drain()
    finally:
        socket.close()
    written = app_log.read_bytes()[size_before:].decode(errors="replace")
    assert marker in written, "the server did not log the rejected arguments at all"
    # The forged text stays inside Reflex's warning, escaped: no line of its own.
    assert not any(line.startswith("2026-01-01 00:00:00,000") for line in written.splitlines())
    assert len(written) < 20_000, f"four events added {len(written):,} characters to the log"
