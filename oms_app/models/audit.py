"""The audit log: who changed what, from where, and how it was before."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import MAX_INT32, timestamp_field
from oms_app.models.order_filters import IsoDate


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"


class AuditEntry(SQLModel, table=True):
    """One action by an admin or an API key. The actor is kept as it was then (kind, id and
    name), so an entry still says who acted after the account or key is gone."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        # Newest first, and each filter read in that order from an index.
        Index("ix_audit_created", "created_at", "id"),
        Index("ix_audit_entity", "entity_type", "entity_id", "created_at", "id"),
        Index("ix_audit_actor", "actor_id", "created_at", "id"),
        Index("ix_audit_action", "action", "created_at", "id"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    actor_kind: str = SQLField(max_length=16)
    actor_id: int | None = None
    actor_name: str = SQLField(max_length=255)
    action: str = SQLField(max_length=64)
    entity_type: str = SQLField(max_length=32)
    entity_id: str | None = SQLField(default=None, max_length=64)
    # {field: [before, after]} for the fields that changed; never a password hash or a secret.
    changes: dict[str, Any] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    request_id: str | None = SQLField(default=None, max_length=128)
    client_address: str | None = SQLField(default=None, max_length=64)
    created_at: datetime = timestamp_field()


class AuditActor(BaseModel):
    kind: ActorKind
    id: int | None
    name: str


class AuditEntryPublic(BaseModel):
    id: int
    actor: AuditActor
    action: str
    entity_type: str
    entity_id: str | None
    changes: dict[str, list[Any]]
    request_id: str | None
    client_address: str | None
    created_at: datetime

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryPublic:
        return cls(
            id=entry.id,
            actor=AuditActor(kind=entry.actor_kind, id=entry.actor_id, name=entry.actor_name),
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            changes=entry.changes,
            request_id=entry.request_id,
            client_address=entry.client_address,
            created_at=entry.created_at,
        )


class AuditFilters(BaseModel):
    """What GET /audit/ and /admin/audit narrow the log by; dates are inclusive UTC days."""

    model_config = ConfigDict(extra="forbid")

    actor_id: int | None = Field(None, ge=1, le=MAX_INT32)
    actor_kind: ActorKind | None = None
    action: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[a-z_.]+$")
    entity_type: str | None = Field(None, min_length=1, max_length=32, pattern=r"^[a-z_]+$")
    entity_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    created_from: IsoDate | None = Field(None, description="On or after this UTC day")
    created_to: IsoDate | None = Field(None, description="On or before this UTC day")

    @model_validator(mode="after")
    def _ordered(self) -> AuditFilters:
        if self.created_from and self.created_to and self.created_from > self.created_to:
            raise ValueError("created_from must not be after created_to")
        return self
