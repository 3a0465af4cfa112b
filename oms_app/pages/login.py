"""Log in: email and password against the auth service, then back to where the visitor was."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.components.templates import page
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.models.user import UserLogin
from oms_app.services import auth
from oms_app.state.form import FormState, form_text
from oms_app.state.redirects import safe_next
from oms_app.state.session import SessionState


def _credentials(form: object) -> UserLogin:
    """The form's email and password; input no account could match gets the service's answer."""
    try:
        return UserLogin.model_validate(
            {"email": form_text(form, "email"), "password": form_text(form, "password")}
        )
    except ValidationError:
        raise NotAuthenticated(auth.BAD_CREDENTIALS) from None


class LoginState(FormState, rx.State):
    @rx.var
    def error(self) -> str:
        return self.errors.get("form", "")

    @rx.event
    async def submit(self, form: dict[str, str]):
        self.errors = {}
        self.submitting = True
        yield
        session = await self.get_state(SessionState)
        try:
            creds = _credentials(form)
            pair = await run_in_threadpool(
                # The throttle counts failures per address too, as it does for the REST login.
                auth.login,
                creds.email,
                creds.password,
                self.router.session.client_ip or None,
            )
            user = await session._sign_in(pair.access_token, pair.refresh_token)
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        yield rx.toast.success(f"Welcome back, {user.name}!")
        yield rx.redirect(safe_next(self.router.url.query_parameters.get("next")))


def auth_card(*children: rx.Component, on_submit: rx.EventHandler) -> rx.Component:
    """The narrow card both the login and the registration form sit in."""
    return rx.center(
        rx.card(
            rx.form(
                rx.flex(*children, direction="column", spacing="4"),
                on_submit=on_submit,
            ),
            width="100%",
            max_width="26em",
            size="3",
        ),
        width="100%",
    )


@page(routes.LOGIN, "Log in", on_load=LoginState.reset_form)
def login() -> rx.Component:
    return auth_card(
        labelled_input(
            "Email",
            "login-email",
            name="email",
            type="email",
            auto_complete="email",
            required=True,
            auto_focus=True,
        ),
        labelled_input(
            "Password",
            "login-password",
            name="password",
            type="password",
            auto_complete="current-password",
            required=True,
        ),
        rx.link("Forgot password?", href=routes.RESET_PASSWORD, underline="always", size="2"),
        inline_error(LoginState.error, id="login-error"),
        rx.button("Log in", type="submit", size="3", loading=LoginState.submitting),
        rx.text(
            "No account yet? ",
            rx.link("Register", href=routes.REGISTER, underline="always"),
            size="2",
            align="center",
        ),
        on_submit=LoginState.submit,
    )
