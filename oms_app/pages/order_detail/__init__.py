"""One order: /orders/{id} for its owner, /admin/orders/{id} for admins.

Its lines at the prices paid, the total, where it goes, its status history, the moves the viewer
may make now (each confirmed first) and, for admins, the internal notes with a form to add one.
The page is live: a change made anywhere is pushed to it (state/live.py). An order the service
will not show this viewer (missing, or someone else's) reads as not found, whichever it is.
"""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.layout import link_button, loading
from oms_app.components.lists import live_updates
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import admin_page, page
from oms_app.pages.order_detail.actions import moves, notes_section
from oms_app.pages.order_detail.sections import (
    address_section,
    customer_section,
    history_section,
    items_section,
)
from oms_app.pages.order_detail.state import OrderDetailState


def _not_found(back: str, back_label: str) -> rx.Component:
    return rx.flex(
        rx.callout(
            "There is no order at this address, or it is not yours to see.",
            icon="search-x",
            id="order-not-found",
        ),
        link_button(back_label, back, variant="soft", align_self="start"),
        direction="column",
        spacing="3",
    )


def order_details(admin: bool) -> rx.Component:
    state = OrderDetailState
    back, back_label = (
        (routes.ADMIN_ORDERS, "All orders") if admin else (routes.ORDERS, "My orders")
    )
    return rx.fragment(
        live_updates(state),
        rx.cond(
            state.missing,
            _not_found(back, back_label),
            rx.cond(
                state.loaded,
                rx.flex(
                    rx.flex(
                        rx.heading("Order #" + state.order.id.to_string(), as_="h2", size="5"),
                        status_badge(state.order.status, class_name="order-status"),
                        rx.text("Placed " + state.order.placed, size="2"),
                        rx.spacer(),
                        moves(),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                        width="100%",
                    ),
                    rx.grid(
                        items_section(),
                        rx.flex(
                            customer_section(admin),
                            address_section(),
                            direction="column",
                            spacing="3",
                        ),
                        columns=rx.breakpoints(initial="1", md="2"),
                        spacing="3",
                        width="100%",
                    ),
                    history_section(),
                    notes_section() if admin else rx.fragment(),
                    rx.link(f"\u2190 {back_label}", href=back, underline="always", size="2"),
                    direction="column",
                    spacing="3",
                    width="100%",
                    id="order-details",
                ),
                rx.cond(state.error == "", loading(), rx.callout(state.error, color_scheme="red")),
            ),
        ),
    )


@page(routes.ORDER, "Order", login=True, on_load=OrderDetailState.open)
def order_page() -> rx.Component:
    return order_details(admin=False)


@admin_page(routes.ADMIN_ORDER, "Order", on_load=OrderDetailState.open)
def admin_order_page() -> rx.Component:
    return order_details(admin=True)
