"""Paging arithmetic and the cart's quantity rules, without a browser."""

from __future__ import annotations

import pytest

from oms_app.models.common import MAX_QUANTITY
from oms_app.state.cart import only_left, quantity_problem
from oms_app.state.paging import clamp_page


@pytest.mark.parametrize(
    ("page", "total_pages", "shown"),
    [(1, 0, 1), (1, 3, 1), (3, 3, 3), (4, 3, 3), (9, 1, 1), (0, 3, 1), (-2, 0, 1)],
)
def test_a_page_past_the_end_shows_the_last_one(page: int, total_pages: int, shown: int) -> None:
    assert clamp_page(page, total_pages) == shown


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
