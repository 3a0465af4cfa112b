"""What every form's state shares: its inline errors and whether it is being submitted."""

from __future__ import annotations

from typing import TypeVar

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.state.form_errors import FORM, field_errors

M = TypeVar("M", bound=BaseModel)

# Far above any field's limit (the models say what is too long), low enough that nothing a
# crafted socket sends costs more than reading this much.
MAX_FIELD_CHARS = 20_000


def form_text(form: object, name: str, limit: int = MAX_FIELD_CHARS) -> str:
    """A form field's text, at most `limit` characters and otherwise as typed (a password's
    spaces are part of it). Any client can send any value as "the form": a missing field, a
    non-text value or a non-dict form read as empty, so the model's rules say what is wrong."""
    if not isinstance(form, dict):
        return ""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


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


class DialogFormState(FormState, mixin=True):
    """A form in a dialog: open until saved or dismissed, and never closed mid-save."""

    dialog_open: bool = False

    @rx.event
    def set_dialog_open(self, is_open: bool):
        if not self.submitting:
            self.dialog_open = is_open is True
