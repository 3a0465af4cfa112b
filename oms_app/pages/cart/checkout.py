"""Checking out: the delivery address (for a shopper who is logged in), the total and the
Place order button, in one form."""

from __future__ import annotations

import reflex as rx

from oms_app.components.forms import NATIVE_SELECT, field_error, field_label
from oms_app.models.address import country_list
from oms_app.pages.cart.state import ADDRESS_FIELDS, CartPageState
from oms_app.state.cart import CartState
from oms_app.state.form_errors import FORM
from oms_app.state.session import SessionState

AUTOCOMPLETE = {
    "full_name": "shipping name",
    "line1": "shipping address-line1",
    "line2": "shipping address-line2",
    "city": "shipping address-level2",
    "postal_code": "shipping postal-code",
    "country": "shipping country",
    "phone": "shipping tel",
}


def _optional() -> rx.Component:
    return rx.text("optional", size="1", color_scheme="gray", high_contrast=True)


def _address_input(name: str, label: str, required: bool) -> rx.Component:
    control_id = f"address-{name}"
    start = CartPageState.address.get(name, "")
    if name == "country":
        control = rx.el.select(
            rx.el.option("Choose a country…", value=""),
            *(rx.el.option(c.name, value=c.code) for c in country_list()),
            id=control_id,
            name=name,
            default_value=start,
            auto_complete=AUTOCOMPLETE[name],
            # A native select: 249 countries, typed-to-find and phone-friendly.
            style=NATIVE_SELECT,
            aria_invalid=rx.cond(CartPageState.errors.contains(name), "true", "false"),
            aria_describedby=f"{control_id}-error",
        )
    else:
        control = rx.input(
            id=control_id,
            name=name,
            default_value=start,
            auto_complete=AUTOCOMPLETE[name],
            type="tel" if name == "phone" else "text",
            size="3",
            width="100%",
            aria_invalid=rx.cond(CartPageState.errors.contains(name), "true", "false"),
            aria_describedby=f"{control_id}-error",
        )
    return rx.flex(
        rx.flex(
            field_label(label, control_id),
            # Beside the label, not in it: the input's name stays what the shopper reads first.
            *([] if required else [_optional()]),
            spacing="2",
            align="baseline",
        ),
        control,
        field_error(CartPageState.errors, name, id=f"{control_id}-error"),
        direction="column",
        spacing="1",
        width="100%",
    )


def address_form() -> rx.Component:
    """The delivery address: the service's rules, said beside each field."""
    return rx.el.fieldset(
        rx.el.legend(rx.heading("Delivery address", as_="h2", size="4"), margin_bottom="0.5em"),
        rx.grid(
            *(_address_input(*field) for field in ADDRESS_FIELDS),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
            # Re-mounted when the prefill arrives, so the inputs start from it.
            key=CartPageState.address_version.to_string(),
        ),
        field_error(CartPageState.errors, FORM, margin_top="0.5em"),
        border="none",
        padding="0",
        margin="0",
        min_width="0",
        width="100%",
    )


def checkout() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.cond(
                SessionState.is_authenticated,
                rx.card(address_form(), width="100%"),
            ),
            rx.flex(
                rx.text(
                    "Total: ", rx.text.strong(CartState.total_label, id="cart-total"), size="5"
                ),
                rx.spacer(),
                rx.cond(
                    ~SessionState.is_authenticated,
                    rx.text("You will be asked to log in first.", size="2", color_scheme="gray"),
                ),
                rx.button("Place order", type="submit", loading=CartPageState.placing, size="3"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            direction="column",
            spacing="3",
            width="100%",
            padding_top="1em",
        ),
        on_submit=CartPageState.place_order,
        id="checkout",
        width="100%",
    )
