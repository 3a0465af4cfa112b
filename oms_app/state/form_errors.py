"""Pydantic's validation errors, said the way a form says them: one plain line per field."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

FORM = "form"  # the key for a problem that belongs to no single field

# By pydantic error type. `ctx` values fill the braces.
_MESSAGES = {
    "missing": "Required.",
    "string_too_short": "At least {min_length} characters.",
    "string_too_long": "At most {max_length} characters.",
    "string_type": "Enter text.",
    "decimal_parsing": "Enter a number, like 9.99.",
    "decimal_type": "Enter a number, like 9.99.",
    "float_parsing": "Enter a number, like 9.99.",
    "decimal_max_places": "At most {decimal_places} decimals.",
    "decimal_max_digits": "Too large.",
    "decimal_whole_digits": "Too large.",
    "int_parsing": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "greater_than": "Must be more than {gt}.",
    "greater_than_equal": "Must be {ge} or more.",
    "less_than": "Must be less than {lt}.",
    "less_than_equal": "Must be {le} or less.",
    "too_short": "Add at least {min_length}.",
    "too_long": "At most {max_length}.",
    "extra_forbidden": "Not a field of this form.",
    "literal_error": "Choose one of the options.",
    "enum": "Choose one of the options.",
}


# Our own validators' reasons (models/), in the words the forms use for the same problem.
_VALUE_WORDS = [
    (re.compile(r"must not be empty"), "Required."),
    (re.compile(r"must be at most (\d+) characters"), "At most {0} characters."),
    (re.compile(r"must be an assigned ISO 3166-1 .*"), "Choose a country from the list."),
    (
        re.compile(r"must be one line of text, without control characters"),
        "Use one line of ordinary text: no line breaks or special characters.",
    ),
]


def _sentence(text: str) -> str:
    text = text.removeprefix("Value error, ").strip()
    for pattern, words in _VALUE_WORDS:
        match = pattern.fullmatch(text)
        if match:
            return words.format(*match.groups())
    if not text:
        return "Not valid."
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def message(error: Any) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) in plain language."""
    kind, ctx = error.get("type", ""), error.get("ctx", {})
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "Required."
    template = _MESSAGES.get(kind)
    if template is None:
        # Our own validators (ValueError, PydanticCustomError) already speak plainly;
        # email_validator's reasons follow a colon.
        text = str(error.get("msg", ""))
        if error.get("type") == "value_error" and "email address" in text:
            return "Enter a valid email address, like name@example.com."
        return _sentence(text)
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return _sentence(template)


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The first problem with each field, keyed by field name (`FORM` for the whole form)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = error.get("loc") or ()
        field = str(location[0]) if location else FORM
        errors.setdefault(field, message(error))
    return errors
