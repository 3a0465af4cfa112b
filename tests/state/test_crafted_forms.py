"""Form handlers given what a crafted client can send in place of a form: not a dict, or a dict
whose values are not strings. Each must answer with an inline error and change nothing, never
throw. The well-formed cases prove the handlers really run (and that these checks can fail).

Reflex hands a handler whatever JSON arrived when it is not form data, so each value below
reaches the handler as it is."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData, SessionData
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.security import verify_password
from oms_app.models.one_time_token import TokenPurpose
from oms_app.models.user import User, UserCreate
from oms_app.pages.login import LoginState
from oms_app.pages.register import RegisterState
from oms_app.pages.reset_password import LINK_SENT, ResetPasswordState
from oms_app.services import auth, one_time_tokens, password_reset
from oms_app.services.password_reset import LINK_LIFETIME
from oms_app.state.form import MAX_FIELD_CHARS, form_text
from oms_app.state.session import SessionState
from tests.conftest import ALICE

CRAFTED: list[Any] = [
    None,
    "email=alice@example.com",
    42,
    True,
    ["alice@example.com", "alice-pass-123"],
    [["email", "alice@example.com"]],
    {},
    {"email": 5, "password": 7, "name": 3, "new_password": 9, "confirm_password": 9},
    {"email": None, "password": None, "name": None, "new_password": None},
    {"email": ["alice@example.com"], "password": {"$ne": ""}, "name": [], "new_password": []},
    {"email": {"email": "alice@example.com"}, "password": 1.5, "new_password": {"a": 1}},
    {"email": "x" * 1_000_000, "password": "y" * 1_000_000, "name": "z" * 1_000_000},
]


def _run(state_cls: type[rx.State], handler: str, form: Any, **fields: Any) -> rx.State:
    """Send `form` to `handler` of a fresh tab's state, as the event processor would."""

    async def run() -> rx.State:
        root = rx.State(_reflex_internal_init=True)
        state = await root.get_state(state_cls)
        for name, value in fields.items():
            setattr(state, name, value)
        result = state_cls.event_handlers[handler].fn(state, form)
        if inspect.isasyncgen(result):
            async for _ in result:
                pass
        elif inspect.iscoroutine(result):
            await result
        return state

    return asyncio.run(run())


async def _session(state: rx.State) -> SessionState:
    return await state.get_state(SessionState)


def _signed_in(state: rx.State) -> int:
    return asyncio.run(_session(state)).user_id


def _user(email: str) -> User | None:
    with session_scope() as session:
        return session.exec(select(User).where(User.email == email)).first()


@pytest.fixture
def alice() -> dict:
    auth.register(UserCreate.model_validate(ALICE))
    return ALICE


def test_form_text_reads_only_strings_of_mappings() -> None:
    assert form_text({"email": "a@b.c"}, "email") == "a@b.c"
    assert form_text({"email": 5}, "email") == ""
    assert form_text({"email": ["a@b.c"]}, "email") == ""
    assert form_text(["email", "a@b.c"], "email") == ""
    assert form_text(None, "email") == ""
    assert form_text({}, "email") == ""
    assert len(form_text({"name": "n" * (MAX_FIELD_CHARS + 10)}, "name")) == MAX_FIELD_CHARS


@pytest.mark.parametrize("form", CRAFTED, ids=range(len(CRAFTED)))
def test_login_refuses_a_crafted_form(alice: dict, form: Any) -> None:
    state = _run(LoginState, "submit", form)
    assert state.errors == {"form": auth.BAD_CREDENTIALS}
    assert not state.submitting
    assert _signed_in(state) == 0


def test_login_with_a_real_form_signs_in(alice: dict) -> None:
    state = _run(LoginState, "submit", {"email": alice["email"], "password": alice["password"]})
    assert state.errors == {}
    assert _signed_in(state) > 0


@pytest.mark.parametrize("form", CRAFTED, ids=range(len(CRAFTED)))
def test_register_refuses_a_crafted_form(form: Any) -> None:
    state = _run(RegisterState, "submit", form)
    assert set(state.errors) >= {"name", "email", "password"}
    assert all(message.endswith(".") for message in state.errors.values())
    assert _signed_in(state) == 0
    with session_scope() as session:
        assert session.exec(select(User)).first() is None


def test_register_with_a_real_form_creates_the_account() -> None:
    state = _run(RegisterState, "submit", {**ALICE})
    assert state.errors == {}
    assert _signed_in(state) > 0
    assert _user(ALICE["email"]) is not None


@pytest.mark.parametrize("form", CRAFTED, ids=range(len(CRAFTED)))
def test_asking_for_a_link_refuses_a_crafted_form(form: Any) -> None:
    state = _run(ResetPasswordState, "request_link", form)
    assert set(state.errors) == {"email"}
    assert not state.link_sent


def test_asking_for_a_link_with_a_real_form_says_it_is_on_its_way() -> None:
    state = _run(ResetPasswordState, "request_link", {"email": "nobody@example.com"})
    assert state.errors == {}
    assert state.link_sent
    assert "If an account uses this email" in LINK_SENT


def _reset_token(email: str) -> str:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return one_time_tokens.issue(session, TokenPurpose.PASSWORD_RESET, user.id, LINK_LIFETIME)


@pytest.mark.parametrize("form", CRAFTED, ids=range(len(CRAFTED)))
def test_setting_a_password_refuses_a_crafted_form(alice: dict, form: Any) -> None:
    token = _reset_token(alice["email"])
    state = _run(ResetPasswordState, "set_password", form, token=token)
    assert "new_password" in state.errors
    assert not state.link_invalid
    user = _user(alice["email"])
    assert user is not None
    assert verify_password(alice["password"], user.hashed_password)
    # The token was not spent: the real form still works with it.
    state = _run(
        ResetPasswordState,
        "set_password",
        {"new_password": "fresh-pass-123", "confirm_password": "fresh-pass-123"},
        token=token,
    )
    assert state.errors == {}
    user = _user(alice["email"])
    assert user is not None
    assert verify_password("fresh-pass-123", user.hashed_password)


def test_setting_a_password_needs_the_same_password_twice(alice: dict) -> None:
    token = _reset_token(alice["email"])
    state = _run(
        ResetPasswordState,
        "set_password",
        {"new_password": "fresh-pass-123", "confirm_password": "fresh-pass-124"},
        token=token,
    )
    assert set(state.errors) == {"confirm_password"}


@pytest.mark.parametrize("token", ["", "not-a-token", "t" * 257])
def test_a_bad_token_shows_the_dead_link_message(alice: dict, token: str) -> None:
    form = {"new_password": "fresh-pass-123", "confirm_password": "fresh-pass-123"}
    state = _run(ResetPasswordState, "set_password", form, token=token)
    assert state.link_invalid


def test_asking_too_often_is_said_plainly() -> None:
    router = RouterData(session=SessionData(client_ip="203.0.113.9"))
    form = {"email": "someone@example.com"}
    for _ in range(password_reset.REQUESTS_PER_ADDRESS):
        assert _run(ResetPasswordState, "request_link", form, router=router).link_sent
    state = _run(ResetPasswordState, "request_link", form, router=router)
    assert not state.link_sent
    assert state.errors == {
        "form": "Too many password reset requests. Please wait before trying again."
    }
