"""The catalogue's state: what the address asks for, the page of products it selects, the
controls that navigate to a new address, and adding a shown product to the cart."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

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
