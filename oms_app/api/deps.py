"""Dependencies named once as types, so route signatures read like prose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from oms_app.core.errors import NotAuthenticated
from oms_app.models.user import User
from oms_app.services import auth

# Declares the OAuth2 password flow in OpenAPI, so Swagger's "Authorize" button logs in.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/users/login", auto_error=False)


@dataclass(frozen=True)
class Login:
    user: User
    session_id: str


async def current_login(token: Annotated[str | None, Depends(oauth2_scheme)]) -> Login:
    if not token:
        raise NotAuthenticated("Not authenticated")
    user, session_id = await auth.authenticate_async(token)
    return Login(user, session_id)


async def current_user(login: Annotated[Login, Depends(current_login)]) -> User:
    return login.user


CurrentLogin = Annotated[Login, Depends(current_login)]
CurrentUser = Annotated[User, Depends(current_user)]
