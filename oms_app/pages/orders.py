"""My orders, newest first, kept live: a status change made anywhere shows without a reload."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel

from oms_app import routes
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment, money
from oms_app.components.layout import loading
from oms_app.components.lists import list_feedback, live_updates
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import page
from oms_app.models.common import Page, PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.models.user import User
from oms_app.services import activity, live, orders, statuses
from oms_app.state.list_page import ListPageState


class OrderLineRow(BaseModel):
    name: str
    quantity: int
    unit_price_label: str
    line_total_label: str


class OrderRow(BaseModel):
    id: int
    status: str
    total_label: str
    placed_label: str
    can_cancel: bool
    lines: list[OrderLineRow]


class MyOrdersState(ListPageState, rx.State):
    rows: list[OrderRow] = []

    def _fetch(self, actor: User | None, params: PageParams) -> Page[OrderPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return orders.list_my_orders(actor, params)

    def _topic(self, actor: User) -> str:
        return live.my_orders_topic(actor)

    def _row(self, order: OrderPublic) -> OrderRow:
        return OrderRow(
            id=order.id,
            status=order.status.value,
            total_label=money(order.total),
            placed_label=moment(order.created_at),
            can_cancel=any(s == OrderStatus.CANCELLED for s, _ in statuses.moves(order.status)),
            lines=[
                OrderLineRow(
                    name=item.product_name,
                    quantity=item.quantity,
                    unit_price_label=money(item.unit_price),
                    line_total_label=money(item.unit_price * item.quantity),
                )
                for item in order.items
            ],
        )

    @rx.event
    def cancel(self, order_id: int):
        return self._act(
            order_id,
            lambda actor: orders.cancel_order(actor, order_id),
            lambda _: f"Order #{order_id} cancelled; its items are back in stock.",
            after=activity.order_status_changed,
        )


def order_line(line: rx.Var[OrderLineRow]) -> rx.Component:
    return rx.flex(
        rx.flex(
            rx.text(line.quantity.to_string() + " \u00d7 " + line.name, size="2"),
            rx.text(line.unit_price_label + " each", size="1", color_scheme="gray"),
            direction="column",
        ),
        rx.spacer(),
        rx.text(line.line_total_label, size="2", weight="medium"),
        align="center",
        spacing="3",
        width="100%",
    )


def order_card(order: rx.Var[OrderRow]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading(
                    rx.link(
                        "Order #" + order.id.to_string(),
                        href="/orders/" + order.id.to_string(),
                        underline="always",
                    ),
                    as_="h2",
                    size="4",
                ),
                status_badge(order.status, class_name="order-status"),
                rx.spacer(),
                rx.text(order.placed_label, size="2", color_scheme="gray", high_contrast=True),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.separator(size="4"),
            rx.flex(rx.foreach(order.lines, order_line), direction="column", spacing="2"),
            rx.flex(
                rx.text("Total: ", rx.text.strong(order.total_label), size="3"),
                rx.spacer(),
                rx.cond(
                    order.can_cancel,
                    confirm_button(
                        "Cancel order",
                        title="Cancel order #" + order.id.to_string() + "?",
                        question=statuses.MOVE_CONSEQUENCES[OrderStatus.CANCELLED],
                        confirm_label="Cancel order",
                        on_confirm=MyOrdersState.cancel(order.id),
                        loading=MyOrdersState.busy_id == order.id,
                        size="2",
                    ),
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            direction="column",
            spacing="3",
        ),
        id="order-" + order.id.to_string(),
        class_name="order-card",
        width="100%",
    )


def no_orders() -> rx.Component:
    return rx.callout(
        rx.flex(
            rx.text("You have not placed any orders yet."),
            rx.link("Browse the catalogue", href=routes.CATALOGUE, underline="always"),
            spacing="2",
            wrap="wrap",
        ),
        icon="package",
        id="no-orders",
    )


@page(routes.ORDERS, "My orders", login=True, on_load=MyOrdersState.load)
def my_orders() -> rx.Component:
    state = MyOrdersState
    return rx.fragment(
        live_updates(state),
        list_feedback(state),
        rx.cond(
            state.loaded,
            rx.cond(
                state.rows.length() > 0,
                rx.flex(
                    rx.foreach(state.rows, order_card),
                    pagination(state),
                    direction="column",
                    spacing="3",
                    width="100%",
                ),
                no_orders(),
            ),
            rx.cond(state.error == "", loading()),
        ),
    )
