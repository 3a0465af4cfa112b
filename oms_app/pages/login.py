"""Log in: email and password against the auth service, then back to where the visitor was."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.components.layout import layout
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.models.user import UserLogin
from oms_app.services import auth
from oms_app.state.session import SessionState, safe_next


def _credentials(form: dict[str, str]) -> UserLogin:
    """The form's email and password; input no account could match gets the service's answer."""
    try:
        return UserLogin.model_validate(
            {"email": form.get("email", ""), "password": form.get("password", "")}
        )
    except ValidationError:
        raise NotAuthenticated(auth.BAD_CREDENTIALS) from None


class LoginState(rx.State):
    error: str = ""
    submitting: bool = False

    @rx.event
    async def submit(self, form: dict[str, str]):
        self.error = ""
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
            await session.sign_in(pair.access_token, pair.refresh_token)
        except DomainError as exc:
            self.error = exc.message
            return
        finally:
            self.submitting = False
        yield rx.toast.success(f"Welcome back, {session.user_name}!")
        yield rx.redirect(safe_next(self.router.url.query_parameters.get("next")))

    @rx.event
    def reset_form(self):
        self.error = ""
        self.submitting = False


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


@rx.page(
    route=routes.LOGIN,
    title="Log in · OMS",
    on_load=[LoginState.reset_form, SessionState.load_optional_user],
)
def login_page() -> rx.Component:
    return layout(
        auth_card(
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
            inline_error(LoginState.error, id="login-error"),
            rx.button("Log in", type="submit", size="3", loading=LoginState.submitting),
            rx.text(
                "No account yet? ",
                rx.link("Register", href=routes.REGISTER),
                size="2",
                align="center",
            ),
            on_submit=LoginState.submit,
        ),
        title="Log in",
    )
