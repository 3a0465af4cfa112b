"""Shipping addresses over REST: optional at placement, PUT /orders/{id}/address for admins while
pending, and every bad address a clear 422 that changes nothing."""

from __future__ import annotations

import pytest

ORDERS = "/api/v1/orders/"
HOME = {
    "full_name": "Alice Liddell",
    "line1": "1 Rabbit Hole",
    "city": "Oxford",
    "postal_code": "OX1 1AA",
    "country": "gb",
}
HOME_SHOWN = {**HOME, "country": "GB", "line2": None, "phone": None}
NEW = {
    "full_name": "Alice L.",
    "line1": "2 Looking Glass Lane",
    "line2": "Flat 3",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
}


def _stock(client, product_id: int) -> int:
    return client.get(f"/api/v1/products/{product_id}").json()["stock"]


@pytest.fixture
def product(make_product) -> dict:
    return make_product(stock=10)


@pytest.fixture
def order(client, alice_headers, product) -> dict:
    body = {"product_id": product["id"], "quantity": 1, "shipping_address": HOME}
    response = client.post(ORDERS, json=body, headers=alice_headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_an_order_keeps_the_address_it_was_placed_with(client, alice_headers, order):
    assert order["shipping_address"] == HOME_SHOWN
    assert order["customer"]["name"] == "Alice"
    renamed = client.put(
        f"/api/v1/users/{order['user_id']}",
        json={"name": "Alice Kingsleigh"},
        headers=alice_headers,
    )
    assert renamed.status_code == 200
    again = client.get(f"{ORDERS}{order['id']}", headers=alice_headers).json()
    assert again["shipping_address"] == HOME_SHOWN
    assert again["customer"]["name"] == "Alice Kingsleigh"
    assert again["notes"] is None  # the owner never sees internal notes


def test_a_cart_takes_an_address_too(client, alice_headers, product):
    body = {"items": [{"product_id": product["id"], "quantity": 2}], "shipping_address": NEW}
    response = client.post(ORDERS, json=body, headers=alice_headers)
    assert response.status_code == 201
    assert response.json()["shipping_address"] == NEW


def test_the_reference_body_still_works_without_an_address(client, alice_headers, product):
    body = {"product_id": product["id"], "quantity": 1}
    response = client.post(ORDERS, json=body, headers=alice_headers)
    assert response.status_code == 201
    assert response.json()["shipping_address"] is None
    explicit = client.post(ORDERS, json={**body, "shipping_address": None}, headers=alice_headers)
    assert explicit.json()["shipping_address"] is None


BAD_ADDRESSES = [
    {**HOME, "full_name": "Alice\u0000Liddell"},
    {**HOME, "line1": "x" * 10_000},
    {**HOME, "full_name": "x" * 10_000, "city": "y" * 10_000},
    {**HOME, "country": "XX"},
    {**HOME, "country": "GBR"},
    {**HOME, "country": None},
    {**HOME, "city": ""},
    {**HOME, "city": "   "},
    {**HOME, "line2": "two\nlines"},
    {**HOME, "phone": "1" * 33},
    {**HOME, "postal_code": 12345},
    {**HOME, "state": "Oxfordshire"},
    {k: v for k, v in HOME.items() if k != "line1"},
    "1 Rabbit Hole, Oxford",
    [],
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_a_bad_address_refuses_the_order_and_takes_no_stock(
    client, alice_headers, product, address
):
    body = {"product_id": product["id"], "quantity": 1, "shipping_address": address}
    response = client.post(ORDERS, json=body, headers=alice_headers)
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert all(problem["loc"][:2] == ["body", "shipping_address"] for problem in problems)
    assert _stock(client, product["id"]) == 10
    assert client.get(f"{ORDERS}me", headers=alice_headers).json()["total"] == 0


def test_the_422_names_the_field_and_the_rule(client, alice_headers, product):
    body = {
        "product_id": product["id"],
        "quantity": 1,
        "shipping_address": {**HOME, "country": "XX"},
    }
    (problem,) = client.post(ORDERS, json=body, headers=alice_headers).json()["detail"]
    assert problem["loc"] == ["body", "shipping_address", "country"]
    assert "ISO 3166-1 alpha-2" in problem["msg"]
    body["shipping_address"] = {**HOME, "full_name": "x" * 10_000}
    (problem,) = client.post(ORDERS, json=body, headers=alice_headers).json()["detail"]
    assert problem["loc"][-1] == "full_name"
    assert "at most 100 characters" in problem["msg"]
    assert "x" * 100 not in str(problem)  # the input is not echoed


def test_an_idempotent_retry_must_repeat_the_address(client, alice_headers, product):
    headers = {**alice_headers, "Idempotency-Key": "checkout-1"}
    body = {"product_id": product["id"], "quantity": 1, "shipping_address": HOME}
    first = client.post(ORDERS, json=body, headers=headers)
    retry = client.post(ORDERS, json=body, headers=headers)
    assert retry.json()["id"] == first.json()["id"]
    elsewhere = client.post(ORDERS, json={**body, "shipping_address": NEW}, headers=headers)
    assert elsewhere.status_code == 409
    assert _stock(client, product["id"]) == 9


def _address_url(order: dict) -> str:
    return f"{ORDERS}{order['id']}/address"


def test_an_admin_changes_the_address_while_pending(client, admin_headers, alice_headers, order):
    response = client.put(_address_url(order), json=NEW, headers=admin_headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["shipping_address"] == NEW
    assert changed["notes"] == []  # an admin's view of the order
    assert changed["updated_at"] > order["updated_at"]
    seen = client.get(f"{ORDERS}{order['id']}", headers=alice_headers).json()
    assert seen["shipping_address"] == NEW


@pytest.mark.parametrize("status", ["shipped", "cancelled"])
def test_after_pending_the_address_is_409_and_unchanged(client, admin_headers, order, status):
    moved = client.put(f"{ORDERS}{order['id']}", json={"status": status}, headers=admin_headers)
    assert moved.status_code == 200
    response = client.put(_address_url(order), json=NEW, headers=admin_headers)
    assert response.status_code == 409
    assert status in response.json()["detail"]
    shown = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    assert shown["shipping_address"] == HOME_SHOWN


def test_who_may_change_an_address(client, admin_headers, alice_headers, bob_headers, order):
    assert client.put(_address_url(order), json=NEW, headers=alice_headers).status_code == 403
    assert client.put(_address_url(order), json=NEW, headers=bob_headers).status_code == 403
    assert client.put(_address_url(order), json=NEW).status_code == 401
    assert client.put(f"{ORDERS}424242/address", json=NEW, headers=admin_headers).status_code == 404
    shown = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    assert shown["shipping_address"] == HOME_SHOWN


@pytest.mark.parametrize("address", [*BAD_ADDRESSES, None, {"shipping_address": NEW}])
def test_a_bad_address_change_is_422_and_changes_nothing(client, admin_headers, order, address):
    response = client.put(_address_url(order), json=address, headers=admin_headers)
    assert response.status_code == 422, response.text
    shown = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    assert shown["shipping_address"] == HOME_SHOWN
    assert shown["updated_at"] == order["updated_at"]
