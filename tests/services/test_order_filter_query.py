"""Admin order filters read from and written to a page's URL query: the REST API's names and
rules, blanks are no filter, every refusal is plain words, and what is written reads back."""

from __future__ import annotations

from datetime import date

import pytest

from oms_app.core.errors import InvalidInput
from oms_app.models.order import OrderStatus
from oms_app.models.order_filters import OrderFilters, OrderSort
from oms_app.services.order_filter_query import (
    MAX_QUERY_LENGTH,
    filters_from_query,
    query_of,
)


def test_an_empty_or_blank_query_is_no_filter() -> None:
    assert filters_from_query("") == OrderFilters()
    assert filters_from_query("q=+&created_from=&sort=&status=") == OrderFilters()
    assert query_of(OrderFilters()) == ""


def test_values_are_read_as_the_api_reads_them() -> None:
    filters = filters_from_query(
        "q=%20Ada%40Example%20&status=shipped&status=pending"
        "&created_from=2026-01-01&created_to=2026-01-31&sort=-total&unknown=1"
    )
    assert filters.q == "Ada@Example"
    assert set(filters.status) == {OrderStatus.SHIPPED, OrderStatus.PENDING}
    assert (filters.created_from, filters.created_to) == (date(2026, 1, 1), date(2026, 1, 31))
    assert filters.sort == OrderSort.TOTAL_DESC
    assert filters.customer_id is None  # not something this page's address sets


def test_what_is_written_reads_back_the_same_in_one_order() -> None:
    filters = OrderFilters(
        q="#42",
        status=[OrderStatus.CANCELLED, OrderStatus.PENDING, OrderStatus.PENDING],
        created_from=date(2026, 2, 1),
        sort=OrderSort.OLDEST,
    )
    query = query_of(filters)
    assert query == (
        "q=%2342&status=pending&status=cancelled&created_from=2026-02-01&sort=created_at"
    )
    assert query_of(filters_from_query(query)) == query


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "Choose statuses from: pending, shipped, delivered, cancelled"),
        ("created_from=31.01.2026", "Enter the first day as a date, like 2026-01-31"),
        ("created_to=1700000000", "Enter the last day as a date, like 2026-01-31"),
        ("created_from=2026-02-30", "Enter the first day as a date, like 2026-01-31"),
        ("sort=price", "Sort by one of: newest first, oldest first, highest total, lowest total"),
        ("q=" + "x" * 256, "Search for at most 255 characters of ordinary text"),
        ("q=a%00b", "Search for at most 255 characters of ordinary text"),
        (
            "created_from=2026-02-01&created_to=2026-01-01",
            "The first day must not be after the last day",
        ),
        ("q=" + "x" * MAX_QUERY_LENGTH, "This address is too long to be a search of orders"),
    ],
)
def test_a_value_that_cannot_be_run_is_refused_in_plain_words(query: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        filters_from_query(query)
    assert refused.value.message == message
