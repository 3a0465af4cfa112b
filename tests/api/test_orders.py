"""Orders over REST: placing them against stock, the status machine, ownership, idempotency."""

from __future__ import annotations

import pytest
from fastapi.encoders import jsonable_encoder

from oms_app.models.common import Page
from oms_app.models.order import OrderPublic


def _order(client, headers, *lines, **extra):
    if len(lines) == 1 and not extra.get("as_items"):
        product_id, quantity = lines[0]
        body = {"product_id": product_id, "quantity": quantity}
    else:
        body = {"items": [{"product_id": p, "quantity": q} for p, q in lines]}
    return client.post(
        "/api/v1/orders/", json=body, headers=extra.get("headers_extra", {}) | headers
    )


def _stock(client, product_id: int) -> int:
    return client.get(f"/api/v1/products/{product_id}").json()["stock"]


def test_single_product_order_keeps_the_reference_shape(client, alice_headers, make_product):
    product = make_product(price=12.5, stock=10)
    response = _order(client, alice_headers, (product["id"], 3))
    assert response.status_code == 201
    order = response.json()
    assert (order["product_id"], order["quantity"], order["status"]) == (
        product["id"],
        3,
        "pending",
    )
    assert order["total"] == 37.5
    assert order["items"] == [
        {"product_id": product["id"], "product_name": "Widget", "quantity": 3, "unit_price": 12.5}
    ]
    assert order["created_at"]
    assert order["updated_at"]
    assert _stock(client, product["id"]) == 7
    # Sent as the service's own JSON: what FastAPI would have made of it, key for key.
    assert response.headers["content-type"] == "application/json"
    assert "Idempotent-Replayed" not in response.headers
    assert response.json() == jsonable_encoder(OrderPublic.model_validate(order))


def test_a_cart_becomes_one_order_with_several_lines(client, alice_headers, make_product):
    a, b = make_product(name="A", price=2, stock=5), make_product(name="B", price=3.25, stock=5)
    response = _order(client, alice_headers, (a["id"], 2), (b["id"], 1), (a["id"], 1))
    assert response.status_code == 201
    order = response.json()
    assert order["product_id"] is None
    assert {(i["product_id"], i["quantity"]) for i in order["items"]} == {
        (a["id"], 3),
        (b["id"], 1),
    }
    assert order["total"] == 9.25
    assert (_stock(client, a["id"]), _stock(client, b["id"])) == (2, 4)


def test_all_lines_or_none(client, alice_headers, make_product):
    plenty, scarce = make_product(name="Plenty", stock=50), make_product(name="Scarce", stock=1)
    response = _order(client, alice_headers, (plenty["id"], 5), (scarce["id"], 2))
    assert response.status_code == 409
    assert "Scarce" in response.json()["detail"]
    assert "1 left" in response.json()["detail"]
    assert (_stock(client, plenty["id"]), _stock(client, scarce["id"])) == (50, 1)
    assert client.get("/api/v1/orders/me", headers=alice_headers).json()["total"] == 0


def test_ordering_unknown_products_is_404(client, alice_headers, make_product):
    product = make_product()
    assert _order(client, alice_headers, (999999, 1)).status_code == 404
    assert _order(client, alice_headers, (product["id"], 1), (999999, 1)).status_code == 404
    assert _stock(client, product["id"]) == 10


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"product_id": 1},
        {"quantity": 1},
        {"product_id": 1, "quantity": 0},
        {"product_id": 1, "quantity": -3},
        {"product_id": 1, "quantity": None},
        {"product_id": None, "quantity": 1},
        {"product_id": "one", "quantity": 1},
        {"product_id": 1, "quantity": 10**9},
        {"items": [{"product_id": 1, "quantity": 1}], "product_id": 1, "quantity": 1},
        {"items": [{"product_id": 1}]},
        {"items": None},
        {"items": "all of them"},
        {"items": [{"product_id": 1, "quantity": 1}] * 101},
    ],
)
def test_malformed_orders_are_422(client, alice_headers, make_product, body):
    make_product()
    response = client.post("/api/v1/orders/", json=body, headers=alice_headers)
    assert response.status_code == 422, response.text


def test_orders_need_a_login(client, make_product):
    product = make_product()
    assert (
        client.post(
            "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}
        ).status_code
        == 401
    )


def test_each_line_keeps_the_price_paid(client, admin_headers, alice_headers, make_product):
    product = make_product(price=10)
    order = _order(client, alice_headers, (product["id"], 1)).json()
    client.put(f"/api/v1/products/{product['id']}", json={"price": 99}, headers=admin_headers)
    again = client.get(f"/api/v1/orders/{order['id']}", headers=alice_headers).json()
    assert again["items"][0]["unit_price"] == 10
    assert again["total"] == 10


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["shipped"], True),
        (["cancelled"], True),
        (["shipped", "delivered"], True),
        (["delivered"], False),
        (["pending"], False),
        (["shipped", "pending"], False),
        (["shipped", "cancelled"], False),
        (["shipped", "shipped"], False),
        (["cancelled", "pending"], False),
        (["cancelled", "shipped"], False),
        (["shipped", "delivered", "shipped"], False),
        (["shipped", "delivered", "cancelled"], False),
    ],
)
def test_status_machine(client, admin_headers, alice_headers, make_product, path, allowed):
    product = make_product()
    order = _order(client, alice_headers, (product["id"], 1)).json()
    statuses = [
        client.put(
            f"/api/v1/orders/{order['id']}", json={"status": s}, headers=admin_headers
        ).status_code
        for s in path
    ]
    assert statuses[:-1] == [200] * (len(path) - 1)
    assert statuses[-1] == (200 if allowed else 409)


def test_unknown_status_is_422(client, admin_headers, alice_headers, make_product):
    order = _order(client, alice_headers, (make_product()["id"], 1)).json()
    url = f"/api/v1/orders/{order['id']}"
    assert client.put(url, json={"status": "lost"}, headers=admin_headers).status_code == 422
    assert client.put(url, json={"status": None}, headers=admin_headers).status_code == 422


def test_owner_cancels_and_stock_comes_back_once(
    client, alice_headers, admin_headers, make_product
):
    product = make_product(stock=4)
    order = _order(client, alice_headers, (product["id"], 3)).json()
    url = f"/api/v1/orders/{order['id']}/cancel"
    cancelled = client.put(url, headers=alice_headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert _stock(client, product["id"]) == 4
    assert client.put(url, headers=alice_headers).status_code == 409
    assert client.put(url, headers=admin_headers).status_code == 409
    assert _stock(client, product["id"]) == 4
    events = client.get(f"/api/v1/orders/{order['id']}", headers=admin_headers).json()["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "pending"),
        ("pending", "cancelled"),
    ]
    assert events[-1]["actor_id"] == order["user_id"]


def test_shipped_orders_cannot_be_cancelled(client, alice_headers, admin_headers, make_product):
    product = make_product(stock=4)
    order = _order(client, alice_headers, (product["id"], 1)).json()
    client.put(f"/api/v1/orders/{order['id']}", json={"status": "shipped"}, headers=admin_headers)
    assert (
        client.put(f"/api/v1/orders/{order['id']}/cancel", headers=alice_headers).status_code == 409
    )
    assert _stock(client, product["id"]) == 3


def test_others_orders_are_invisible_and_untouchable(
    client, alice_headers, bob_headers, admin_headers, make_product
):
    order = _order(client, alice_headers, (make_product()["id"], 1)).json()
    url = f"/api/v1/orders/{order['id']}"
    assert client.get(url, headers=bob_headers).status_code == 404
    assert client.put(f"{url}/cancel", headers=bob_headers).status_code == 404
    assert client.put(url, json={"status": "cancelled"}, headers=bob_headers).status_code == 404
    # The owner may cancel but not ship; admins may do both.
    assert client.put(url, json={"status": "shipped"}, headers=alice_headers).status_code == 403
    assert client.get(url, headers=admin_headers).status_code == 200
    assert client.put(f"{url}/cancel", headers=admin_headers).json()["status"] == "cancelled"
    assert client.get("/api/v1/orders/424242", headers=admin_headers).status_code == 404


def test_listing_orders(client, alice_headers, bob_headers, admin_headers, make_product):
    product = make_product(stock=100)
    alice_ids = [_order(client, alice_headers, (product["id"], 1)).json()["id"] for _ in range(3)]
    _order(client, bob_headers, (product["id"], 1))
    mine = client.get("/api/v1/orders/me?limit=2", headers=alice_headers).json()
    assert [o["id"] for o in mine["data"]] == alice_ids[::-1][:2]
    assert (mine["total"], mine["total_pages"]) == (3, 2)
    assert client.get("/api/v1/orders/", headers=alice_headers).status_code == 403
    everything = client.get("/api/v1/orders/", headers=admin_headers).json()
    assert everything["total"] == 4
    # Sent as the service's own JSON: what FastAPI would have made of it, key for key.
    assert everything == jsonable_encoder(Page[OrderPublic].model_validate(everything))
    client.put(f"/api/v1/orders/{alice_ids[0]}", json={"status": "shipped"}, headers=admin_headers)
    shipped = client.get("/api/v1/orders/?status=shipped", headers=admin_headers).json()
    assert [o["id"] for o in shipped["data"]] == [alice_ids[0]]
    assert client.get("/api/v1/orders/?status=bogus", headers=admin_headers).status_code == 422


def test_idempotency_key_returns_the_first_order(client, alice_headers, make_product):
    product = make_product(stock=10)
    headers = {**alice_headers, "Idempotency-Key": "cart-123"}
    body = {"product_id": product["id"], "quantity": 2}
    first = client.post("/api/v1/orders/", json=body, headers=headers)
    retry = client.post("/api/v1/orders/", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert _stock(client, product["id"]) == 8
    different = client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=headers
    )
    assert different.status_code == 409
    other_key = client.post(
        "/api/v1/orders/", json=body, headers={**alice_headers, "Idempotency-Key": "cart-124"}
    )
    assert other_key.json()["id"] != first.json()["id"]


def test_idempotency_keys_belong_to_their_user(client, alice_headers, bob_headers, make_product):
    product = make_product(stock=10)
    body = {"product_id": product["id"], "quantity": 1}
    a = client.post("/api/v1/orders/", json=body, headers={**alice_headers, "Idempotency-Key": "k"})
    b = client.post("/api/v1/orders/", json=body, headers={**bob_headers, "Idempotency-Key": "k"})
    assert a.json()["id"] != b.json()["id"]
    assert a.json()["user_id"] != b.json()["user_id"]
