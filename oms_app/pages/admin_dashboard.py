"""/admin: the shop at a glance: revenue, orders by status, shoppers, low stock, last 30 days."""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import busy, data_table
from oms_app.components.charts import chart_card, daily_chart, status_chart
from oms_app.components.format import money
from oms_app.components.templates import admin_page
from oms_app.core.errors import DomainError
from oms_app.services import dashboard, statuses
from oms_app.services.stock_levels import LOW_STOCK_THRESHOLD
from oms_app.state.list_page import PageState


class LowStockRow(BaseModel):
    id: int
    name: str
    stock: int


class DashboardState(PageState, rx.State):
    revenue: str = money(0)
    order_count: int = 0
    shopper_count: int = 0
    low_stock_count: int = 0
    low_stock: list[LowStockRow] = []
    daily: list[dict[str, Any]] = []
    by_status: list[dict[str, Any]] = []
    # Empty slices would only stack "0" labels on top of one another.
    status_slices: list[dict[str, Any]] = []

    @rx.event
    async def load(self):
        self.loading = True
        yield
        try:
            actor = await self._actor()
            board = await run_in_threadpool(dashboard.get_dashboard, actor)
        except DomainError as exc:
            yield self._failed(exc, on_load=True)
            return
        finally:
            self.loading = False
        self.revenue = money(board.revenue)
        self.order_count = board.order_count
        self.shopper_count = board.shopper_count
        self.low_stock_count = board.low_stock_count
        self.low_stock = [LowStockRow(**p.model_dump()) for p in board.low_stock]
        self.daily = [
            {"day": d.day.strftime("%d %b"), "orders": d.orders, "revenue": float(d.revenue)}
            for d in board.daily
        ]
        self.by_status = [
            {
                "status": statuses.label(s.status),
                "orders": s.orders,
                "fill": statuses.chart_color(s.status),
            }
            for s in board.orders_by_status
        ]
        self.status_slices = [row for row in self.by_status if row["orders"]]
        self.loaded = True


def _figure(label: str, value: rx.Var, icon: str, figure_id: str) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.icon(icon, size=22, color="var(--accent-11)", aria_hidden="true"),
            rx.flex(
                rx.text(label, size="2"),
                rx.text(value, size="6", weight="bold", id=figure_id),
                direction="column",
            ),
            spacing="3",
            align="center",
        ),
        flex="1 1 150px",
    )


def _figures() -> rx.Component:
    return rx.flex(
        _figure("Revenue", DashboardState.revenue, "wallet", "figure-revenue"),
        _figure("Orders", DashboardState.order_count, "receipt", "figure-orders"),
        _figure("Shoppers", DashboardState.shopper_count, "users", "figure-shoppers"),
        _figure("Low stock", DashboardState.low_stock_count, "triangle-alert", "figure-low-stock"),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def _status_breakdown() -> rx.Component:
    return rx.flex(
        rx.foreach(
            DashboardState.by_status,
            lambda row: rx.badge(
                row["status"].to(str), ": ", row["orders"].to(int), variant="surface", size="2"
            ),
        ),
        spacing="2",
        wrap="wrap",
        margin_top="0.5em",
    )


def _low_stock_table() -> rx.Component:
    return data_table(
        ("ID", "Product", "Stock"),
        DashboardState.low_stock,
        lambda p: rx.table.row(
            rx.table.cell(p.id),
            rx.table.row_header_cell(p.name),
            rx.table.cell(
                rx.badge(
                    p.stock, color_scheme=rx.cond(p.stock == 0, "red", "amber"), variant="surface"
                )
            ),
        ),
        empty=DashboardState.low_stock.length() == 0,
        empty_message=f"Every product has more than {LOW_STOCK_THRESHOLD} in stock.",
        actions=False,
        size="1",
    )


def _content() -> rx.Component:
    return rx.flex(
        _figures(),
        rx.grid(
            chart_card("Orders and revenue, last 30 days", daily_chart(DashboardState.daily)),
            chart_card(
                "Orders by status",
                rx.fragment(
                    rx.cond(
                        DashboardState.order_count > 0,
                        status_chart(DashboardState.status_slices),
                        rx.center(rx.text("No orders yet."), height="300px"),
                    ),
                    _status_breakdown(),
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        chart_card(
            f"Low stock ({LOW_STOCK_THRESHOLD} or fewer, live products)",
            rx.flex(
                _low_stock_table(),
                rx.link(
                    "Manage products →", href=routes.ADMIN_PRODUCTS, size="2", underline="always"
                ),
                direction="column",
                spacing="2",
            ),
        ),
        direction="column",
        spacing="4",
        width="100%",
    )


@admin_page(routes.ADMIN, "Dashboard", on_load=DashboardState.load)
def admin_dashboard() -> rx.Component:
    return rx.cond(
        DashboardState.loaded,
        _content(),
        rx.center(busy(DashboardState.loading), padding="3em"),
    )
