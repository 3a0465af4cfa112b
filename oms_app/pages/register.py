"""Register: a new shopper account, logged in straight away."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.components.layout import layout
from oms_app.core.errors import Conflict, DomainError
from oms_app.models.user import UserCreate
from oms_app.pages.login import auth_card
from oms_app.services import activity, auth
from oms_app.state.session import SessionState

FIELDS = ("name", "email", "password")


def field_errors(exc: ValidationError) -> dict[str, str]:
    """One readable message per form field, from pydantic's error list."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        message = error["msg"].removeprefix("Value error, ")
        errors.setdefault(field, message[:1].upper() + message[1:])
    return errors


class RegisterState(rx.State):
    errors: dict[str, str] = {}
    submitting: bool = False

    @rx.var
    def name_error(self) -> str:
        return self.errors.get("name", "")

    @rx.var
    def email_error(self) -> str:
        return self.errors.get("email", "")

    @rx.var
    def password_error(self) -> str:
        return self.errors.get("password", "")

    @rx.var
    def form_error(self) -> str:
        return self.errors.get("form", "")

    @rx.event
    async def submit(self, form: dict[str, str]):
        self.errors = {}
        self.submitting = True
        yield
        session = await self.get_state(SessionState)
        try:
            data = UserCreate.model_validate({key: form.get(key, "") for key in FIELDS})
            user = await run_in_threadpool(auth.register, data)
            pair = await run_in_threadpool(
                auth.login, data.email, data.password, self.router.session.client_ip or None
            )
            await session.sign_in(pair.access_token, pair.refresh_token)
        except ValidationError as exc:
            self.errors = field_errors(exc)
            return
        except Conflict as exc:
            self.errors = {"email": exc.message}
            return
        except DomainError as exc:
            self.errors = {"form": exc.message}
            return
        finally:
            self.submitting = False
        yield rx.toast.success(f"Welcome, {session.user_name}! Your account is ready.")
        yield rx.redirect(routes.CATALOGUE)
        activity.user_registered(user)

    @rx.event
    def reset_form(self):
        self.errors = {}
        self.submitting = False


@rx.page(
    route=routes.REGISTER,
    title="Register · OMS",
    on_load=[RegisterState.reset_form, SessionState.load_optional_user],
)
def register_page() -> rx.Component:
    return layout(
        auth_card(
            labelled_input(
                "Name", "register-name", name="name", auto_complete="name", required=True
            ),
            inline_error(RegisterState.name_error, id="register-name-error"),
            labelled_input(
                "Email",
                "register-email",
                name="email",
                type="email",
                auto_complete="email",
                required=True,
            ),
            inline_error(RegisterState.email_error, id="register-email-error"),
            labelled_input(
                "Password",
                "register-password",
                name="password",
                type="password",
                auto_complete="new-password",
                required=True,
            ),
            rx.text("At least 8 characters.", size="1", color_scheme="gray"),
            inline_error(RegisterState.password_error, id="register-password-error"),
            inline_error(RegisterState.form_error, id="register-error"),
            rx.button("Register", type="submit", size="3", loading=RegisterState.submitting),
            rx.text(
                "Already registered? ",
                rx.link("Log in", href=routes.LOGIN),
                size="2",
                align="center",
            ),
            on_submit=RegisterState.submit,
        ),
        title="Register",
    )
