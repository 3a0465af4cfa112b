"""The cart: adjust lines, say where they go, then place them all as one order, or none."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.layout import loading
from oms_app.components.templates import page
from oms_app.pages.cart.checkout import checkout
from oms_app.pages.cart.lines import cart_line, empty_cart
from oms_app.pages.cart.state import CartPageState
from oms_app.state.cart import CartState


@page(routes.CART, "Your cart", on_load=CartPageState.open)
def cart() -> rx.Component:
    return rx.cond(
        rx.State.is_hydrated & CartPageState.checked,
        rx.cond(
            CartState.rows.length() > 0,
            rx.flex(
                rx.foreach(CartState.rows, cart_line),
                checkout(),
                direction="column",
                spacing="3",
                width="100%",
            ),
            empty_cart(),
        ),
        loading(),
    )
