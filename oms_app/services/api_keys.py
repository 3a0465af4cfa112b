"""API keys: minted by an admin's login, shown once, stored as a keyed hash, revoked at once.

A secret is `oms_` and 32 random bytes (base64url), far beyond guessing, so a fast keyed hash
(HMAC-SHA256 under SECRET_KEY) is the right way to store it: bcrypt on every request would let
anyone burn the server's CPU. Every request looks its key up in the database, with no cache in
any process, so a revocation holds on every worker from the moment it commits. `last_used_at`
is written at most once a minute per key, not on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import select

from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.core.errors import NotAuthenticated, NotFound
from oms_app.models.api_key import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.services import audit, login_throttle
from oms_app.services.permissions import Actor, KeyActor, require_admin, require_person

SECRET_PREFIX = "oms_"  # noqa: S105 - the public marker of a key, not a secret
SECRET_BYTES = 32
# "oms_" and 8 characters of the secret: enough to tell keys apart, useless to an attacker.
SHOWN_PREFIX_LENGTH = 12
# Longer than any secret OMS mints; anything longer is refused before it is hashed.
MAX_SECRET_LENGTH = 128
LAST_USED_RESOLUTION = timedelta(minutes=1)
BAD_KEY = "Invalid or revoked API key"
_KNOWN_SCOPES = frozenset(Scope)


def looks_like_key(credential: str) -> bool:
    """Whether a bearer credential is an API key rather than a JWT."""
    return credential.startswith(SECRET_PREFIX)


def _hash(secret: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, secret.encode(errors="replace"), hashlib.sha256).hexdigest()


def create_key(actor: Actor, data: ApiKeyCreate) -> ApiKeyCreated:
    """Mint a key. Only an admin's own login may: a key never mints keys."""
    require_admin(actor)
    creator = require_person(actor)
    secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    scopes = [scope.value for scope in data.scopes]
    with session_scope() as session:
        key = ApiKey(
            name=data.name,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            secret_hash=_hash(secret),
            scopes=scopes,
            created_by=creator.id,
        )
        session.add(key)
        session.flush()
        audit.record(
            session,
            actor,
            "api_key.create",
            "api_key",
            key.id,
            {"name": (None, key.name), "prefix": (None, key.prefix), "scopes": (None, scopes)},
        )
        public = ApiKeyPublic.model_validate(key)
    return ApiKeyCreated(**public.model_dump(), secret=secret)


def list_keys(actor: Actor, params: PageParams) -> Page[ApiKeyPublic]:
    """Keys in use, newest first (revoked ones are gone from here)."""
    require_admin(actor)
    live = ApiKey.revoked_at.is_(None)
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(ApiKey).where(live)).one()
        keys = session.exec(
            select(ApiKey)
            .where(live)
            .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return Page.of([ApiKeyPublic.model_validate(key) for key in keys], total, params)


def revoke_key(actor: Actor, key_id: int) -> None:
    """Revoke a key for good; its next request, on any worker, is refused."""
    require_admin(actor)
    with session_scope() as session:
        revoked = session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .returning(ApiKey.name)
        ).first()
        if revoked is None:
            raise NotFound("API key not found")
        audit.record(
            session, actor, "api_key.revoke", "api_key", key_id, {"revoked": (False, True)}
        )


def authenticate(secret: str, client_address: str | None = None) -> KeyActor:
    """The key behind a presented secret; 401 unless it exists and is not revoked. Bad keys
    are counted per client address and slowed down like failed logins (429 when locked)."""
    login_throttle.check_key_attempts(client_address)
    if not looks_like_key(secret) or len(secret) > MAX_SECRET_LENGTH or "\x00" in secret:
        login_throttle.record_key_failure(client_address)
        raise NotAuthenticated(BAD_KEY)
    digest = _hash(secret)
    now = utcnow()
    with session_scope() as session:
        key = session.exec(
            select(ApiKey).where(ApiKey.secret_hash == digest, ApiKey.revoked_at.is_(None))
        ).first()
        if key is None:
            login_throttle.record_key_failure(client_address)
            raise NotAuthenticated(BAD_KEY)
        stale = now - LAST_USED_RESOLUTION
        if key.last_used_at is None or _aware(key.last_used_at) <= stale:
            # Conditional, so workers racing on the same stale value write it once between them.
            session.execute(
                update(ApiKey)
                .where(
                    ApiKey.id == key.id,
                    or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= stale),
                )
                .values(last_used_at=now)
            )
        return KeyActor(
            key_id=key.id,
            name=key.name,
            scopes=frozenset(Scope(s) for s in key.scopes if s in _KNOWN_SCOPES),
        )


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
