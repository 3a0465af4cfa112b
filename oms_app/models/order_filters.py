"""How order lists are narrowed and sorted: one filter object for the REST lists, the CSV
export and the Reflex pages alike, validated here once."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator

from oms_app.models.common import MAX_INT32, RowId
from oms_app.models.order import OrderStatus
from oms_app.services.search import SearchText

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ORDER_NUMBER = re.compile(r"#?([0-9]{1,10})")  # ASCII digits: \d would take any script


class OrderSort(StrEnum):
    NEWEST = "-created_at"
    OLDEST = "created_at"
    TOTAL_DESC = "-total"
    TOTAL_ASC = "total"


def _iso_date(value: object) -> object:
    # Lax date parsing would also take "1700000000" as a Unix time: only a calendar date is
    # meant here, so only YYYY-MM-DD (or a date object from Python callers) passes.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class MyOrderFilters(BaseModel):
    """What anyone may narrow their own orders by. Dates are whole UTC days, both inclusive."""

    status: list[OrderStatus] = Field(
        default_factory=list, description="Any of these statuses (repeat the parameter)"
    )
    created_from: IsoDate | None = Field(None, description="Placed on or after this UTC day")
    created_to: IsoDate | None = Field(None, description="Placed on or before this UTC day")
    sort: OrderSort = OrderSort.NEWEST

    @model_validator(mode="after")
    def _dates_in_order(self) -> MyOrderFilters:
        if self.created_from and self.created_to and self.created_from > self.created_to:
            raise ValueError("created_from must not be after created_to")
        return self

    def with_status(self, status: OrderStatus | None) -> Self:
        """These filters with one more status allowed (the single `status` argument that
        callers written before this object pass)."""
        if status is None:
            return self
        return self.model_copy(update={"status": [*self.status, OrderStatus(status)]})


class OrderFilters(MyOrderFilters):
    """What an admin may narrow every order by."""

    q: SearchText | None = Field(
        None, description="An order number (42 or #42), or part of the customer's email or name"
    )
    customer_id: RowId | None = None

    @field_validator("q")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @property
    def order_number(self) -> int | None:
        """The order id `q` names, when it reads as one."""
        match = _ORDER_NUMBER.fullmatch(self.q or "")
        if match is None or int(match.group(1)) > MAX_INT32:
            return None
        return int(match.group(1))
