"""Users, their logins (auth sessions) and the refresh tokens that keep a login alive."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from oms_app.core.security import MAX_PASSWORD_BYTES
from oms_app.models.common import Name, timestamp_field


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


def _check_password(value: str) -> str:
    size = len(value.encode())
    if size < 8:
        raise ValueError("password must be at least 8 bytes long")
    if size > MAX_PASSWORD_BYTES:
        # bcrypt reads only 72 bytes; a longer password would be silently truncated.
        raise ValueError(f"password must be at most {MAX_PASSWORD_BYTES} bytes long (UTF-8)")
    if "\x00" in value:
        raise ValueError("password must not contain NUL characters")
    return value


Password = Annotated[
    str,
    # Characters in the schema (a byte count cannot be expressed); bytes are what is enforced.
    Field(min_length=8, max_length=MAX_PASSWORD_BYTES, description="8 to 72 bytes (UTF-8)"),
    AfterValidator(_check_password),
]
Email = Annotated[
    EmailStr, StringConstraints(max_length=254), AfterValidator(lambda email: email.lower())
]


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('user', 'admin')", name="ck_users_role"),)

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=255)
    email: str = SQLField(max_length=255, unique=True, index=True)
    hashed_password: str = SQLField(max_length=255)
    role: str = SQLField(default=Role.USER, max_length=16, index=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class AuthSession(SQLModel, table=True):
    """One login. Every refresh token rotated out of it belongs to the same session (family)."""

    __tablename__ = "auth_sessions"

    id: str = SQLField(primary_key=True, max_length=32)
    user_id: int = SQLField(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime = SQLField(sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))


class RefreshToken(SQLModel, table=True):
    __tablename__ = "refresh_tokens"

    id: int | None = SQLField(default=None, primary_key=True)
    session_id: str = SQLField(
        sa_column=Column(
            String(32),
            ForeignKey("auth_sessions.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    token_hash: str = SQLField(max_length=64, unique=True)
    created_at: datetime = timestamp_field()
    expires_at: datetime = SQLField(sa_type=DateTime(timezone=True))
    # Set when the token is exchanged for a new one; presenting it again is a reuse.
    used_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))


# --- Schemas at the edge --------------------------------------------------------------------


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name
    email: Email
    password: Password


class UserLogin(BaseModel):
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
    password: Annotated[str, StringConstraints(max_length=1024)]


class UserUpdate(BaseModel):
    """What may change about a user (themselves, or anyone for an admin). Anything else, `role`
    above all, is refused."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    email: Email | None = None
    password: Password | None = None
    current_password: Annotated[str, StringConstraints(max_length=1024)] | None = Field(
        None,
        description="Required to change your own email or password; admins changing another "
        "user's leave it out.",
    )


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    role: Role
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


class RefreshRequest(BaseModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class LogoutRequest(BaseModel):
    refresh_token: Annotated[str, StringConstraints(max_length=4096)] | None = None


class PasswordResetRequest(BaseModel):
    email: Email


class PasswordResetConfirm(BaseModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password
