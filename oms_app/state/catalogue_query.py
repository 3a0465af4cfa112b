"""The catalogue's URL query: what the shopper searched, filtered, sorted and paged, read from
the address bar and written back to it, so a reload keeps it, Back undoes it and a link shares it.

Names: `q`, `category`, `sort`, `min_price`, `max_price`, `in_stock`, `page`. Values are checked
by the same rules as the REST API (services/product_filters.py); a bad one is reported in plain
words, never turned into an error page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlencode

from oms_app import routes
from oms_app.core.errors import InvalidInput
from oms_app.models.common import MAX_INT32
from oms_app.models.product import ProductFilters, ProductSort
from oms_app.services.product_filters import filters_from_text
from oms_app.services.search import search_problem

# What the sort control offers, in the order it offers them.
SORTS: tuple[tuple[str, str], ...] = (
    (ProductSort.NEWEST.value, "Newest"),
    (ProductSort.PRICE.value, "Price: low to high"),
    (ProductSort.PRICE_DESC.value, "Price: high to low"),
    (ProductSort.NAME.value, "Name"),
)
# A query value is at most this long when kept for display; anything longer is wrong anyway.
_MAX_VALUE = 300
_TRUE = {"true", "1", "yes", "on"}
BAD_PAGE = "The page must be a whole number of at least 1."
BAD_SORT = "Sort by " + ", ".join(label for _, label in SORTS[:-1]) + f" or {SORTS[-1][1]}."


@dataclasses.dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    category: str = ""
    sort: str = ProductSort.NEWEST.value
    min_price: str = ""
    max_price: str = ""
    in_stock: bool = False
    page: int = 1

    def with_changes(self, **changes: object) -> CatalogueQuery:
        """The query with these values, from the first page unless a page is given."""
        return dataclasses.replace(self, **{"page": 1, **changes})  # type: ignore[arg-type]

    def url(self) -> str:
        """The catalogue's address for this query; defaults are left out."""
        pairs = [
            ("q", self.q.strip()),
            ("category", self.category),
            ("sort", "" if self.sort == ProductSort.NEWEST.value else self.sort),
            ("min_price", self.min_price.strip()),
            ("max_price", self.max_price.strip()),
            ("in_stock", "true" if self.in_stock else ""),
            ("page", str(self.page) if self.page > 1 else ""),
        ]
        query = urlencode([(name, value) for name, value in pairs if value])
        return f"{routes.CATALOGUE}?{query}" if query else routes.CATALOGUE


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    query: CatalogueQuery
    filters: ProductFilters | None  # None when a value is wrong
    problem: str  # what is wrong, in plain words; "" when nothing is


def parse(params: Mapping[str, str]) -> ParsedQuery:
    """The catalogue query an address carries. Missing or blank values are defaults; the first
    wrong value is named in `problem`, and the query keeps what was given, for the controls."""

    def value(name: str) -> str:
        raw = params.get(name, "")
        return raw[:_MAX_VALUE] if isinstance(raw, str) else ""

    q, category, sort = value("q"), value("category").strip(), value("sort").strip()
    min_price, max_price, in_stock = value("min_price"), value("max_price"), value("in_stock")
    page_text = value("page").strip()
    page = int(page_text) if page_text.isascii() and page_text.isdigit() else 0
    query = CatalogueQuery(
        q=q,
        category=category,
        sort=sort or ProductSort.NEWEST.value,
        min_price=min_price.strip(),
        max_price=max_price.strip(),
        in_stock=in_stock.strip().lower() in _TRUE,
        page=min(max(page, 1), MAX_INT32),
    )
    problem = search_problem(q.strip()) or ""
    if not problem and page_text and not 1 <= page <= MAX_INT32:
        problem = BAD_PAGE
    if not problem and sort and sort not in {value for value, _ in SORTS}:
        problem = BAD_SORT  # in the words the sort control uses, not the API's values
    filters = None
    if not problem:
        try:
            filters = filters_from_text(category, min_price, max_price, in_stock, sort)
        except InvalidInput as exc:
            problem = _sentence(exc.message)
    return ParsedQuery(query, filters if not problem else None, problem)


def prices_problem(min_price: str, max_price: str) -> str:
    """What is wrong with a price range typed into the catalogue's form; "" when nothing is."""
    try:
        filters_from_text(min_price=min_price[:_MAX_VALUE], max_price=max_price[:_MAX_VALUE])
    except InvalidInput as exc:
        return _sentence(exc.message)
    return ""


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."
