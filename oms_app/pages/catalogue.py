"""The catalogue: search as you type, page by page, and put products in the cart.

Visitors may browse and fill a cart; only placing the order needs a login.
"""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app import routes
from oms_app.components.format import money
from oms_app.components.forms import labelled_input, search_input
from oms_app.components.layout import loading
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.templates import page
from oms_app.models.common import MAX_QUANTITY, Page, PageParams
from oms_app.models.product import ProductPublic
from oms_app.models.user import User
from oms_app.services import products
from oms_app.state.cart import CartLine, CartState
from oms_app.state.list_page import ListPageState


class ProductCard(BaseModel):
    id: int
    name: str
    description: str
    price: float
    price_label: str
    stock: int


class CatalogueState(ListPageState, rx.State):
    rows: list[ProductCard] = []
    search: str = ""

    page_size = 12
    needs_login = False

    def _fetch(self, actor: User | None, params: PageParams) -> Page[ProductPublic]:
        return products.list_products(params, self.search)

    def _row(self, item: ProductPublic) -> ProductCard:
        return ProductCard(
            id=item.id,
            name=item.name,
            description=item.description,
            price=float(item.price),
            price_label=money(item.price),
            stock=item.stock,
        )

    @rx.event
    def set_search(self, value: str):
        self.search = value[:1000]  # the service says what is too long; this only bounds memory
        return self._filtered()

    @rx.event
    async def add_to_cart(self, form: dict[str, str]):
        product = next((p for p in self.rows if str(p.id) == form.get("product_id")), None)
        if product is None:
            return rx.toast.error("This product is no longer listed.")
        try:
            line = CartLine(
                product_id=product.id,
                name=product.name,
                price=product.price,
                quantity=form.get("quantity", ""),
                stock=product.stock,
            )
        except ValidationError:
            return rx.toast.error(f"Quantity must be a whole number from 1 to {MAX_QUANTITY:,}.")
        cart = await self.get_state(CartState)
        problem = cart._add(line)
        if problem is not None:
            return rx.toast.error(f"{product.name}: {problem}")
        return rx.toast.success(f"Added {line.quantity} \u00d7 {line.name} to your cart.")


def stock_badge(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.cond(
        product.stock > 0,
        rx.badge(product.stock.to_string() + " in stock", color_scheme="green", variant="surface"),
        rx.badge("Out of stock", color_scheme="red", variant="surface"),
    )


def details_dialog(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(
                "Details",
                variant="soft",
                size="2",
                type="button",
                aria_label="Details: " + product.name,
            )
        ),
        rx.dialog.content(
            rx.dialog.title(product.name),
            rx.dialog.description(
                rx.cond(product.description != "", product.description, "No description."),
                size="3",
            ),
            rx.flex(
                rx.text(product.price_label, weight="bold", size="4"),
                stock_badge(product),
                spacing="3",
                align="center",
                margin_y="1em",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                justify="end",
            ),
            max_width="32em",
        ),
    )


def add_form(product: rx.Var[ProductCard]) -> rx.Component:
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
                    size="2",
                ),
                width="5.5em",
            ),
            rx.button(
                rx.icon("shopping-cart", size=16, aria_hidden="true"),
                "Add to cart",
                type="submit",
                disabled=product.stock <= 0,
                size="2",
                aria_label="Add to cart: " + product.name,
            ),
            details_dialog(product),
            align="end",
            spacing="3",
            wrap="wrap",
        ),
        on_submit=CatalogueState.add_to_cart,
    )


def product_card(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading(product.name, as_="h2", size="4", class_name="product-name"),
                stock_badge(product),
                justify="between",
                align="start",
                spacing="2",
            ),
            rx.text(
                product.description,
                size="2",
                color_scheme="gray",
                high_contrast=True,
                # Two lines at most here; "Details" shows the rest.
                style={
                    "display": "-webkit-box",
                    "-webkit-line-clamp": "2",
                    "-webkit-box-orient": "vertical",
                    "overflow": "hidden",
                },
            ),
            rx.spacer(),
            rx.text(product.price_label, size="5", weight="bold"),
            add_form(product),
            direction="column",
            spacing="2",
            height="100%",
        ),
        key=product.id,
        class_name="product-card",
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
            rx.callout(
                rx.cond(
                    state.search != "",
                    "No products match your search.",
                    "The catalogue is empty.",
                ),
                icon="package-search",
                id="no-products",
            ),
            rx.cond(state.error == "", loading()),
        ),
    )


@page(routes.CATALOGUE, "Catalogue", on_load=CatalogueState.load)
def catalogue() -> rx.Component:
    state = CatalogueState
    return rx.fragment(
        rx.flex(
            search_input("search", state.search, state.set_search, max_width="32em"),
            rx.cond(state.loading, rx.spinner(size="3", id="catalogue-loading")),
            align="end",
            spacing="3",
            margin_bottom="1.5em",
        ),
        list_feedback(state),
        product_grid(),
        pagination(state),
    )
