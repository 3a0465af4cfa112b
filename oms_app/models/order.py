"""Orders, their lines (with the price paid) and the history of their status."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Numeric, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import Money, Quantity, RowId, timestamp_field


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
    )

    id: int | None = SQLField(default=None, primary_key=True)
    # SET NULL: deleting a user keeps the order history.
    user_id: int | None = SQLField(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    status: str = SQLField(default=OrderStatus.PENDING, max_length=16, index=True)
    total: Decimal = SQLField(sa_type=Numeric(12, 2))
    idempotency_key: str | None = SQLField(default=None, max_length=255)
    request_fingerprint: str | None = SQLField(default=None, max_length=64)
    created_at: datetime = timestamp_field(index=True)
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
    created_at: datetime


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
    events: list[OrderEventPublic] = []
