"""Paging arithmetic and the cart's quantity rules, without a browser."""

from __future__ import annotations

import pytest

from oms_app.models.common import MAX_INT32, MAX_QUANTITY
from oms_app.pages.admin_orders.state import _at, _page_in
from oms_app.state.cart import only_left, quantity_problem
from oms_app.state.paging import clamp_page


@pytest.mark.parametrize(
    ("page", "total_pages", "shown"),
    [(1, 0, 1), (1, 3, 1), (3, 3, 3), (4, 3, 3), (9, 1, 1), (0, 3, 1), (-2, 0, 1)],
)
def test_a_page_past_the_end_shows_the_last_one(page: int, total_pages: int, shown: int) -> None:
    assert clamp_page(page, total_pages) == shown


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("", 1),
        ("page=3", 3),
        ("q=ada&page=2&status=pending", 2),
        ("page=2&page=5", 5),  # the last one, as the query reads
        ("page=0", 1),
        ("page=-4", 1),
        ("page=nine", 1),
        ("page=%D9%A3", 1),  # an Arabic-Indic three: a digit, but not a page number here
        ("page=" + "9" * 40, MAX_INT32),
    ],
)
def test_the_admin_order_list_reads_its_page_from_the_address(query: str, page: int) -> None:
    assert _page_in(query) == page


def test_the_first_page_is_the_address_without_a_page() -> None:
    assert _at("") == "/admin/orders"
    assert _at("q=ada", 1) == "/admin/orders?q=ada"
    assert _at("q=ada", 2) == "/admin/orders?q=ada&page=2"
    assert _at("", 3) == "/admin/orders?page=3"


@pytest.mark.parametrize(
    ("quantity", "stock", "problem"),
    [
        (1, 3, None),
        (3, 3, None),
        (4, 3, "Only 3 left."),
        (1, 0, "Out of stock."),
        (0, 3, "Quantity must be at least 1. To take a product out, use Remove."),
        (-5, 3, "Quantity must be at least 1. To take a product out, use Remove."),
        (MAX_QUANTITY + 1, 10**9, f"At most {MAX_QUANTITY:,} of one product per order."),
    ],
)
def test_a_line_never_holds_more_than_the_stock_seen_nor_less_than_one(
    quantity: int, stock: int, problem: str | None
) -> None:
    assert quantity_problem(quantity, stock) == problem


def test_only_left_reads_naturally() -> None:
    assert only_left(2) == "Only 2 left."
    assert only_left(0) == "Out of stock."
