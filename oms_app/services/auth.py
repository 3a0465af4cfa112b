"""Registration, login, token rotation and logout.

A login opens an AuthSession; every refresh token issued for that login belongs to it. Refreshing
marks the presented token used and issues a new pair; presenting a used token again means it
leaked, so the whole session is revoked (reuse detection). Access tokens name their session, and
a revoked session stops its access tokens at once, which is what makes logout immediate.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotAuthenticated
from oms_app.core.security import (
    InvalidTokenError,
    burn_password_check,
    create_token,
    decode_token,
    hash_password,
    hash_token,
    verify_password,
)
from oms_app.models.one_time_token import TokenPurpose
from oms_app.models.user import (
    AuthSession,
    RefreshToken,
    Role,
    TokenPair,
    User,
    UserCreate,
    UserPublic,
)
from oms_app.services import login_cache, login_throttle, one_time_tokens
from oms_app.services.permissions import require_admin

BAD_CREDENTIALS = "Incorrect email or password"
DOWNLOAD_TOKEN_LIFETIME = timedelta(seconds=60)
INVALID_TOKEN = "Invalid or expired token"  # noqa: S105 - a message


def register(data: UserCreate, role: Role = Role.USER) -> UserPublic:
    hashed = hash_password(data.password)
    with session_scope() as session:
        user = User(name=data.name, email=data.email, hashed_password=hashed, role=role)
        session.add(user)
        try:
            # Two registrations racing for one email meet at the unique index, not in Python.
            session.flush()
        except IntegrityError:
            session.rollback()
            raise Conflict("Email already registered") from None
        return UserPublic.model_validate(user)


def login(email: str, password: str, client_address: str | None = None) -> TokenPair:
    """Exchange credentials for a new login, throttled per email and per client address."""
    email = email.strip().lower()
    login_throttle.check(email, client_address)
    with session_scope() as session:
        # A NUL byte can match no stored email (and PostgreSQL cannot even compare it). The
        # shared row lock makes a password change wait for this login to commit, and then end
        # it too; a login starting after the change waits and reads the new password.
        user = (
            None
            if "\x00" in email
            else session.exec(
                select(User).where(User.email == email).with_for_update(read=True)
            ).first()
        )
        if user is None:
            burn_password_check(password)
        if user is None or not verify_password(password, user.hashed_password):
            login_throttle.record_failure(email, client_address)
            raise NotAuthenticated(BAD_CREDENTIALS)
        login_throttle.record_success(email, client_address)
        lifetime = timedelta(days=get_settings().refresh_token_expire_days)
        auth_session = AuthSession(
            id=uuid.uuid4().hex, user_id=user.id, expires_at=datetime.now(UTC) + lifetime
        )
        session.add(auth_session)
        return _issue_pair(session, user.id, auth_session.id)


def refresh(refresh_token: str) -> TokenPair:
    try:
        claims = decode_token(refresh_token, "refresh")
    except InvalidTokenError:
        raise NotAuthenticated(INVALID_TOKEN) from None
    now = datetime.now(UTC)
    with session_scope() as session:
        stored = session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == hash_token(refresh_token))
        ).first()
        if stored is None or stored.session_id != claims["sid"]:
            raise NotAuthenticated(INVALID_TOKEN)
        claimed = session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
        ).rowcount
        if claimed == 0:
            # This token was already exchanged: someone else holds it. End the whole login.
            _revoke_session(session, stored.session_id, now)
            session.commit()
            raise NotAuthenticated("Refresh token reuse detected; please log in again")
        auth_session = session.get(AuthSession, stored.session_id)
        if (
            auth_session is None
            or auth_session.revoked_at is not None
            or _aware(auth_session.expires_at) <= now
        ):
            raise NotAuthenticated(INVALID_TOKEN)
        return _issue_pair(session, claims["sub"], auth_session.id)


def logout(user: User, session_id: str, refresh_token: str | None = None) -> None:
    """End the caller's login; a refresh token of another login of theirs ends that one too."""
    now = datetime.now(UTC)
    with session_scope() as session:
        _revoke_session(session, session_id, now, user_id=user.id)
        if refresh_token:
            stored = session.exec(
                select(RefreshToken).where(RefreshToken.token_hash == hash_token(refresh_token))
            ).first()
            if stored is not None:
                _revoke_session(session, stored.session_id, now, user_id=user.id)


def replace_password(
    session: Session, user: User, password_hash: str, keep_login: str | None = None
) -> None:
    """Give the user a new password and end every login of theirs but `keep_login`.

    Run it in the transaction that loaded `user` with a row lock (see `login`), so no login
    made with the old password can slip past the change.
    """
    user.hashed_password = password_hash
    user.updated_at = datetime.now(UTC)
    statement = update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)
    )
    if keep_login is not None:
        statement = statement.where(AuthSession.id != keep_login)
    session.execute(statement.values(revoked_at=datetime.now(UTC)))
    login_cache.forget(session, user.id)
    # A reset link asked for before the change must not undo it.
    one_time_tokens.revoke_all(session, TokenPurpose.PASSWORD_RESET, user.id)


def authenticate(access_token: str) -> tuple[User, str]:
    """The user behind an access token, and its session id; 401 unless both are live."""
    user_id, session_id = _access_claims(access_token)

    def from_database() -> User:
        with session_scope() as session:
            return _user_of_live_login(session, user_id, session_id)

    return login_cache.live_user(user_id, session_id, from_database), session_id


async def authenticate_async(access_token: str) -> tuple[User, str]:
    """`authenticate` for the event loop: a login the cache vouches for is answered in place
    (one Redis read, no thread hand-off); anything else goes to the database in a thread."""
    user_id, session_id = _access_claims(access_token)
    user = login_cache.cached_user(user_id, session_id)
    if user is not None:
        return user, session_id
    return await run_in_threadpool(authenticate, access_token)


def _access_claims(access_token: str) -> tuple[int, str]:
    try:
        user_id, session_id, expires = _verified_access(access_token, get_settings().secret_key)
    except InvalidTokenError:
        raise NotAuthenticated(INVALID_TOKEN) from None
    if time.time() > expires:  # expired since it was first verified (as jwt.decode tells it)
        raise NotAuthenticated(INVALID_TOKEN)
    return user_id, session_id


# Verifying a token (its signature, claims and JSON) costs ~33 us, and a client sends the same
# one with every request until it expires; what one verification proved is kept per process,
# by token and secret. Only the token's own facts are kept: whether its login is still alive is
# asked on every request (`login_cache`), so a logout or a revocation still counts at once.
@lru_cache(maxsize=4096)
def _verified_access(access_token: str, _secret: str) -> tuple[int, str, float]:
    claims = decode_token(access_token, "access")
    return claims["sub"], str(claims["sid"]), float(claims["exp"])


def issue_download_token(access_token: str, lifetime: timedelta = DOWNLOAD_TOKEN_LIFETIME) -> str:
    """A link token for one file download, for an admin's live login; valid for a minute.

    Links opened by the browser carry it in the URL, where it may end up in logs and history;
    that is why it works once, lives briefly, works only for downloads and dies with the login.
    Only admins download anything, so only they get one.
    """
    user, session_id = authenticate(access_token)
    require_admin(user)
    with session_scope() as session:
        return one_time_tokens.issue(
            session, TokenPurpose.DOWNLOAD, user.id, lifetime, session_id=session_id
        )


def authenticate_download(download_token: str) -> User:
    """The user behind a download token, which is spent by this call."""
    with session_scope() as session:
        spent = one_time_tokens.spend(session, TokenPurpose.DOWNLOAD, download_token)
        if spent is None or spent.session_id is None:
            raise NotAuthenticated(INVALID_TOKEN)
        return _user_of_live_login(session, spent.user_id, spent.session_id)


def _user_of_live_login(session: Session, user_id: int, session_id: str) -> User:
    user = session.exec(
        select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            User.id == user_id,
            AuthSession.id == session_id,
            AuthSession.revoked_at.is_(None),
        )
    ).first()
    if user is None:
        raise NotAuthenticated(INVALID_TOKEN)
    session.expunge(user)
    return user


def _issue_pair(session: Session, user_id: int, session_id: str) -> TokenPair:
    settings = get_settings()
    access, _ = create_token(
        user_id, "access", session_id, timedelta(minutes=settings.access_token_expire_minutes)
    )
    refresh_token, expires = create_token(
        user_id, "refresh", session_id, timedelta(days=settings.refresh_token_expire_days)
    )
    session.add(
        RefreshToken(
            session_id=session_id, token_hash=hash_token(refresh_token), expires_at=expires
        )
    )
    return TokenPair(access_token=access, refresh_token=refresh_token)


def _revoke_session(
    session: Session, session_id: str, now: datetime, user_id: int | None = None
) -> None:
    statement = update(AuthSession).where(
        AuthSession.id == session_id, AuthSession.revoked_at.is_(None)
    )
    if user_id is not None:
        statement = statement.where(AuthSession.user_id == user_id)
    revoked = session.execute(
        statement.values(revoked_at=now).returning(AuthSession.user_id)
    ).scalars()
    login_cache.forget(session, *revoked)


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
