"""Dependencies named once as types, so route signatures read like prose.

A request may carry one credential: a JWT access token (`Authorization: Bearer <jwt>`) or an
API key (`Authorization: Bearer oms_…` or `X-API-Key: oms_…`). Whatever it carries is checked
on every route, public ones included (`checked_credentials` runs for the whole API), so a bad
credential is a 401 everywhere; FastAPI runs it once per request however many dependencies
ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from oms_app.core.errors import Forbidden, NotAuthenticated
from oms_app.models.user import User
from oms_app.services import api_keys, auth
from oms_app.services.permissions import Actor, KeyActor

# Declares the OAuth2 password flow in OpenAPI, so Swagger's "Authorize" button logs in.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/users/login", auto_error=False)
api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key (oms_…); `Authorization: Bearer oms_…` works too.",
)
KEYS_REFUSED = "API keys cannot be used here; this needs a person's login"


@dataclass(frozen=True)
class Login:
    user: User
    session_id: str


@dataclass(frozen=True)
class Credentials:
    """What the request proved: a login, a key, or nothing at all."""

    login: Login | None = None
    key: KeyActor | None = None


async def checked_credentials(
    request: Request,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Credentials:
    if bearer and api_key:
        raise NotAuthenticated("Send one credential: a bearer token or an X-API-Key, not both")
    key_secret = api_key or (bearer if bearer and api_keys.looks_like_key(bearer) else None)
    if key_secret:
        address = request.client.host if request.client else None
        key = await run_in_threadpool(api_keys.authenticate, key_secret, address)
        return Credentials(key=key)
    if bearer:
        # A login found in the cache is answered without a thread hop (services/login_cache.py).
        user, session_id = await auth.authenticate_async(bearer)
        return Credentials(login=Login(user, session_id))
    return Credentials()


PresentedCredentials = Annotated[Credentials, Depends(checked_credentials)]


async def current_login(credentials: PresentedCredentials) -> Login:
    if credentials.login is not None:
        return credentials.login
    if credentials.key is not None:
        raise Forbidden(KEYS_REFUSED)
    raise NotAuthenticated("Not authenticated")


async def current_user(login: Annotated[Login, Depends(current_login)]) -> User:
    return login.user


async def current_actor(credentials: PresentedCredentials) -> Actor:
    """A person's login or an API key; what either may do, the services decide."""
    if credentials.key is not None:
        return credentials.key
    if credentials.login is not None:
        return credentials.login.user
    raise NotAuthenticated("Not authenticated")


CurrentLogin = Annotated[Login, Depends(current_login)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
