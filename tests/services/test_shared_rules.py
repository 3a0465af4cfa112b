"""Rules the UI and REST share: the same bad search gets the same plain answer from both."""

from __future__ import annotations

import pytest

from oms_app.core.errors import InvalidInput
from oms_app.models.order import OrderStatus
from oms_app.services import search, statuses, stock_levels


def test_search_is_trimmed_and_empty_is_no_search() -> None:
    assert search.normalise_search("  lamp ") == "lamp"
    assert search.normalise_search("   ") is None
    assert search.normalise_search(None) is None


@pytest.mark.parametrize(
    ("text", "message"), [("x" * 256, search.TOO_LONG), ("a\x00b", search.NOT_TEXT)]
)
def test_a_search_that_cannot_run_is_refused_in_plain_words(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        search.normalise_search(text)
    assert refused.value.message == message


def test_rest_says_what_the_ui_says(client) -> None:
    response = client.get("/api/v1/products/", params={"search": "x" * 256})
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["detail"]] == [search.TOO_LONG]


def test_every_status_has_a_colour_and_every_move_its_wording() -> None:
    assert set(statuses.COLORS) == set(OrderStatus)
    assert statuses.moves(OrderStatus.PENDING) == [
        (OrderStatus.SHIPPED, "Ship"),
        (OrderStatus.CANCELLED, "Cancel order"),
    ]
    assert statuses.moves(OrderStatus.DELIVERED) == []
    assert statuses.label("shipped") == "Shipped"
    assert statuses.chart_color(OrderStatus.PENDING) == "var(--amber-9)"


def test_low_stock_threshold_is_inclusive() -> None:
    assert stock_levels.is_low(stock_levels.LOW_STOCK_THRESHOLD)
    assert not stock_levels.is_low(stock_levels.LOW_STOCK_THRESHOLD + 1)
