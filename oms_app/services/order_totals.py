"""The exact totals of the admin's order lists, kept in the cache until something that can change
one happens.

At a million orders the rows of a list page come off an index in a few milliseconds, but its
exact `total` is a count of every match: 10 ms for a surname's 40,000 orders, 50 ms for the
unfiltered list an admin opens first, 130 ms for a search that matches every customer. Totals
are therefore cached per filter (not per page or sort: those share one count) under the
`orders` namespace, which every write that can change any list's total bumps (see
`invalidate`'s callers): an order placed, an order's status changed, a customer renamed or
deleted. As with the catalogue, the writer bumps it before it answers, so whoever placed or
changed an order sees the new total at once; without Redis every total is counted.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Select
from sqlmodel import Session

from oms_app.core.cache import get_cache
from oms_app.models.order_filters import MyOrderFilters, OrderFilters

NAMESPACE = "orders"
_COUNTED = set(OrderFilters.model_fields) - {"sort"}


def total(session: Session, count: Select, filters: MyOrderFilters) -> int:
    """`count`'s result for these filters, from the cache when it holds one."""
    # The filters alone: a route's query object also carries its page and limit.
    key = hashlib.sha256(filters.model_dump_json(include=_COUNTED).encode()).hexdigest()
    counted = get_cache().cached(
        NAMESPACE, f"total:{key}", lambda: str(session.exec(count).one()).encode()
    )
    return int(counted)


def invalidate() -> None:
    get_cache().invalidate(NAMESPACE)
