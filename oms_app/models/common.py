"""Types shared by every entity's schemas: validated text, money, timestamps and pages."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from sqlalchemy import DateTime
from sqlmodel import Field as SQLField

MAX_PAGE_SIZE = 100
MAX_INT32 = 2_147_483_647


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_field(**kwargs) -> datetime:
    """A timezone-aware column that defaults to now."""
    return SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


def _reject_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps it a 422 instead of a driver error.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Stripping (Unicode White_Space) must leave a required text one character: said in the schema
# (JSON Schema's \S is that class, near enough); validation itself strips and counts.
_NOT_ONLY_WHITESPACE = {"pattern": r"\S"}


def text(min_length: int, max_length: int) -> type[str]:
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_reject_nul),
        Field(json_schema_extra=_NOT_ONLY_WHITESPACE if min_length else None),
    ]


Name = text(1, 255)
Description = text(0, 1000)

# Money is exact in the database and in Python, and a plain JSON number on the wire,
# as the reference's clients expect.
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


def _reject_bool(value: object) -> object:
    # JSON true/false are not numbers, though Python would happily count them as 1 and 0.
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


NotBool = BeforeValidator(_reject_bool)
_PRICE_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 99_999_999.99, "multipleOf": 0.01},
        {"type": "string", "pattern": r"^(?!0+(\.0+)?$)\d{1,8}(\.\d{1,2})?$"},
    ],
    "description": "More than 0, at most 2 decimals",
}
Price = Annotated[
    Decimal,
    Field(gt=0, max_digits=10, decimal_places=2),
    NotBool,
    WithJsonSchema(_PRICE_SCHEMA),
    PlainSerializer(float, return_type=float, when_used="json"),
]
# Field first: constraints placed after a validator would not reach the JSON schema.
Stock = Annotated[int, Field(ge=0, le=1_000_000_000), NotBool]
MAX_QUANTITY = 10_000  # per order line
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY), NotBool]
RowId = Annotated[int, Field(ge=1, le=MAX_INT32), NotBool]

T = TypeVar("T")


class PageParams(BaseModel):
    page: int = Field(1, ge=1, le=MAX_INT32)
    limit: int = Field(10, ge=1, le=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


class Page(BaseModel, Generic[T]):
    """The reference's list envelope, with total_pages computed rather than cached."""

    model_config = ConfigDict(from_attributes=True)

    data: list[T]
    total: int
    page: int
    limit: int
    total_pages: int

    @classmethod
    def of(cls, data: list[T], total: int, params: PageParams) -> Page[T]:
        return cls(
            data=data,
            total=total,
            page=params.page,
            limit=params.limit,
            total_pages=math.ceil(total / params.limit),
        )
