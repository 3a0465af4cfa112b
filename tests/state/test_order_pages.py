"""What the order pages read from the browser without a server: the id in an address, a
form's fields whatever the client sends, the address's errors in form words, and which moves
a viewer is offered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from oms_app.models.address import ShippingAddress
from oms_app.models.order import OrderStatus
from oms_app.models.user import Role, User
from oms_app.services import statuses
from oms_app.state.form import MAX_FIELD_CHARS, form_text
from oms_app.state.form_errors import field_errors
from oms_app.state.paging import id_in_path


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/orders/42", 42),
        ("/admin/orders/7/", 7),
        ("/admin/users/2147483647", 2147483647),
        ("/orders/2147483648", None),
        ("/orders/0", None),
        ("/orders/-1", None),
        ("/orders/abc", None),
        ("/orders/\u0664\u0662", None),  # Arabic-Indic digits: isdigit() alone would take them
        ("/orders/99999999999", None),
        ("/orders/", None),
        ("", None),
    ],
)
def test_the_id_in_an_address(path: str, found: int | None) -> None:
    assert id_in_path(path) == found


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ({"text": "hello"}, "hello"),
        ({"text": 5}, ""),
        ({"text": ["a"]}, ""),
        ({}, ""),
        (None, ""),
        ("text=hello", ""),
        ([["text", "hello"]], ""),
    ],
)
def test_a_form_field_is_text_whatever_the_client_sends(form: object, text: str) -> None:
    assert form_text(form, "text") == text


def test_a_huge_field_is_cut_far_above_every_limit() -> None:
    assert len(form_text({"text": "x" * 10**6}, "text")) == MAX_FIELD_CHARS


def test_address_errors_read_as_the_forms_say_them() -> None:
    with pytest.raises(ValidationError) as caught:
        ShippingAddress.model_validate(
            {
                "full_name": "x" * 10_000,
                "line1": "1 Main\x00Street",
                "city": "   ",
                "postal_code": "",
                "country": "ZZ",
                "phone": "\n",
            }
        )
    assert field_errors(caught.value) == {
        "full_name": "At most 100 characters.",
        "line1": "Use one line of ordinary text: no line breaks or special characters.",
        "city": "Required.",
        "postal_code": "Required.",
        "country": "Choose a country from the list.",
        "phone": "Use one line of ordinary text: no line breaks or special characters.",
    }


def _user(role: Role) -> User:
    return User(id=1, name="A", email="a@example.com", role=role, created_at=datetime.now(UTC))


def test_an_owner_is_offered_only_the_cancellation_and_an_admin_every_legal_move() -> None:
    shopper, admin = _user(Role.USER), _user(Role.ADMIN)
    pending, shipped = OrderStatus.PENDING, OrderStatus.SHIPPED
    assert [t for t, _ in statuses.moves_for(shopper, pending)] == [OrderStatus.CANCELLED]
    assert statuses.moves_for(shopper, shipped) == []
    assert [t for t, _ in statuses.moves_for(admin, pending)] == [
        OrderStatus.SHIPPED,
        OrderStatus.CANCELLED,
    ]
    assert [t for t, _ in statuses.moves_for(admin, shipped)] == [OrderStatus.DELIVERED]
