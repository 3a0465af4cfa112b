"""What the order is, one card each: its items and total, where it goes, who ordered it (for
admins) and its status history."""

from __future__ import annotations

import reflex as rx

from oms_app.pages.order_detail.state import OrderDetailState
from oms_app.pages.order_detail.view import EventView


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="4", margin_bottom="0.75em"),
        *children,
        width="100%",
        **props,
    )


def items_section() -> rx.Component:
    order = OrderDetailState.order
    return section(
        "Items",
        rx.flex(
            rx.foreach(
                order.lines,
                lambda line: rx.flex(
                    rx.flex(
                        rx.text(line.quantity.to_string() + " \u00d7 " + line.name, size="2"),
                        rx.text(line.unit_price + " each", size="1", color_scheme="gray"),
                        direction="column",
                    ),
                    rx.spacer(),
                    rx.text(line.line_total, size="2", weight="medium"),
                    align="center",
                    spacing="3",
                    class_name="order-line",
                ),
            ),
            rx.separator(size="4"),
            rx.flex(
                rx.text("Total", weight="bold"),
                rx.spacer(),
                rx.text(order.total, weight="bold", id="order-total"),
            ),
            direction="column",
            spacing="2",
        ),
    )


def address_section() -> rx.Component:
    order = OrderDetailState.order
    return section(
        "Delivery address",
        rx.cond(
            order.address.length() > 0,
            rx.el.address(
                rx.foreach(order.address, lambda line: rx.text(line, size="2")),
                font_style="normal",
                id="order-address",
            ),
            rx.text("No address was given with this order.", size="2"),
        ),
    )


def history_section() -> rx.Component:
    def event(item: rx.Var[EventView]) -> rx.Component:
        return rx.el.li(
            rx.text(
                rx.cond(
                    item.from_status == "",
                    rx.text.strong("placed (" + item.to_status + ")"),
                    rx.fragment(item.from_status, " \u2192 ", rx.text.strong(item.to_status)),
                ),
                size="2",
            ),
            rx.text("by " + item.who + ", " + item.when, size="1", color_scheme="gray"),
            class_name="order-event",
            margin_bottom="0.5em",
        )

    return section(
        "History",
        rx.el.ol(rx.foreach(OrderDetailState.order.events, event), padding_left="1.25em"),
        id="order-history",
    )


def customer_section(admin: bool) -> rx.Component:
    order = OrderDetailState.order
    if not admin:
        return rx.fragment()
    return section(
        "Customer",
        rx.cond(
            order.customer_id > 0,
            rx.flex(
                rx.link(
                    order.customer_name,
                    href="/admin/users/" + order.customer_id.to_string(),
                    underline="always",
                    weight="medium",
                ),
                rx.text(order.customer_email, size="2"),
                direction="column",
                spacing="1",
            ),
            rx.text("The account has been deleted; the order is kept.", size="2"),
        ),
        id="order-customer",
    )
