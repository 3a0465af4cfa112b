"""Password hashing and JWTs: the cryptography, with no knowledge of users or sessions."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

import bcrypt
import jwt

from oms_app.core.config import get_settings

TokenType = Literal["access", "refresh"]
MAX_PASSWORD_BYTES = 72  # bcrypt ignores everything past this; we refuse rather than truncate


class InvalidTokenError(Exception):
    """A token that is malformed, forged, expired or of the wrong type."""


def hash_password(password: str) -> str:
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, hashed: str) -> bool:
    encoded = password.encode()
    if len(encoded) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, hashed.encode())
    except ValueError:
        return False


_DUMMY_HASH: str | None = None


def burn_password_check(password: str) -> None:
    """Spend the time of a real check, so an unknown email answers as slowly as a known one."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password")
    verify_password(password, _DUMMY_HASH)


def hash_token(token: str) -> str:
    """Stored tokens (refresh, one-time links) are SHA-256 digests: a leaked table yields no
    usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    subject: int, token_type: TokenType, session_id: str, lifetime: timedelta
) -> tuple[str, datetime]:
    settings = get_settings()
    now = datetime.now(UTC)
    expires = now + lifetime
    payload = {
        "sub": str(subject),
        "type": token_type,
        "sid": session_id,
        "iat": now,
        "exp": expires,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, settings.secret_key, algorithm=settings.algorithm), expires


def decode_token(token: str, expected_type: TokenType) -> dict:
    settings = get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[settings.algorithm],
            options={"require": ["sub", "type", "exp", "iat", "jti", "sid"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    if claims.get("type") != expected_type:
        raise InvalidTokenError(f"expected a {expected_type} token")
    try:
        claims["sub"] = int(claims["sub"])
    except (TypeError, ValueError) as exc:
        raise InvalidTokenError("malformed subject") from exc
    return claims
