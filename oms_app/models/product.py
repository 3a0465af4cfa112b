"""The catalogue: products, what admins send, what everyone reads, and how lists are filtered."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Numeric, func, text
from sqlalchemy.orm import relationship
from sqlmodel import Field as SQLField
from sqlmodel import Relationship, SQLModel

from oms_app.core.uploads import upload_url
from oms_app.models.category import Category, CategoryBrief
from oms_app.models.common import (
    Description,
    Money,
    Name,
    NotBool,
    Price,
    RowId,
    Stock,
    timestamp_field,
)


class Product(SQLModel, table=True):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="ck_products_stock_non_negative"),
        CheckConstraint("price > 0", name="ck_products_price_positive"),
        # Each serves one sort of the live catalogue, filtered by category or not, page by page
        # (see docs/benchmarks.md). None holds stock, so a stock change stays a HOT update.
        Index("ix_products_listing", "is_deleted", "created_at", "id"),
        Index("ix_products_price_listing", "is_deleted", "price", "id"),
        Index("ix_products_name_listing", "is_deleted", func.lower(text("name")), "id"),
        Index("ix_products_category_listing", "category_id", "is_deleted", "created_at", "id"),
        Index("ix_products_category_price", "category_id", "is_deleted", "price", "id"),
        Index(
            "ix_products_category_name", "category_id", "is_deleted", func.lower(text("name")), "id"
        ),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=255, index=True)
    description: str = SQLField(default="", max_length=1000)
    price: Decimal = SQLField(sa_type=Numeric(10, 2))
    stock: int = SQLField(default=0)
    is_deleted: bool = SQLField(default=False, index=True)
    # No cascade: a category is deleted only once no live product uses it (services/categories).
    category_id: int | None = SQLField(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("categories.id", name="fk_products_category_id"), nullable=True
        ),
    )
    # Paths inside the upload directory; the files are named at random (services/product_images).
    image_path: str | None = SQLField(default=None, max_length=200)
    thumbnail_path: str | None = SQLField(default=None, max_length=200)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()

    # Loaded with one extra query per page of products, never one per product.
    category: Category | None = Relationship(
        sa_relationship=relationship("Category", lazy="selectin")
    )

    @property
    def image_url(self) -> str | None:
        return upload_url(self.image_path) if self.image_path else None

    @property
    def thumbnail_url(self) -> str | None:
        return upload_url(self.thumbnail_path) if self.thumbnail_path else None


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description = ""
    price: Price
    stock: Stock = 0
    category_id: RowId | None = None


class ProductUpdate(BaseModel):
    """A partial update: fields left out keep their value; `null` is not a value, except for
    `category_id`, where it takes the product out of its category."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Description | None = None
    price: Price | None = None
    stock: Stock | None = None
    category_id: RowId | None = None


class ProductPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    price: Money
    stock: int
    is_deleted: bool
    category: CategoryBrief | None = None
    image_url: str | None = None
    thumbnail_url: str | None = None
    created_at: datetime
    updated_at: datetime


class ProductSort(StrEnum):
    NEWEST = "-created_at"
    PRICE = "price"
    PRICE_DESC = "-price"
    NAME = "name"


# An id (digits) or a slug; anything else is a malformed category, not an unknown one.
CATEGORY_REF_PATTERN = r"^([A-Za-z0-9]+(-[A-Za-z0-9]+)*)?$"
CategoryRef = Annotated[
    str,
    StringConstraints(max_length=100, pattern=CATEGORY_REF_PATTERN),
    Field(description="A category id or slug; an unknown one matches nothing."),
]
PriceBound = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("99999999.99"), max_digits=10, decimal_places=2),
    NotBool,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 99_999_999.99, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^\d{1,8}(\.\d{1,2})?$"},
            ],
            "description": "At least 0, at most 2 decimals; inclusive.",
        }
    ),
]


class ProductFilters(BaseModel):
    """How a catalogue page is narrowed and ordered (the search text travels beside it)."""

    model_config = ConfigDict(extra="forbid")

    category: CategoryRef | None = None
    min_price: PriceBound | None = Field(None, description="Not more than max_price.")
    max_price: PriceBound | None = None
    in_stock: bool = Field(False, description="true: only products with stock; false: all.")
    sort: ProductSort = ProductSort.NEWEST

    @model_validator(mode="after")
    def _range_is_ordered(self) -> ProductFilters:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError("min_price must not be more than max_price")
        return self
