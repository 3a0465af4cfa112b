"""/api/v1/users: accounts and authentication."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Body, Path, Query, Request, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app.api.background import log_after
from oms_app.api.deps import CurrentActor, CurrentLogin, CurrentUser
from oms_app.core.errors import InvalidInput
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.models.user import (
    LogoutRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserLogin,
    UserPublic,
    UserUpdate,
)
from oms_app.services import activity, auth, password_reset, users

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=MAX_INT32)]

_LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string", "description": "The email"},
                        "password": {"type": "string", "format": "password"},
                    },
                }
            },
            "application/json": {"schema": UserLogin.model_json_schema()},
        },
    }
}


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserPublic)
def register(data: UserCreate, background: BackgroundTasks) -> UserPublic:
    user = auth.register(data)
    log_after(background, activity.user_registered, user)
    return user


@router.post("/login", response_model=TokenPair, openapi_extra=_LOGIN_BODY)
async def login(request: Request) -> TokenPair:
    """OAuth2 password flow (form `username` + `password`), or JSON `{email, password}`."""
    credentials = await _read_credentials(request)
    return await run_in_threadpool(
        auth.login, credentials.email, credentials.password, _client_address(request)
    )


def _client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _read_credentials(request: Request) -> UserLogin:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            return UserLogin.model_validate_json(await request.body())
        form = await request.form()
        return UserLogin(email=form.get("username") or "", password=form.get("password") or "")
    except (ValidationError, ValueError, TypeError) as exc:
        raise InvalidInput(
            "Send username (email) and password as a form, or JSON email and password"
        ) from exc


@router.post("/refresh", response_model=TokenPair)
def refresh(data: RefreshRequest) -> TokenPair:
    return auth.refresh(data.refresh_token)


@router.post("/logout")
def logout(
    login: CurrentLogin, data: Annotated[LogoutRequest | None, Body()] = None
) -> dict[str, str]:
    auth.logout(login.user, login.session_id, data.refresh_token if data else None)
    return {"detail": "Logged out"}


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
def request_password_reset(data: PasswordResetRequest, request: Request) -> dict[str, str]:
    """Mail a reset link to this email if an account uses it. The answer is the same either way."""
    origin = request.headers.get("origin") or f"{request.url.scheme}://{request.url.netloc}"
    password_reset.request_password_reset(data, origin, _client_address(request))
    return {"detail": "If an account uses this email, a reset link is on its way."}


@router.post("/password-reset/confirm")
def confirm_password_reset(data: PasswordResetConfirm) -> dict[str, str]:
    """Set a new password with the token from a reset link; every login of the account ends."""
    password_reset.confirm_password_reset(data)
    return {"detail": "Password changed. Log in with the new password."}


@router.get("/", response_model=Page[UserPublic])
def list_users(actor: CurrentActor, params: Annotated[PageParams, Query()]) -> Page[UserPublic]:
    return users.list_users(actor, params)


@router.get("/me", response_model=UserPublic)
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/{user_id:int}", response_model=UserPublic)
def read_user(actor: CurrentActor, user_id: UserId) -> UserPublic:
    return users.get_user(actor, user_id)


@router.put("/{user_id:int}", response_model=UserPublic)
def update_user(login: CurrentLogin, user_id: UserId, data: UserUpdate) -> UserPublic:
    return users.update_user(login.user, user_id, data, current_login=login.session_id)


@router.put("/{user_id:int}/role", response_model=UserPublic)
def toggle_role(actor: CurrentActor, user_id: UserId) -> UserPublic:
    return users.toggle_role(actor, user_id)


@router.delete("/{user_id:int}")
def delete_user(actor: CurrentActor, user_id: UserId) -> dict[str, str]:
    users.delete_user(actor, user_id)
    return {"detail": "User deleted"}
