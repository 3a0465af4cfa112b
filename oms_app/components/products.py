"""Pieces of a product the catalogue's cards and the product page share."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from oms_app.components.forms import labelled_input
from oms_app.state.shop import ProductCard


def stock_badge(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.cond(
        product.stock > 0,
        rx.badge(
            product.stock.to_string() + " in stock",
            color_scheme="green",
            variant="surface",
            high_contrast=True,
        ),
        rx.badge("Out of stock", color_scheme="red", variant="surface", high_contrast=True),
    )


def picture(src: rx.Var[str], alt: rx.Var[str], *, lazy: bool, **props: object) -> rx.Component:
    """A product's picture, or a plain panel when it has none (nothing for a reader to hear)."""
    frame = {"width": "100%", "aspect_ratio": "4 / 3", "border_radius": "var(--radius-3)"}
    return rx.cond(
        src != "",
        rx.image(
            src=src,
            alt=alt,
            loading="lazy" if lazy else "eager",
            decoding="async",
            object_fit="contain",
            background="var(--gray-a2)",
            **frame,
            **props,
        ),
        rx.center(
            rx.icon("image-off", size=32, color="var(--gray-a9)", aria_hidden="true"),
            background="var(--gray-a3)",
            **frame,
            **props,
        ),
    )


def add_form(
    product: rx.Var[ProductCard], on_submit: EventType, *, size: str = "2"
) -> rx.Component:
    """Quantity and "Add to cart" for one product."""
    quantity_id = "quantity-" + product.id.to_string()
    return rx.form(
        rx.el.input(type="hidden", name="product_id", value=product.id.to_string()),
        rx.flex(
            rx.box(
                labelled_input(
                    "Quantity",
                    quantity_id,
                    name="quantity",
                    type="number",
                    min=1,
                    default_value="1",
                    size=size,
                ),
                width="5.5em",
            ),
            rx.button(
                rx.icon("shopping-cart", size=16, aria_hidden="true"),
                "Add to cart",
                type="submit",
                disabled=product.stock <= 0,
                size=size,
                aria_label="Add to cart: " + product.name,
            ),
            align="end",
            spacing="3",
            wrap="wrap",
        ),
        on_submit=on_submit,
        # Above the card's stretched link (see the catalogue), so it stays usable.
        position="relative",
        z_index="1",
    )
