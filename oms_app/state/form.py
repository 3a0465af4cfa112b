"""What every form's state shares: its inline errors and whether it is being submitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.state.form_errors import FORM, field_errors

M = TypeVar("M", bound=BaseModel)

# Longer than any field's limit, so a cut value still fails its check, but a crafted megabyte
# never reaches a validator.
MAX_FIELD_CHARS = 4096


def form_text(form: object, field: str) -> str:
    """One field of a submitted form, as text.

    The browser sends a dict of strings, but any client can send any JSON in its place: a form
    that is not a mapping, or a value that is not a string, reads as an empty field.
    """
    if not isinstance(form, Mapping):
        return ""
    value = form.get(field, "")
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


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
