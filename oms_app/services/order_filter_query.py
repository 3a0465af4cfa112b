"""Admin order filters to and from a page's URL query, with the REST API's rules and names
(`q`, repeated `status`, `created_from`, `created_to`, `sort`) and refusals in plain words.

Both directions live here so the address a filter change writes is exactly what a reload,
Back or a shared link reads again.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from pydantic import ValidationError

from oms_app.core.errors import InvalidInput
from oms_app.models.order import OrderStatus
from oms_app.models.order_filters import OrderFilters, OrderSort
from oms_app.services.search import SEARCH_MAX_LENGTH

# A URL query is the browser's to write: past this it is not one this page made.
MAX_QUERY_LENGTH = 4096

SORT_LABELS: dict[OrderSort, str] = {
    OrderSort.NEWEST: "Newest first",
    OrderSort.OLDEST: "Oldest first",
    OrderSort.TOTAL_DESC: "Highest total",
    OrderSort.TOTAL_ASC: "Lowest total",
}

_PLAIN = {
    "q": f"Search for at most {SEARCH_MAX_LENGTH} characters of ordinary text",
    "status": "Choose statuses from: " + ", ".join(s.value for s in OrderStatus),
    "created_from": "Enter the first day as a date, like 2026-01-31",
    "created_to": "Enter the last day as a date, like 2026-01-31",
    "sort": "Sort by one of: " + ", ".join(label.lower() for label in SORT_LABELS.values()),
}
_FIELDS = ("q", "status", "created_from", "created_to", "sort")


def filters_from_query(query: str) -> OrderFilters:
    """The filters a URL query names. Blank values and unknown names mean no filter;
    anything else must be valid, or InvalidInput says which value is wrong."""
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput("This address is too long to be a search of orders")
    given: dict[str, object] = {}
    statuses: list[str] = []
    for name, value in parse_qsl(query, keep_blank_values=False):
        value = value.strip()
        if name == "status":
            statuses.append(value)
        elif name in _FIELDS and value:
            given[name] = value
    if statuses:
        given["status"] = statuses
    try:
        return OrderFilters.model_validate(given)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = error["loc"][0] if error["loc"] else None
        if field in _PLAIN:
            raise InvalidInput(_PLAIN[str(field)]) from None
        # The one rule across fields: the dates in order.
        raise InvalidInput("The first day must not be after the last day") from None


def query_of(filters: OrderFilters) -> str:
    """The URL query for these filters: only what narrows or reorders, in a stable order."""
    pairs: list[tuple[str, str]] = []
    if filters.q:
        pairs.append(("q", filters.q))
    pairs += [("status", s.value) for s in OrderStatus if s in set(filters.status)]
    if filters.created_from:
        pairs.append(("created_from", filters.created_from.isoformat()))
    if filters.created_to:
        pairs.append(("created_to", filters.created_to.isoformat()))
    if filters.sort != OrderSort.NEWEST:
        pairs.append(("sort", filters.sort.value))
    return urlencode(pairs)
