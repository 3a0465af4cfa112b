"""Register: a new shopper account, logged in straight away."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import field_error, labelled_input
from oms_app.components.templates import page
from oms_app.core.errors import Conflict, DomainError
from oms_app.models.user import UserCreate
from oms_app.pages.login import auth_card
from oms_app.services import activity, auth
from oms_app.state.form import FormState, form_text
from oms_app.state.session import SessionState

FIELDS = ("name", "email", "password")


class RegisterState(FormState, rx.State):
    @rx.event
    async def submit(self, form: dict[str, str]):
        data = self._parse(UserCreate, {key: form_text(form, key) for key in FIELDS})
        if data is None:
            return
        self.submitting = True
        yield
        session = await self.get_state(SessionState)
        try:
            user = await run_in_threadpool(auth.register, data)
            pair = await run_in_threadpool(
                auth.login, data.email, data.password, self.router.session.client_ip or None
            )
            await session._sign_in(pair.access_token, pair.refresh_token)
        except Conflict as exc:
            self._fail(exc.message, "email")
            return
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        yield rx.toast.success(f"Welcome, {user.name}! Your account is ready.")
        yield rx.redirect(routes.CATALOGUE)
        activity.user_registered(user)


@page(routes.REGISTER, "Register", on_load=RegisterState.reset_form)
def register() -> rx.Component:
    errors = RegisterState.errors
    return auth_card(
        labelled_input("Name", "register-name", name="name", auto_complete="name", required=True),
        field_error(errors, "name", id="register-name-error"),
        labelled_input(
            "Email",
            "register-email",
            name="email",
            type="email",
            auto_complete="email",
            required=True,
        ),
        field_error(errors, "email", id="register-email-error"),
        labelled_input(
            "Password",
            "register-password",
            name="password",
            type="password",
            auto_complete="new-password",
            required=True,
            aria_describedby="register-password-hint",
        ),
        rx.text(
            "At least 8 characters.", size="2", color_scheme="gray", id="register-password-hint"
        ),
        field_error(errors, "password", id="register-password-error"),
        field_error(errors, "form", id="register-error"),
        rx.button("Register", type="submit", size="3", loading=RegisterState.submitting),
        rx.text(
            "Already registered? ",
            rx.link("Log in", href=routes.LOGIN, underline="always"),
            size="2",
            align="center",
        ),
        on_submit=RegisterState.submit,
    )
