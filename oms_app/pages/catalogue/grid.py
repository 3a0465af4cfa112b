"""The products the catalogue shows: a card each (the whole card links to the product, with an
add-to-cart form on top), in a grid, or why there are none."""

from __future__ import annotations

import reflex as rx

from oms_app.components.layout import loading
from oms_app.components.products import add_form, picture, stock_badge
from oms_app.pages.catalogue.state import CatalogueState
from oms_app.state.shop import ProductCard


def product_card(product: rx.Var[ProductCard]) -> rx.Component:
    href = "/products/" + product.id.to_string()
    return rx.card(
        rx.flex(
            picture(product.thumbnail_url, product.name, lazy=True),
            rx.flex(
                rx.heading(
                    # The link stretches over the whole card (its ::after), so the card is the
                    # link; the add-to-cart form sits above it.
                    rx.link(
                        product.name,
                        href=href,
                        class_name="product-link",
                        underline="hover",
                        color_scheme="gray",
                        high_contrast=True,
                        style={"&::after": {"content": "''", "position": "absolute", "inset": "0"}},
                    ),
                    as_="h2",
                    size="4",
                    class_name="product-name",
                ),
                stock_badge(product),
                justify="between",
                align="start",
                spacing="2",
            ),
            rx.cond(
                product.category != "",
                rx.text(product.category, size="1", color_scheme="gray", high_contrast=True),
            ),
            rx.text(
                product.description,
                size="2",
                color_scheme="gray",
                high_contrast=True,
                # Two lines at most here; the product's page shows the rest.
                style={
                    "display": "-webkit-box",
                    "-webkit-line-clamp": "2",
                    "-webkit-box-orient": "vertical",
                    "overflow": "hidden",
                },
            ),
            rx.spacer(),
            rx.text(product.price_label, size="5", weight="bold"),
            add_form(product, CatalogueState.add_to_cart),
            direction="column",
            spacing="2",
            height="100%",
        ),
        key=product.id,
        class_name="product-card",
        position="relative",
    )


def product_grid() -> rx.Component:
    state = CatalogueState
    return rx.cond(
        state.rows.length() > 0,
        rx.grid(
            rx.foreach(state.rows, product_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            state.loaded & ~state.loading,
            rx.cond(
                state.error == "",
                rx.callout(
                    rx.cond(
                        state.filtered,
                        "No products match your search and filters.",
                        "The catalogue is empty.",
                    ),
                    icon="package-search",
                    id="no-products",
                ),
            ),
            rx.cond(state.error == "", loading()),
        ),
    )
