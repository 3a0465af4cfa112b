"""POST /orders/{id}/notes: admins' internal notes, shown on GET /orders/{id} to admins only."""

from __future__ import annotations

import pytest

ORDERS = "/api/v1/orders/"


@pytest.fixture
def order(client, alice_headers, make_product) -> dict:
    product = make_product(stock=5)
    body = {"product_id": product["id"], "quantity": 1}
    return client.post(ORDERS, json=body, headers=alice_headers).json()


def _notes_url(order: dict) -> str:
    return f"{ORDERS}{order['id']}/notes"


def test_an_admin_adds_notes_and_reads_them_oldest_first(
    client, admin_headers, alice_headers, order
):
    first = client.post(
        _notes_url(order), json={"text": "  Called: leave at door "}, headers=admin_headers
    )
    assert first.status_code == 201, first.text
    note = first.json()
    assert note["text"] == "Called: leave at door"
    assert note["author_name"] == "Ada Admin"
    assert note["author_id"] == client.get("/api/v1/users/me", headers=admin_headers).json()["id"]
    assert note["created_at"]
    client.post(_notes_url(order), json={"text": "Second"}, headers=admin_headers)

    shown = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    assert [n["text"] for n in shown["notes"]] == ["Called: leave at door", "Second"]
    assert [e["to_status"] for e in shown["events"]] == ["pending"]
    assert shown["events"][0]["actor_name"] == "Alice"
    assert shown["updated_at"] == order["updated_at"]  # a note is not a change to the order
    owner_view = client.get(f"{ORDERS}{order['id']}", headers=alice_headers).json()
    assert owner_view["notes"] is None
    listed = client.get(ORDERS, headers=admin_headers).json()["data"]
    assert listed[0]["notes"] is None


def test_who_may_add_a_note(client, admin_headers, alice_headers, order):
    body = {"text": "mine"}
    assert client.post(_notes_url(order), json=body, headers=alice_headers).status_code == 403
    assert client.post(_notes_url(order), json=body).status_code == 401
    assert client.post(f"{ORDERS}424242/notes", json=body, headers=admin_headers).status_code == 404
    assert client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()["notes"] == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": None},
        {"text": 42},
        {"text": "x" * 2001},
        {"text": "x" * 10_000},
        {"text": "nul\u0000byte"},
        {"text": "fine", "pinned": True},
        ["text"],
    ],
)
def test_a_bad_note_is_422_and_adds_nothing(client, admin_headers, order, body):
    response = client.post(_notes_url(order), json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()["notes"] == []


def test_a_note_of_2000_characters_fits(client, admin_headers, order):
    response = client.post(_notes_url(order), json={"text": "x" * 2000}, headers=admin_headers)
    assert response.status_code == 201
