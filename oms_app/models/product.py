"""The catalogue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import CheckConstraint, Index, Numeric
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import Description, Money, Name, Price, Stock, timestamp_field


class Product(SQLModel, table=True):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="ck_products_stock_non_negative"),
        CheckConstraint("price > 0", name="ck_products_price_positive"),
        # Serves the catalogue's "newest first" page among live products.
        Index("ix_products_listing", "is_deleted", "created_at", "id"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=255, index=True)
    description: str = SQLField(default="", max_length=1000)
    price: Decimal = SQLField(sa_type=Numeric(10, 2))
    stock: int = SQLField(default=0)
    is_deleted: bool = SQLField(default=False, index=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description = ""
    price: Price
    stock: Stock = 0


class ProductUpdate(BaseModel):
    """A partial update: fields left out keep their value; `null` is not a value."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Description | None = None
    price: Price | None = None
    stock: Stock | None = None


class ProductPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    price: Money
    stock: int
    is_deleted: bool
    created_at: datetime
    updated_at: datetime
