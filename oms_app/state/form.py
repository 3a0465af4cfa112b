"""What every form's state shares: its inline errors and whether it is being submitted."""

from __future__ import annotations

from typing import TypeVar

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.state.form_errors import FORM, field_errors

M = TypeVar("M", bound=BaseModel)


class FormState(rx.State, mixin=True):
    # Field name (or "form") -> what is wrong with it, in plain language.
    errors: dict[str, str] = {}
    submitting: bool = False

    def _parse(self, model: type[M], values: dict[str, object]) -> M | None:
        """The form's values as `model`; None (with the errors shown) when they do not fit."""
        try:
            parsed = model.model_validate(values)
        except ValidationError as exc:
            self.errors = field_errors(exc)
            return None
        self.errors = {}
        return parsed

    def _fail(self, message: str, field: str = FORM) -> None:
        self.errors = {**self.errors, field: message}

    @rx.event
    def reset_form(self):
        self.errors = {}
        self.submitting = False


def form_text(form: object, name: str, limit: int = 2000) -> str:
    """One field of a submitted form as text, stripped and bounded. The browser sends the form,
    so it may be anything: a missing field, a non-text value or a form that is not a dict at
    all reads as ""."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit].strip() if isinstance(value, str) else ""
