"""Reset password: without a token, ask for a link by email; with the link's token, choose a new
password. Both go through services/password_reset.py, as the REST routes do."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import field_error, labelled_input
from oms_app.components.templates import page
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.models.user import PasswordResetConfirm, PasswordResetRequest
from oms_app.pages.login import auth_card
from oms_app.services import password_reset
from oms_app.state.form import FormState, form_text

# The same words whatever the email, so the page never tells whether an account uses it.
LINK_SENT = (
    "If an account uses this email, a reset link is on its way. It works once, within 30 minutes."
)
MISMATCH = "The two passwords are not the same."
MAX_TOKEN_CHARS = 256  # the service's own limit; a longer one cannot be a link's


class ResetPasswordState(FormState, rx.State):
    # From the link's query; "" shows the form that asks for a link.
    token: str = ""
    link_sent: bool = False
    link_invalid: bool = False

    @rx.event
    def load(self):
        """on_load: the link's token, if the page was opened from one."""
        token = self.router.url.query_parameters.get("token", "")
        self.token = token[: MAX_TOKEN_CHARS + 1]
        self.errors = {}
        self.submitting = self.link_sent = self.link_invalid = False

    @rx.event
    def ask_again(self):
        """From a dead link's message back to the form that asks for a new one."""
        self.token = ""
        self.errors = {}
        self.submitting = self.link_sent = self.link_invalid = False

    @rx.event
    async def request_link(self, form: dict[str, str]):
        self.link_sent = False
        data = self._parse(PasswordResetRequest, {"email": form_text(form, "email")})
        if data is None:
            return
        self.submitting = True
        yield
        try:
            await run_in_threadpool(
                password_reset.request_password_reset,
                data,
                # The websocket's Origin header: the site the page was served from. The service
                # decides whether a link may point there (PUBLIC_URL wins).
                self.router.headers.origin or None,
                self.router.session.client_ip or None,
            )
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        self.link_sent = True

    @rx.event
    async def set_password(self, form: dict[str, str]):
        new_password = form_text(form, "new_password")
        data = self._parse(
            PasswordResetConfirm, {"token": self.token, "new_password": new_password}
        )
        if data is None:
            if "token" in self.errors:
                self.link_invalid = True
            return
        if form_text(form, "confirm_password") != new_password:
            self._fail(MISMATCH, "confirm_password")
            return
        self.submitting = True
        yield
        try:
            await run_in_threadpool(password_reset.confirm_password_reset, data)
        except NotAuthenticated:
            self.link_invalid = True
            return
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        yield rx.toast.success("Your password has been changed. Log in with the new one.")
        yield rx.redirect(routes.LOGIN)


def _back_to_login() -> rx.Component:
    return rx.text(
        "Remembered it? ",
        rx.link("Log in", href=routes.LOGIN, underline="always"),
        size="2",
        align="center",
    )


def _request_form() -> rx.Component:
    errors = ResetPasswordState.errors
    return auth_card(
        rx.text(
            "Enter the email you registered with and we will send you a link to choose a new "
            "password.",
            size="2",
        ),
        labelled_input(
            "Email",
            "reset-email",
            name="email",
            type="email",
            auto_complete="email",
            required=True,
            auto_focus=True,
        ),
        field_error(errors, "email", id="reset-email-error"),
        field_error(errors, "form", id="reset-request-error"),
        rx.cond(
            ResetPasswordState.link_sent,
            rx.callout(LINK_SENT, icon="mail", color_scheme="green", role="status", id="link-sent"),
        ),
        rx.button(
            "Send reset link", type="submit", size="3", loading=ResetPasswordState.submitting
        ),
        _back_to_login(),
        on_submit=ResetPasswordState.request_link,
    )


def _invalid_link() -> rx.Component:
    return rx.center(
        rx.card(
            rx.flex(
                rx.text(password_reset.INVALID_LINK, role="alert", id="link-invalid"),
                rx.link(
                    "Ask for a new link",
                    href=routes.RESET_PASSWORD,
                    underline="always",
                    # The same route without the dead token; the page may not load again.
                    on_click=ResetPasswordState.ask_again,
                ),
                direction="column",
                spacing="4",
            ),
            width="100%",
            max_width="26em",
            size="3",
        ),
        width="100%",
    )


def _password_form() -> rx.Component:
    errors = ResetPasswordState.errors
    return auth_card(
        labelled_input(
            "New password",
            "reset-new-password",
            name="new_password",
            type="password",
            auto_complete="new-password",
            required=True,
            auto_focus=True,
            aria_describedby="reset-password-hint",
        ),
        rx.text("At least 8 characters.", size="2", color_scheme="gray", id="reset-password-hint"),
        field_error(errors, "new_password", id="reset-new-password-error"),
        labelled_input(
            "Confirm new password",
            "reset-confirm-password",
            name="confirm_password",
            type="password",
            auto_complete="new-password",
            required=True,
        ),
        field_error(errors, "confirm_password", id="reset-confirm-password-error"),
        field_error(errors, "form", id="reset-error"),
        rx.button(
            "Set new password", type="submit", size="3", loading=ResetPasswordState.submitting
        ),
        _back_to_login(),
        on_submit=ResetPasswordState.set_password,
    )


@page(routes.RESET_PASSWORD, "Reset password", on_load=ResetPasswordState.load)
def reset_password() -> rx.Component:
    return rx.cond(
        ResetPasswordState.token == "",
        _request_form(),
        rx.cond(ResetPasswordState.link_invalid, _invalid_link(), _password_form()),
    )
