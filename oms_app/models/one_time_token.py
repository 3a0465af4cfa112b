"""Random tokens that do one thing once: a file download link, a password reset link.

Only a SHA-256 digest is stored, so a leaked table yields no usable link.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.models.common import timestamp_field


class TokenPurpose(StrEnum):
    DOWNLOAD = "download"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret


class OneTimeToken(SQLModel, table=True):
    __tablename__ = "one_time_tokens"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('download', 'password_reset')", name="ck_one_time_tokens_purpose"
        ),
    )

    token_hash: str = SQLField(primary_key=True, max_length=64)
    purpose: str = SQLField(max_length=32)
    user_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    # The login a download link was made from: logging out ends its links too.
    session_id: str | None = SQLField(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("auth_sessions.id", ondelete="CASCADE"), nullable=True
        ),
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime = SQLField(sa_type=DateTime(timezone=True), index=True)
