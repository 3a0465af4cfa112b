"""Webhooks: endpoints that subscribe to event types, the outbox of events, and their deliveries.

An event is written in the same transaction as the change it reports, with one delivery per
endpoint subscribed at that moment. A delivery is due when it is pending and its
`next_attempt_at` has passed; a sender claims it by pushing `next_attempt_at` forward by its
lease and stamping a `claim_token`, so a sender that dies mid-send leaves a delivery that falls
due again once the lease runs out, and a late sender whose lease has gone cannot record over
the one that took it over.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import timestamp_field

MAX_URL_LENGTH = 2000
RESPONSE_EXCERPT_BYTES = 1024


class EventType(StrEnum):
    ORDER_CREATED = "order.created"
    ORDER_STATUS_CHANGED = "order.status_changed"
    ORDER_CANCELLED = "order.cancelled"
    PRODUCT_STOCK_LOW = "product.stock_low"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoints"

    id: int | None = SQLField(default=None, primary_key=True)
    url: str = SQLField(max_length=MAX_URL_LENGTH)
    active: bool = True
    # `whsec_` + base64: the sender needs the secret itself to sign, so it cannot be hashed.
    secret: str = SQLField(max_length=100)
    # After a rotation the previous secret signs too until it expires, so a receiver can
    # switch over without dropping a delivery.
    previous_secret: str | None = SQLField(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = SQLField(
        default=None, sa_type=DateTime(timezone=True)
    )
    # Why the sender turned it off (a 410 Gone), for the admin who wonders.
    disabled_reason: str | None = SQLField(default=None, max_length=200)
    created_at: datetime = timestamp_field()


class WebhookSubscription(SQLModel, table=True):
    """One event type an endpoint wants: a row each, so the outbox finds subscribers with one
    indexed join (and the same SQL on SQLite and PostgreSQL)."""

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("ix_webhook_subscriptions_event_type", "event_type", "endpoint_id"),)

    endpoint_id: int = SQLField(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    event_type: str = SQLField(primary_key=True, max_length=40)


class WebhookEvent(SQLModel, table=True):
    """The outbox: what happened, exactly as it is sent (the body is signed byte for byte)."""

    __tablename__ = "webhook_events"
    # The retention sweep reads the oldest events first.
    __table_args__ = (Index("ix_webhook_events_created", "created_at"),)

    # `msg_…`: the webhook-id header, the same on every attempt, so receivers can deduplicate.
    id: str = SQLField(primary_key=True, max_length=40)
    type: str = SQLField(max_length=40)
    body: str = SQLField(sa_column=Column(Text, nullable=False))
    created_at: datetime = timestamp_field()


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed')", name="ck_webhook_deliveries_status"
        ),
        # The sender's claim reads only pending rows in due order: a small partial index,
        # however many finished deliveries pile up beside them.
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # The retention sweep reads finished rows oldest first: the other half of the table,
        # so neither the sender's claim nor the sweep reads past the rows it wants.
        Index(
            "ix_webhook_deliveries_finished",
            "next_attempt_at",
            postgresql_where=text("status <> 'pending'"),
            sqlite_where=text("status <> 'pending'"),
        ),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    event_id: str = SQLField(
        sa_column=Column(
            String(40),
            ForeignKey("webhook_events.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    endpoint_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
        )
    )
    status: str = SQLField(default=DeliveryStatus.PENDING, max_length=16)
    # When it is due; while a sender holds it, when that sender's lease runs out; once it has
    # succeeded or failed, when it ended (what retention counts from).
    next_attempt_at: datetime = timestamp_field()
    claim_token: str | None = SQLField(default=None, max_length=32)
    attempt_count: int = 0
    created_at: datetime = timestamp_field()


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempts"

    id: int | None = SQLField(default=None, primary_key=True)
    delivery_id: int = SQLField(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    at: datetime = timestamp_field()
    response_status: int | None = None
    duration_ms: int
    response_excerpt: str | None = SQLField(default=None, sa_column=Column(Text, nullable=True))
    error: str | None = SQLField(default=None, max_length=200)


# --- Schemas at the edge --------------------------------------------------------------------


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(min_length=1, max_length=MAX_URL_LENGTH)]
    events: Annotated[list[EventType], Field(min_length=1, max_length=len(EventType))]

    @field_validator("url")
    @classmethod
    def _one_line(cls, value: str) -> str:
        value = value.strip()
        if not value or any(ord(c) < 33 or ord(c) == 127 for c in value):
            raise ValueError("must be a URL without spaces or control characters")
        return value

    @field_validator("events")
    @classmethod
    def _distinct(cls, value: list[EventType]) -> list[EventType]:
        return sorted(set(value), key=list(EventType).index)


class WebhookPublic(BaseModel):
    id: int
    url: str
    events: list[EventType]
    active: bool
    # Why OMS turned it off (the receiver answered 410 Gone); null while active, or when an
    # admin's enabling cleared it.
    disabled_reason: str | None = None
    created_at: datetime


class WebhookWithSecret(WebhookPublic):
    """Only the answer to a create or a rotation carries the secret: it is never shown again."""

    secret: str


class AttemptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    response_status: int | None
    duration_ms: int
    response_excerpt: str | None
    error: str | None


class DeliveryPublic(BaseModel):
    id: int
    event_id: str
    type: EventType
    status: DeliveryStatus
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: list[AttemptPublic]
