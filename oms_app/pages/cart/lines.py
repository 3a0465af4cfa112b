"""What the cart holds: a card per line (its quantity committed on blur, a Remove button and
what is wrong with it), or a note that it is empty."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.pages.cart.state import CartPageState
from oms_app.state.cart import CartRow


def cart_line(row: rx.Var[CartRow]) -> rx.Component:
    quantity_id = "cart-quantity-" + row.product_id.to_string()
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading(row.name, as_="h2", size="3", class_name="cart-line-name"),
                rx.text(
                    row.price_label, " each", size="2", color_scheme="gray", high_contrast=True
                ),
                direction="column",
                flex="1 1 12em",
            ),
            rx.box(
                labelled_input(
                    "Quantity",
                    quantity_id,
                    name="quantity",
                    type="number",
                    min=1,
                    default_value=row.quantity.to_string(),
                    # Committed on blur, so clearing the field to retype never drops the line.
                    on_blur=lambda value: CartPageState.change_quantity(row.product_id, value),
                    size="2",
                    # Re-mount when the quantity changes elsewhere (another tab, the catalogue).
                    key=quantity_id + "-" + row.quantity.to_string(),
                ),
                width="6em",
            ),
            rx.text(row.line_total_label, weight="bold", size="3", min_width="6em", align="right"),
            rx.button(
                rx.icon("trash-2", size=16, aria_hidden="true"),
                "Remove",
                on_click=CartPageState.remove(row.product_id),
                variant="soft",
                high_contrast=True,
                color_scheme="red",
                size="2",
                aria_label="Remove " + row.name,
            ),
            align="end",
            spacing="4",
            wrap="wrap",
        ),
        inline_error(
            CartPageState.line_errors.get(row.product_id.to_string(), ""),
            class_name="line-error",
            margin_top="0.5em",
        ),
        class_name="cart-line",
        width="100%",
    )


def empty_cart() -> rx.Component:
    return rx.callout(
        rx.flex(
            rx.text("Your cart is empty."),
            rx.link("Browse the catalogue", href=routes.CATALOGUE, underline="always"),
            spacing="2",
            wrap="wrap",
        ),
        icon="shopping-cart",
        id="cart-empty",
    )
