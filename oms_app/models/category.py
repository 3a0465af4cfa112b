"""Catalogue categories: a name shoppers filter by, and the slug that names it in URLs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import text, timestamp_field

MAX_CATEGORY_NAME = 60
MAX_SLUG = 100
CategoryName = text(1, MAX_CATEGORY_NAME)


class Category(SQLModel, table=True):
    __tablename__ = "categories"

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=MAX_CATEGORY_NAME)
    # Derived from the name, lower-cased: its uniqueness also keeps names unique in any case.
    slug: str = SQLField(max_length=MAX_SLUG, unique=True, index=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class CategoryWrite(BaseModel):
    """What an admin sends to create or rename a category; the slug follows the name."""

    model_config = ConfigDict(extra="forbid")

    name: CategoryName


class CategoryBrief(BaseModel):
    """A category as a product shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str


class CategoryPublic(CategoryBrief):
    product_count: int
