"""Filters read from a page's URL query: blanks are no filter, and every refusal is plain words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_app.core.errors import InvalidInput
from oms_app.models.product import ProductFilters, ProductSort
from oms_app.services.product_filters import filters_from_text


def test_blank_values_are_no_filter():
    assert filters_from_text() == ProductFilters()
    assert filters_from_text(category=" ", min_price="", max_price="", in_stock="", sort="") == (
        ProductFilters()
    )


def test_values_are_read_as_the_api_reads_them():
    filters = filters_from_text(
        category=" Lamps ", min_price="9.5", max_price="20", in_stock="true", sort="-price"
    )
    assert filters == ProductFilters(
        category="Lamps",
        min_price=Decimal("9.5"),
        max_price=Decimal("20"),
        in_stock=True,
        sort=ProductSort.PRICE_DESC,
    )
    assert filters_from_text(in_stock=False).in_stock is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"category": "no such!"}, "Choose a category by its id or its address name"),
        ({"min_price": "cheap"}, "The lowest price must be a number"),
        ({"max_price": "-1"}, "The highest price must be a number of at least 0"),
        ({"min_price": "1.234"}, "with at most 2 decimals"),
        ({"in_stock": "perhaps"}, "'In stock' must be true or false"),
        ({"sort": "random"}, "Sort by one of: -created_at, price, -price, name"),
        (
            {"min_price": "30", "max_price": "20"},
            "The lowest price must not be more than the highest",
        ),
    ],
)
def test_refusals_say_which_value_and_why(values, message):
    with pytest.raises(InvalidInput, match=message):
        filters_from_text(**values)
