"""When stock counts as low: the dashboard lists it, the admin list marks it."""

from __future__ import annotations

LOW_STOCK_THRESHOLD = 5


def is_low(stock: int) -> bool:
    return stock <= LOW_STOCK_THRESHOLD
