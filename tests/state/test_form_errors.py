"""Pydantic's errors, said the way a form says them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from oms_app.models.order import OrderCreate
from oms_app.models.product import ProductCreate
from oms_app.models.user import UserCreate
from oms_app.state.form_errors import FORM, field_errors


def _errors(model: type, values: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return field_errors(caught.value)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "", "price": "1"}, "name", "Required."),
        ({"name": "x" * 256, "price": "1"}, "name", "At most 255 characters."),
        ({"name": "Lamp", "price": "abc"}, "price", "Enter a number, like 9.99."),
        ({"name": "Lamp", "price": "1.234"}, "price", "At most 2 decimals."),
        ({"name": "Lamp", "price": "0"}, "price", "Must be more than 0."),
        ({"name": "Lamp", "price": "1", "stock": "-1"}, "stock", "Must be 0 or more."),
        ({"name": "Lamp", "price": "1", "stock": "1.5"}, "stock", "Enter a whole number."),
        ({"name": "Lamp"}, "price", "Required."),
    ],
)
def test_product_form_errors(values: dict, field: str, message: str) -> None:
    assert _errors(ProductCreate, values)[field] == message


def test_one_message_per_field_and_no_validator_jargon() -> None:
    errors = _errors(UserCreate, {"name": "", "email": "not-an-email", "password": "short"})
    assert errors == {
        "name": "Required.",
        "email": "Enter a valid email address, like name@example.com.",
        "password": "At least 8 characters.",
    }
    assert not any("Value error" in m or "type=" in m for m in errors.values())


def test_our_own_validators_read_as_sentences() -> None:
    too_long = "é" * 40  # 80 bytes: under the character limit, over bcrypt's 72 bytes
    errors = _errors(UserCreate, {"name": "A", "email": "a@example.com", "password": too_long})
    assert errors["password"] == "Password must be at most 72 bytes long (UTF-8)."


def test_a_problem_of_the_whole_form_has_its_own_key() -> None:
    errors = _errors(OrderCreate, {"items": [{"product_id": 1, "quantity": 1}], "quantity": 2})
    assert list(errors) == [FORM]
    assert errors[FORM].endswith(".")
