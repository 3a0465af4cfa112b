"""The catalogue: search, a category, a price range, in-stock only, a sort, page by page.

All of it lives in the URL query (state/catalogue_query.py): every control navigates to the
address of what it asks for, and the page shows whatever its address says, so a reload keeps a
search, Back undoes it and a link shares it. Visitors may browse and fill a cart; only placing
the order needs a login.
"""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import field_label, inline_error, labelled_input, search_input
from oms_app.components.layout import link_button, loading
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.products import add_form, picture, stock_badge
from oms_app.components.templates import page
from oms_app.core.errors import DomainError
from oms_app.models.category import CategoryPublic
from oms_app.models.common import Page, PageParams
from oms_app.models.product import ProductPublic
from oms_app.models.user import User
from oms_app.services import categories, products
from oms_app.services.product_filters import filters_from_text
from oms_app.state import catalogue_query
from oms_app.state.catalogue_query import SORTS, CatalogueQuery
from oms_app.state.form import form_text
from oms_app.state.list_page import ListPageState
from oms_app.state.shop import ProductCard, add_shown_product, card_of

ALL = "all"  # the category select's "no category" (a select item's value cannot be empty)
_SORT_VALUES = {value for value, _ in SORTS}


class CategoryOption(BaseModel):
    value: str  # the slug
    label: str


class CatalogueState(ListPageState, rx.State):
    rows: list[ProductCard] = []
    # What the address says (kept as given, so a wrong value shows where it is wrong).
    search: str = ""
    category: str = ""
    sort: str = SORTS[0][0]
    min_price: str = ""
    max_price: str = ""
    in_stock: bool = False
    categories: list[CategoryOption] = []
    # A wrong price typed into the form: said there, and nothing navigates.
    price_error: str = ""
    # The search last typed, until the address it navigated to loads: an older address loading
    # meanwhile must not put older text back into the box under the shopper's fingers.
    _typed_search: str | None = None

    page_size = 12
    needs_login = False

    def _fetch(self, actor: User | None, params: PageParams) -> Page[ProductPublic]:
        # Checked by `load` already (the address is the only way in).
        filters = filters_from_text(
            self.category, self.min_price, self.max_price, self.in_stock, self.sort
        )
        return products.list_products(params, self.search, filters)

    def _row(self, item: ProductPublic) -> ProductCard:
        return card_of(item)

    def _query(self) -> CatalogueQuery:
        return CatalogueQuery(
            q=self.search,
            category=self.category,
            sort=self.sort,
            min_price=self.min_price,
            max_price=self.max_price,
            in_stock=self.in_stock,
            page=self.page,
        )

    def _go(self, **changes: object):
        """Navigate to the catalogue with these changes; its on_load then shows them. Asking
        for what is already shown adds no history entry for Back to step through."""
        target = self._query().with_changes(**changes).url()
        if target == catalogue_query.parse(self.router.url.query_parameters).query.url():
            return None
        return rx.redirect(target)

    @rx.var
    def category_choice(self) -> str:
        """The category select's value: the slug of the category the address names."""
        ref = self.category.lower()
        for option in self.categories:
            if option.value == ref:
                return option.value
        return ALL

    @rx.var
    def filtered(self) -> bool:
        return self._query().with_changes() != CatalogueQuery(sort=self.sort)

    # --- the page's address --------------------------------------------------------------------

    @rx.event
    async def load(self):
        """on_load, whenever the address changes: show what it asks for."""
        parsed = catalogue_query.parse(self.router.url.query_parameters)
        query = parsed.query
        typed, self._typed_search = self._typed_search, None
        if typed is None or typed == query.q:
            self.search = query.q
        self.category, self.sort = query.category, query.sort
        self.min_price, self.max_price = query.min_price, query.max_price
        self.in_stock = query.in_stock
        self.page, self.price_error = query.page, ""
        try:
            found = await run_in_threadpool(categories.all_categories)
        except DomainError:
            found = []
        self.categories = [_option(c) for c in found]
        if parsed.problem:
            self.rows, self.total, self.total_pages = [], 0, 0
            self.error, self.loaded = parsed.problem, True
            return
        async for update in self._reload():
            yield update
        if self.page != query.page:  # past the last page: the address says where we are
            yield rx.redirect(self._query().url(), replace=True)

    @rx.event
    def set_search(self, value: str):
        # The service says what is too long; this only bounds memory. Shown at once, while the
        # address catches up.
        self.search = self._typed_search = str(value)[:1000]
        return self._go(q=self.search)

    @rx.event
    def set_category(self, value: str):
        value = str(value)
        return self._go(category="" if value == ALL else value[:100])

    @rx.event
    def set_sort(self, value: str):
        return self._go(sort=value if value in _SORT_VALUES else SORTS[0][0])

    @rx.event
    def set_in_stock(self, value: bool):
        return self._go(in_stock=value is True)

    @rx.event
    def apply_prices(self, form: dict):
        low = form_text(form, "min_price", 100).strip()
        high = form_text(form, "max_price", 100).strip()
        self.price_error = catalogue_query.prices_problem(low, high)
        if self.price_error:
            return None
        return self._go(min_price=low, max_price=high)

    @rx.event
    def next_page(self):
        if self.page < self.total_pages:
            return self._go(page=self.page + 1)
        return None

    @rx.event
    def previous_page(self):
        if self.page > 1:
            return self._go(page=self.page - 1)
        return None

    # --- the cart --------------------------------------------------------------------------------

    @rx.event
    async def add_to_cart(self, form: dict):
        wanted = form_text(form, "product_id", 20).strip()
        product = next((p for p in self.rows if str(p.id) == wanted), None)
        if product is None:
            return rx.toast.error("This product is no longer listed.")
        return await add_shown_product(self, product, form_text(form, "quantity", 20).strip())


def _option(category: CategoryPublic) -> CategoryOption:
    return CategoryOption(value=category.slug, label=f"{category.name} ({category.product_count})")


# --- components ------------------------------------------------------------------------------


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


def _select(
    label: str, control_id: str, value: rx.Var[str], on_change, items: list[rx.Component]
) -> rx.Component:
    return rx.flex(
        field_label(label, control_id),
        rx.select.root(
            rx.select.trigger(id=control_id, width="100%"),
            rx.select.content(*items),
            value=value,
            on_change=on_change,
        ),
        direction="column",
        spacing="1",
        min_width="11em",
        flex="1 1 11em",
    )


def _filters() -> rx.Component:
    state = CatalogueState
    return rx.flex(
        rx.flex(
            search_input("search", state.search, state.set_search, flex="2 1 16em"),
            _select(
                "Category",
                "category-filter",
                state.category_choice,
                state.set_category,
                [
                    rx.select.item("All categories", value=ALL),
                    rx.foreach(
                        state.categories,
                        lambda option: rx.select.item(option.label, value=option.value),
                    ),
                ],
            ),
            _select(
                "Sort by",
                "sort-order",
                state.sort,
                state.set_sort,
                [rx.select.item(label, value=value) for value, label in SORTS],
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        rx.flex(
            rx.form(
                rx.flex(
                    rx.box(
                        labelled_input(
                            "Min price",
                            "min-price",
                            name="min_price",
                            default_value=state.min_price,
                            input_mode="decimal",
                            placeholder="0.00",
                            size="2",
                        ),
                        width="7.5em",
                    ),
                    rx.box(
                        labelled_input(
                            "Max price",
                            "max-price",
                            name="max_price",
                            default_value=state.max_price,
                            input_mode="decimal",
                            placeholder="any",
                            size="2",
                        ),
                        width="7.5em",
                    ),
                    rx.button("Apply prices", type="submit", variant="soft", size="2"),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=state.apply_prices,
                # Re-mounted when the address changes the range, so the inputs show it.
                key=state.min_price + "|" + state.max_price,
            ),
            rx.el.label(
                rx.flex(
                    rx.switch(checked=state.in_stock, on_change=state.set_in_stock, id="in-stock"),
                    rx.text("In stock only", size="2", weight="medium"),
                    spacing="2",
                    align="center",
                ),
                html_for="in-stock",
                padding_bottom="0.4em",
            ),
            rx.cond(
                state.filtered | (state.error != ""),
                link_button("Clear filters", routes.CATALOGUE, variant="ghost", size="2"),
            ),
            rx.cond(state.loading, rx.spinner(size="3", id="catalogue-loading")),
            spacing="4",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        inline_error(state.price_error, id="price-error"),
        direction="column",
        spacing="3",
        margin_bottom="1.5em",
    )


@page(routes.CATALOGUE, "Catalogue", on_load=CatalogueState.load)
def catalogue() -> rx.Component:
    state = CatalogueState
    return rx.fragment(
        _filters(),
        list_feedback(state),
        product_grid(),
        pagination(state),
    )
