"""The webhooks section's handlers take whatever a crafted event sends without throwing."""

from __future__ import annotations

import pytest

from oms_app.pages.admin_integrations.webhooks_state import _row_id, _text


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"url": " https://a.example/h "}, "https://a.example/h"),
        ({"url": ["https://a.example"]}, ""),
        ({"url": None}, ""),
        ({}, ""),
        (["url", "https://a.example"], ""),
        ("url=https://a.example", ""),
        (None, ""),
        ({"url": "x" * 5000}, "x" * 10),
    ],
)
def test_form_fields_are_read_as_text_or_nothing(form: object, expected: str) -> None:
    assert _text(form, "url", 10 if expected == "x" * 10 else 100) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), (0, None), (-1, None), (True, None), ("5", None), (5.0, None), (2**40, None)],
)
def test_row_ids_must_be_plain_positive_integers(value: object, expected: int | None) -> None:
    assert _row_id(value) == expected
