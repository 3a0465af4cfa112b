"""Catalogue filters from text, as a page's URL query or a form holds them, with the same rules
as the REST API and refusals in plain words."""

from __future__ import annotations

from pydantic import ValidationError

from oms_app.core.errors import InvalidInput
from oms_app.models.product import ProductFilters, ProductSort

_PLAIN = {
    "category": "Choose a category by its id or its address name (letters, digits, hyphens)",
    "min_price": "The lowest price must be a number of at least 0, with at most 2 decimals",
    "max_price": "The highest price must be a number of at least 0, with at most 2 decimals",
    "in_stock": "'In stock' must be true or false",
    "sort": "Sort by one of: " + ", ".join(sort.value for sort in ProductSort),
}


def filters_from_text(
    category: str | None = None,
    min_price: str | None = None,
    max_price: str | None = None,
    in_stock: str | bool | None = None,
    sort: str | None = None,
) -> ProductFilters:
    """Blank values mean "no filter" (and the default sort); anything else must be valid, or
    InvalidInput says which value is wrong."""
    given = {
        "category": category,
        "min_price": min_price,
        "max_price": max_price,
        "in_stock": in_stock,
        "sort": sort,
    }
    present = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in given.items()
        if value is not None and (not isinstance(value, str) or value.strip())
    }
    try:
        return ProductFilters.model_validate(present)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = error["loc"][0] if error["loc"] else None
        if field in _PLAIN:
            raise InvalidInput(_PLAIN[field]) from None
        # The one rule across fields: the range's ends in order.
        raise InvalidInput("The lowest price must not be more than the highest") from None
