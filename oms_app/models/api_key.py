"""API keys: credentials for systems, not people, each limited to the scopes it was given."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import text, timestamp_field

MAX_KEY_NAME = 100


class Scope(StrEnum):
    PRODUCTS_READ = "products:read"
    PRODUCTS_WRITE = "products:write"
    ORDERS_READ = "orders:read"
    ORDERS_WRITE = "orders:write"
    USERS_READ = "users:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_created", "created_at", "id"),)

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=MAX_KEY_NAME)
    # The start of the secret, enough to recognise a key in a list, far too little to use it.
    prefix: str = SQLField(max_length=16)
    # HMAC-SHA256 of the whole secret under SECRET_KEY: the secret itself is never stored.
    secret_hash: str = SQLField(max_length=64, unique=True, index=True)
    scopes: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    created_by: int | None = SQLField(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    )
    created_at: datetime = timestamp_field()
    last_used_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))


def _distinct(scopes: list[Scope]) -> list[Scope]:
    # In the order of the Scope enum, each once: how they are stored and shown.
    return [scope for scope in Scope if scope in scopes]


KeyName = text(1, MAX_KEY_NAME)


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: KeyName
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=20), AfterValidator(_distinct)]


class ApiKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """The answer to a create: the only time the secret is ever shown."""

    secret: str
