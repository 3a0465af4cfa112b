"""Issuing and spending single-use tokens (download links, password reset links).

A token is spent by one DELETE … RETURNING on its digest: of any number of workers or instances
presenting it at once, exactly one gets the row back. Expired rows are swept whenever a new
token is issued, so the table stays as small as the number of live links.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session

from oms_app.core.security import hash_token
from oms_app.models.common import utcnow
from oms_app.models.one_time_token import OneTimeToken, TokenPurpose

TOKEN_BYTES = 32


@dataclass(frozen=True)
class SpentToken:
    user_id: int
    session_id: str | None


def issue(
    session: Session,
    purpose: TokenPurpose,
    user_id: int,
    lifetime: timedelta,
    session_id: str | None = None,
) -> str:
    """A new random token for this user and purpose; only its digest is stored."""
    now = utcnow()
    session.execute(delete(OneTimeToken).where(OneTimeToken.expires_at <= now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        OneTimeToken(
            token_hash=hash_token(token),
            purpose=purpose,
            user_id=user_id,
            session_id=session_id,
            expires_at=now + lifetime,
        )
    )
    return token


def spend(session: Session, purpose: TokenPurpose, token: str) -> SpentToken | None:
    """Use the token up. None when it is unknown, spent, expired or meant for something else."""
    row = session.execute(
        delete(OneTimeToken)
        .where(
            OneTimeToken.token_hash == hash_token(token),
            OneTimeToken.purpose == purpose,
            OneTimeToken.expires_at > utcnow(),
        )
        .returning(OneTimeToken.user_id, OneTimeToken.session_id)
    ).first()
    return None if row is None else SpentToken(row.user_id, row.session_id)


def revoke_all(session: Session, purpose: TokenPurpose, user_id: int) -> None:
    """Forget every outstanding token of this purpose for this user."""
    session.execute(
        delete(OneTimeToken).where(OneTimeToken.user_id == user_id, OneTimeToken.purpose == purpose)
    )
