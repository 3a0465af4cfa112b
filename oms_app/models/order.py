"""Orders, their lines (with the price paid), where they go, their history and internal notes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.address import ShippingAddress
from oms_app.models.common import Money, Quantity, RowId, text, timestamp_field

NOTE_MAX_LENGTH = 2000


class OrderStatus(StrEnum):
    PENDING = "pending"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


_STATUS_CHECK = "('pending', 'shipped', 'delivered', 'cancelled')"


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(f"status IN {_STATUS_CHECK}", name="ck_orders_status"),
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_idempotency"),
        # One index per way the lists are filtered and sorted (id breaks ties), so a page of
        # a million orders is read from an index in order rather than sorted from a scan.
        Index("ix_orders_created", "created_at", "id"),
        Index("ix_orders_total", "total", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        Index("ix_orders_user_created", "user_id", "created_at", "id"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    # SET NULL: deleting a user keeps the order history.
    user_id: int | None = SQLField(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL")),
    )
    status: str = SQLField(default=OrderStatus.PENDING, max_length=16)
    total: Decimal = SQLField(sa_type=Numeric(12, 2))
    # A ShippingAddress as written when the order was placed (or by an admin while pending).
    shipping_address: dict | None = SQLField(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )
    idempotency_key: str | None = SQLField(default=None, max_length=255)
    request_fingerprint: str | None = SQLField(default=None, max_length=64)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class OrderItem(SQLModel, table=True):
    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_order_items_quantity_positive"),)

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("orders.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    # Products are only ever soft-deleted, so a line always finds its product.
    product_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("products.id", ondelete="RESTRICT"), index=True, nullable=False
        )
    )
    product_name: str = SQLField(max_length=255)
    quantity: int
    unit_price: Decimal = SQLField(sa_type=Numeric(10, 2))


class OrderEvent(SQLModel, table=True):
    __tablename__ = "order_events"

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("orders.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    from_status: str | None = SQLField(default=None, max_length=16)
    to_status: str = SQLField(max_length=16)
    actor_id: int | None = SQLField(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    )
    # Set instead of actor_id when an API key made the change. Keys are revoked, never deleted.
    actor_key_id: int | None = SQLField(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("api_keys.id", ondelete="SET NULL", name="fk_order_events_actor_key_id"),
        ),
    )
    created_at: datetime = timestamp_field()


class OrderNote(SQLModel, table=True):
    """An admin's internal note on an order; never shown to the customer."""

    __tablename__ = "order_notes"

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("orders.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    author_id: int | None = SQLField(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    )
    # Set instead of author_id when an API key wrote it.
    author_key_id: int | None = SQLField(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("api_keys.id", ondelete="SET NULL", name="fk_order_notes_author_key_id"),
        ),
    )
    # Who wrote it, as they were named then: still known after the account is gone.
    author_name: str = SQLField(max_length=255)
    text: str = SQLField(max_length=NOTE_MAX_LENGTH)
    created_at: datetime = timestamp_field()


# --- Schemas at the edge --------------------------------------------------------------------


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: RowId
    quantity: Quantity


class OrderCreate(BaseModel):
    """A cart of lines, or the reference's single `{product_id, quantity}`."""

    model_config = ConfigDict(
        extra="forbid",
        # Tell OpenAPI clients what the validator below enforces: one shape or the other.
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["items"],
                    "properties": {
                        "items": {"type": "array"},
                        "product_id": {"type": "null"},
                        "quantity": {"type": "null"},
                    },
                },
                {
                    "required": ["product_id", "quantity"],
                    "properties": {
                        "items": {"type": "null"},
                        "product_id": {"type": "integer"},
                        "quantity": {"type": "integer"},
                    },
                },
            ]
        },
    )

    items: Annotated[list[OrderLineIn], Field(min_length=1, max_length=100)] | None = None
    product_id: RowId | None = None
    quantity: Quantity | None = None
    shipping_address: ShippingAddress | None = None
    # Whose order it is, when an API key (orders:write) places it; people order for themselves.
    customer_id: RowId | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> OrderCreate:
        single = self.product_id is not None or self.quantity is not None
        if self.items is not None and single:
            raise ValueError("send either items or product_id/quantity, not both")
        if self.items is None:
            if self.product_id is None or self.quantity is None:
                raise ValueError("items (or product_id and quantity) are required")
            self.items = [OrderLineIn(product_id=self.product_id, quantity=self.quantity)]
            self.product_id = self.quantity = None
        return self

    @property
    def lines(self) -> list[OrderLineIn]:
        return self.items or []


class OrderStatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: OrderStatus


class OrderItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    product_name: str
    quantity: int
    unit_price: Money


class OrderEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: OrderStatus | None
    to_status: OrderStatus
    actor_id: int | None
    # The API key that made the change, when a key did (then actor_id is null).
    actor_key_id: int | None = None
    # The actor's current name (the key's, for a key); null once the account is gone.
    actor_name: str | None = None
    created_at: datetime


NoteText = text(1, NOTE_MAX_LENGTH)


class OrderNoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: NoteText


class OrderNotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    author_id: int | None
    author_key_id: int | None = None
    author_name: str
    created_at: datetime


class OrderCustomer(BaseModel):
    """Whose order it is, as the account is named now."""

    id: int
    name: str
    email: str


class OrderPublic(BaseModel):
    id: int
    user_id: int | None
    status: OrderStatus
    total: Money
    items: list[OrderItemPublic]
    created_at: datetime
    updated_at: datetime
    # The reference's single-product shape, filled when the order has exactly one line.
    product_id: int | None = None
    quantity: int | None = None
    # Null once the account is deleted (the order itself is kept).
    customer: OrderCustomer | None = None
    shipping_address: ShippingAddress | None = None
    events: list[OrderEventPublic] = []
    # Internal notes, oldest first: only in one order's detail as an admin sees it, else null.
    notes: list[OrderNotePublic] | None = None
