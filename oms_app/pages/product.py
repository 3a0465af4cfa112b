"""/products/{id}: one product, its picture and full description, and "Add to cart"."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.layout import link_button, loading
from oms_app.components.products import add_form, picture, stock_badge
from oms_app.components.templates import page
from oms_app.core.errors import DomainError, NotFound
from oms_app.models.common import MAX_INT32
from oms_app.services import products
from oms_app.state.form import form_text
from oms_app.state.list_page import PageState
from oms_app.state.shop import ProductCard, add_shown_product, card_of

LOADING, FOUND, MISSING = "loading", "found", "missing"


def _product_id(text: object) -> int | None:
    """The id a product address names; None when it names none (letters, zero, too large)."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INT32 else None


class ProductPageState(PageState, rx.State):
    product: ProductCard = ProductCard()
    status: str = LOADING

    @rx.var
    def heading(self) -> str:
        if self.status == FOUND:
            return self.product.name
        return "Product not found" if self.status == MISSING else "Product"

    @rx.event
    async def load(self):
        """on_load: the product the address names, from the catalogue's cache."""
        self.status, self.product = LOADING, ProductCard()
        # The address's last segment ("/products/37", with or without a trailing slash).
        product_id = _product_id(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        if product_id is None:
            self.status = MISSING
            return
        self.loading = True
        yield
        try:
            found = await run_in_threadpool(products.get_product, product_id)
        except NotFound:
            self.status = MISSING
            return
        except DomainError as exc:
            self.status = MISSING
            yield rx.toast.error(exc.message)
            return
        finally:
            self.loading = False
        self.product, self.status = card_of(found), FOUND

    @rx.event
    async def add_to_cart(self, form: dict):
        # The product is the one this page shows, whatever the form claims.
        if self.status != FOUND:
            return rx.toast.error("This product is no longer listed.")
        return await add_shown_product(self, self.product, form_text(form, "quantity", 20).strip())


def _details() -> rx.Component:
    product = ProductPageState.product
    return rx.grid(
        picture(product.image_url, product.name, lazy=False, id="product-image"),
        rx.flex(
            rx.flex(
                rx.text(product.price_label, size="7", weight="bold", id="product-price"),
                stock_badge(product),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                product.category != "",
                rx.text("Category: ", product.category, size="2", id="product-category"),
            ),
            rx.text(
                rx.cond(product.description != "", product.description, "No description."),
                size="3",
                white_space="pre-line",
                id="product-description",
            ),
            add_form(product, ProductPageState.add_to_cart, size="3"),
            link_button("Back to the catalogue", routes.CATALOGUE, variant="soft", size="2"),
            direction="column",
            spacing="4",
            align="start",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="6",
        width="100%",
    )


def _missing() -> rx.Component:
    return rx.flex(
        rx.callout(
            "There is no such product in the catalogue. It may have been removed, or the link "
            "is mistyped.",
            icon="package-x",
            id="product-missing",
        ),
        link_button("Back to the catalogue", routes.CATALOGUE),
        direction="column",
        spacing="4",
        align="start",
    )


@page(routes.PRODUCT, "Product", on_load=ProductPageState.load, heading=ProductPageState.heading)
def product_page() -> rx.Component:
    state = ProductPageState
    return rx.match(
        state.status,
        (FOUND, _details()),
        (MISSING, _missing()),
        loading(),
    )
