"""A shipping address: a value object validated here once, wherever it comes from.

REST bodies, the Reflex checkout and the database column all go through `ShippingAddress`, so a
stored address is always one these rules accept. Every field is one line of text: control
characters (NUL, tabs, line breaks) are refused before surrounding spaces are stripped, and lengths
count what was sent, so what the OpenAPI schema says is what the server enforces.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from oms_app.models.countries import COUNTRY_NAMES

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The same rules as JSON Schema sees them: one line, and (when required) not only spaces.
_ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
_ONE_LINE_NOT_BLANK = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"


def _line_checker(max_length: int, required: bool):
    def check(value: object) -> object:
        if not isinstance(value, str):
            return value  # the str (or null) validator reports the type
        if len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters")
        if _CONTROL.search(value):
            raise ValueError("must be one line of text, without control characters")
        value = value.strip()
        if not value:
            if required:
                raise ValueError("must not be empty")
            return None  # an untouched optional input ("Address line 2") means none
        return value

    return check


def _line(max_length: int, description: str) -> type[str]:
    """A required one-line field: 1 to max_length characters once surrounding spaces go."""
    schema = {"type": "string", "minLength": 1, "maxLength": max_length}
    return Annotated[  # type: ignore[return-value]
        str,
        BeforeValidator(_line_checker(max_length, required=True)),
        WithJsonSchema({**schema, "pattern": _ONE_LINE_NOT_BLANK, "description": description}),
    ]


def _optional_line(max_length: int, description: str) -> type[str | None]:
    """An optional one-line field: null, blank (both stored as null) or up to max_length."""
    line = {"type": "string", "maxLength": max_length, "pattern": _ONE_LINE}
    return Annotated[  # type: ignore[return-value]
        str | None,
        BeforeValidator(_line_checker(max_length, required=False)),
        WithJsonSchema({"anyOf": [line, {"type": "null"}], "description": description}),
    ]


def _country_code(value: object) -> object:
    if not isinstance(value, str):
        return value  # the str validator reports the type
    code = value.strip().upper()
    if code not in COUNTRY_NAMES:
        raise ValueError("must be an assigned ISO 3166-1 alpha-2 country code, such as GB or US")
    return code


CountryCode = Annotated[
    str,
    BeforeValidator(_country_code),
    WithJsonSchema(
        {
            "type": "string",
            "enum": sorted(COUNTRY_NAMES),
            "description": "ISO 3166-1 alpha-2 (any case is accepted; answered upper-cased)",
        }
    ),
]


class ShippingAddress(BaseModel):
    """Where an order goes. Copied onto the order: later changes to the account never touch it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    full_name: _line(100, "The recipient")
    line1: _line(200, "Street and number")
    line2: _optional_line(200, "Flat, floor, building") = None
    city: _line(100, "City or town")
    postal_code: _line(20, "Postal or ZIP code")
    country: CountryCode
    phone: _optional_line(32, "For the carrier") = None

    @classmethod
    def from_stored(cls, data: dict) -> ShippingAddress:
        """An address read back from an order: it passed these rules when it was written, and
        is shown as written even if the rules (the list of countries) have changed since."""
        return cls.model_construct(**data)


class Country(BaseModel):
    code: str
    name: str


def country_list() -> list[Country]:
    """Every assigned country, by name: what a country select offers."""
    return sorted(
        (Country(code=code, name=name) for code, name in COUNTRY_NAMES.items()),
        key=lambda country: country.name.casefold(),
    )
