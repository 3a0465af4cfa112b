"""The catalogue: search as you type, page by page, and put products in the cart.

Visitors may browse and fill a cart; only placing the order needs a login.
"""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.format import money
from oms_app.components.forms import field_label, labelled_input
from oms_app.components.layout import layout, loading
from oms_app.components.pagination import pagination
from oms_app.core.errors import DomainError
from oms_app.models.common import MAX_QUANTITY, PageParams, SearchText
from oms_app.services import products
from oms_app.state.cart import CartLine, CartState
from oms_app.state.pagination import PagedState
from oms_app.state.session import SessionState

PAGE_SIZE = 12
_search_text = TypeAdapter(SearchText)


class ProductCard(BaseModel):
    id: int
    name: str
    description: str
    price: float
    price_label: str
    stock: int


class CatalogueState(PagedState, rx.State):
    search: str = ""
    products: list[ProductCard] = []
    loading: bool = False
    loaded: bool = False
    error: str = ""

    @rx.event
    async def load(self):
        self.loading = True
        yield
        try:
            term = _search_text.validate_python(self.search)
            result = await run_in_threadpool(
                products.list_products, PageParams(page=self.page, limit=PAGE_SIZE), term
            )
        except ValidationError:
            self.error = "Search for at most 255 characters of ordinary text."
            return
        except DomainError as exc:
            self.error = exc.message
            return
        finally:
            self.loading = False
        if not result.data and self.page > 1:
            # The catalogue shrank under us (or a search narrowed it): show its last page.
            self.page = max(result.total_pages, 1)
            yield CatalogueState.load
            return
        self.error = ""
        self.loaded = True
        self.total, self.total_pages = result.total, result.total_pages
        self.products = [
            ProductCard(
                id=p.id,
                name=p.name,
                description=p.description,
                price=float(p.price),
                price_label=money(p.price),
                stock=p.stock,
            )
            for p in result.data
        ]

    @rx.event
    def set_search(self, value: str):
        self.search = value
        self.page = 1
        return CatalogueState.load

    @rx.event
    async def add_to_cart(self, form: dict[str, str]):
        product = next((p for p in self.products if str(p.id) == form.get("product_id")), None)
        if product is None:
            return rx.toast.error("This product is no longer listed.")
        if product.stock <= 0:
            return rx.toast.error(f"{product.name} is out of stock.")
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
        cart.add_line(line)
        return rx.toast.success(f"Added {line.quantity} \u00d7 {line.name} to your cart.")


def stock_badge(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.cond(
        product.stock > 0,
        rx.badge(product.stock.to_string() + " in stock", color_scheme="green", variant="soft"),
        rx.badge("Out of stock", color_scheme="red", variant="soft"),
    )


def details_dialog(product: rx.Var[ProductCard]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Details", variant="soft", size="2", type="button")),
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


def product_card(product: rx.Var[ProductCard]) -> rx.Component:
    quantity_id = "quantity-" + product.id.to_string()
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading(product.name, size="4", class_name="product-name"),
                stock_badge(product),
                justify="between",
                align="start",
                spacing="2",
            ),
            rx.text(
                product.description,
                size="2",
                color_scheme="gray",
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
            rx.form(
                rx.el.input(type="hidden", name="product_id", value=product.id.to_string()),
                rx.flex(
                    rx.box(
                        labelled_input(
                            "Quantity",
                            quantity_id,
                            name="quantity",
                            type="number",
                            min=1,
                            max=MAX_QUANTITY,
                            default_value="1",
                            size="2",
                        ),
                        width="5.5em",
                    ),
                    rx.button(
                        rx.icon("shopping-cart", size=16),
                        "Add to cart",
                        type="submit",
                        disabled=product.stock <= 0,
                        size="2",
                    ),
                    details_dialog(product),
                    align="end",
                    spacing="3",
                    wrap="wrap",
                ),
                on_submit=CatalogueState.add_to_cart,
            ),
            direction="column",
            spacing="2",
            height="100%",
        ),
        key=product.id,
        class_name="product-card",
    )


def search_box() -> rx.Component:
    return rx.flex(
        field_label("Search products", "search"),
        rx.debounce_input(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                id="search",
                value=CatalogueState.search,
                on_change=CatalogueState.set_search,
                placeholder="Name contains…",
                max_length=255,
                size="3",
                width="100%",
            ),
            debounce_timeout=300,
        ),
        direction="column",
        spacing="1",
        width="100%",
        max_width="32em",
    )


def product_grid() -> rx.Component:
    return rx.cond(
        CatalogueState.products.length() > 0,
        rx.grid(
            rx.foreach(CatalogueState.products, product_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            CatalogueState.loaded & ~CatalogueState.loading,
            rx.callout(
                rx.cond(
                    CatalogueState.search != "",
                    "No products match your search.",
                    "The catalogue is empty.",
                ),
                icon="package-search",
                id="no-products",
            ),
            loading(),
        ),
    )


@rx.page(
    route=routes.CATALOGUE,
    title="Catalogue · OMS",
    on_load=[SessionState.load_optional_user, CatalogueState.load],
)
def catalogue_page() -> rx.Component:
    return layout(
        rx.flex(
            search_box(),
            rx.cond(CatalogueState.loading, rx.spinner(size="3", id="catalogue-loading")),
            align="end",
            spacing="3",
            margin_bottom="1.5em",
        ),
        rx.cond(
            CatalogueState.error != "",
            rx.callout(CatalogueState.error, icon="triangle-alert", color_scheme="red"),
        ),
        product_grid(),
        pagination(CatalogueState),
        title="Catalogue",
    )
