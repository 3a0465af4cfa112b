"""The catalogue's URL query, read and written without a browser: the names the SPEC fixes,
defaults left out, wrong values named in plain words and never an exception."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from oms_app.models.product import ProductSort
from oms_app.state.catalogue_query import BAD_PAGE, BAD_SORT, CatalogueQuery, parse, prices_problem


def test_an_empty_address_is_the_whole_catalogue_newest_first() -> None:
    parsed = parse({})
    assert parsed.problem == ""
    assert parsed.query == CatalogueQuery()
    assert parsed.filters is not None
    assert parsed.filters.sort is ProductSort.NEWEST
    assert CatalogueQuery().url() == "/"


def test_every_value_survives_the_round_trip_through_the_address() -> None:
    query = CatalogueQuery(
        q="desk lamp & co",
        category="home-office",
        sort="-price",
        min_price="10",
        max_price="99.50",
        in_stock=True,
        page=3,
    )
    url = query.url()
    params = dict(parse_qsl(urlsplit(url).query))
    assert set(params) == {"q", "category", "sort", "min_price", "max_price", "in_stock", "page"}
    parsed = parse(params)
    assert parsed.problem == ""
    assert parsed.query == query
    assert parsed.filters is not None
    assert parsed.filters.min_price == Decimal("10")
    assert parsed.filters.in_stock is True


def test_a_change_goes_back_to_the_first_page_unless_it_is_the_page() -> None:
    query = CatalogueQuery(category="kitchen", page=4)
    assert query.with_changes(sort="price").page == 1
    assert query.with_changes(page=5).page == 5
    assert query.with_changes(q="").url() == "/?category=kitchen"


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"min_price": "abc"}, "The lowest price must be a number"),
        ({"max_price": "-1"}, "The highest price must be a number"),
        ({"min_price": "50", "max_price": "10"}, "The lowest price must not be more than the"),
        ({"sort": "cheapest"}, BAD_SORT),
        ({"category": "no spaces!"}, "Choose a category by its id or its address name"),
        ({"in_stock": "maybe"}, "'In stock' must be true or false"),
        ({"page": "0"}, BAD_PAGE),
        ({"page": "two"}, BAD_PAGE),
        ({"page": "99999999999"}, BAD_PAGE),
        ({"page": "\u0663"}, BAD_PAGE),  # an Arabic-Indic three: digits are ASCII only
        ({"q": "x" * 256}, "Search for at most 255 characters."),
        ({"q": "nul\x00"}, "Search for ordinary text"),
    ],
)
def test_a_wrong_value_is_named_in_plain_words(params: dict[str, str], problem: str) -> None:
    parsed = parse(params)
    assert parsed.problem.startswith(problem)
    assert parsed.problem.endswith(".")
    assert parsed.filters is None
    assert "_" not in parsed.problem.replace("'In stock'", "")  # no field names like min_price


def test_blank_values_are_no_filter_and_the_last_repeat_wins() -> None:
    assert parse({"q": "  ", "category": "", "min_price": " ", "page": ""}).problem == ""
    # parse_qsl keeps the last of a repeated name, as Reflex's router does.
    assert parse(dict(parse_qsl("sort=name&sort=price"))).query.sort == "price"


def test_a_price_range_typed_into_the_form_is_checked_before_navigating() -> None:
    assert prices_problem("10", "") == ""
    assert prices_problem("", "") == ""
    assert prices_problem("1.234", "").startswith("The lowest price must be a number")
    assert prices_problem("9", "3") == "The lowest price must not be more than the highest."
