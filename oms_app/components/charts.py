"""The dashboard's charts. They take plain rows, so any page can feed them."""

from __future__ import annotations

from typing import Any

import reflex as rx

ORDERS_COLOR = "var(--indigo-9)"
REVENUE_COLOR = "var(--grass-9)"


def chart_card(title: str, chart: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="4", margin_bottom="0.5em"),
        chart,
        width="100%",
        **props,
    )


def daily_chart(rows: rx.Var[list[dict[str, Any]]]) -> rx.Component:
    """Orders (bars, left axis) and revenue (line, right axis): rows of day, orders, revenue."""
    return rx.recharts.composed_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="day", interval="preserveStartEnd", min_tick_gap=16),
        rx.recharts.y_axis(y_axis_id="orders", allow_decimals=False, width=40),
        rx.recharts.y_axis(y_axis_id="revenue", orientation="right", width=60),
        rx.recharts.bar(data_key="orders", name="Orders", y_axis_id="orders", fill=ORDERS_COLOR),
        rx.recharts.line(
            data_key="revenue",
            name="Revenue ($)",
            y_axis_id="revenue",
            stroke=REVENUE_COLOR,
            stroke_width=2,
            dot=False,
            type_="monotone",
        ),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        data=rows,
        width="100%",
        height=300,
    )


def status_chart(rows: rx.Var[list[dict[str, Any]]]) -> rx.Component:
    """Orders by status as a pie: rows of status/orders/fill."""
    return rx.recharts.pie_chart(
        rx.recharts.pie(
            data=rows,
            data_key="orders",
            name_key="status",
            inner_radius="45%",
            outer_radius="80%",
            padding_angle=2,
            label=True,
        ),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        width="100%",
        height=300,
    )
