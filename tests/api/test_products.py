"""The catalogue over REST: validation, search, pagination, soft delete and restore."""

from __future__ import annotations

import pytest


def test_create_returns_201_with_the_product(client, admin_headers):
    response = client.post(
        "/api/v1/products/",
        json={"name": "  Lamp ", "description": "Warm", "price": "19.90", "stock": 4},
        headers=admin_headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Lamp"
    assert body["price"] == 19.9
    assert body["stock"] == 4
    assert body["is_deleted"] is False


def test_only_admins_change_the_catalogue(client, alice_headers, make_product):
    product = make_product()
    payload = {"name": "X", "price": 1, "stock": 1}
    assert client.post("/api/v1/products/", json=payload).status_code == 401
    assert client.post("/api/v1/products/", json=payload, headers=alice_headers).status_code == 403
    url = f"/api/v1/products/{product['id']}"
    assert client.put(url, json={"stock": 99}, headers=alice_headers).status_code == 403
    assert client.delete(url, headers=alice_headers).status_code == 403
    assert client.put(f"{url}/restore", headers=alice_headers).status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "price": 1, "stock": 1},
        {"name": "   ", "price": 1, "stock": 1},
        {"name": "x" * 256, "price": 1, "stock": 1},
        {"name": "ok", "description": "d" * 1001, "price": 1, "stock": 1},
        {"name": "ok", "price": 0, "stock": 1},
        {"name": "ok", "price": -5, "stock": 1},
        {"name": "ok", "price": 1.999, "stock": 1},
        {"name": "ok", "price": 1e12, "stock": 1},
        {"name": "ok", "price": 1, "stock": -1},
        {"name": "ok", "price": 1, "stock": 10**12},
        {"name": None, "price": 1, "stock": 1},
        {"name": "ok", "price": None, "stock": 1},
        {"name": "ok", "price": "abc", "stock": 1},
        {"name": "ok", "price": 1, "stock": "many"},
        {"name": "ok", "price": 1, "stock": 1, "is_deleted": True},
        {"name": "nul\x00byte", "price": 1, "stock": 1},
    ],
)
def test_invalid_products_are_422(client, admin_headers, payload):
    assert client.post("/api/v1/products/", json=payload, headers=admin_headers).status_code == 422


def test_update_is_partial_and_refuses_nulls(client, admin_headers, make_product):
    product = make_product(name="Chair", price=50, stock=3, description="Oak")
    url = f"/api/v1/products/{product['id']}"
    updated = client.put(url, json={"price": 45.5}, headers=admin_headers).json()
    assert (updated["name"], updated["price"], updated["stock"], updated["description"]) == (
        "Chair",
        45.5,
        3,
        "Oak",
    )
    assert client.put(url, json={"stock": -1}, headers=admin_headers).status_code == 422
    assert client.put(url, json={"name": ""}, headers=admin_headers).status_code == 422
    assert (
        client.put("/api/v1/products/999999", json={"stock": 1}, headers=admin_headers).status_code
        == 404
    )


def test_listing_paginates_newest_first(client, make_product):
    ids = [make_product(name=f"P{n}")["id"] for n in range(7)]
    page = client.get("/api/v1/products/?page=1&limit=3").json()
    assert [p["id"] for p in page["data"]] == ids[::-1][:3]
    assert (page["total"], page["total_pages"]) == (7, 3)
    last = client.get("/api/v1/products/?page=3&limit=3").json()
    assert [p["id"] for p in last["data"]] == [ids[0]]
    beyond = client.get("/api/v1/products/?page=9&limit=3").json()
    assert beyond["data"] == []
    assert beyond["total_pages"] == 3


@pytest.mark.parametrize("query", ["page=0", "page=-1", "limit=0", "limit=101", "page=abc"])
def test_bad_pagination_is_422(client, query):
    assert client.get(f"/api/v1/products/?{query}").status_code == 422


def test_search_is_a_case_insensitive_substring(client, make_product):
    make_product(name="Gaming Laptop")
    make_product(name="laptop stand")
    make_product(name="Desk")
    found = client.get("/api/v1/products/?search=LAPTOP").json()
    assert sorted(p["name"] for p in found["data"]) == ["Gaming Laptop", "laptop stand"]
    assert found["total"] == 2


def test_percent_and_underscore_are_literal(client, make_product):
    make_product(name="100% cotton")
    make_product(name="1000 cotton")
    make_product(name="snake_case")
    make_product(name="snakeXcase")
    assert [p["name"] for p in client.get("/api/v1/products/?search=100%25").json()["data"]] == [
        "100% cotton"
    ]
    assert [p["name"] for p in client.get("/api/v1/products/?search=e_c").json()["data"]] == [
        "snake_case"
    ]
    assert client.get("/api/v1/products/?search=%25").json()["total"] == 1


def test_searching_for_none_is_not_the_unfiltered_list(client, make_product):
    make_product(name="Widget")
    assert client.get("/api/v1/products/").json()["total"] == 1
    assert client.get("/api/v1/products/?search=none").json()["total"] == 0
    make_product(name="None such")
    assert client.get("/api/v1/products/?search=none").json()["total"] == 1
    assert client.get("/api/v1/products/").json()["total"] == 2


def test_soft_delete_hides_everywhere_and_restore_brings_back(
    client, admin_headers, alice_headers, make_product
):
    product = make_product(name="Ghost", stock=5)
    url = f"/api/v1/products/{product['id']}"
    assert client.get(url).status_code == 200
    assert client.delete(url, headers=admin_headers).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/products/").json()["total"] == 0
    assert client.get("/api/v1/products/?search=Ghost").json()["total"] == 0
    order = client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    )
    assert order.status_code == 404
    assert client.put(url, json={"stock": 9}, headers=admin_headers).status_code == 404
    assert client.delete(url, headers=admin_headers).status_code == 404
    deleted = client.get("/api/v1/products/deleted", headers=admin_headers).json()
    assert [p["id"] for p in deleted["data"]] == [product["id"]]
    assert client.get("/api/v1/products/deleted", headers=alice_headers).status_code == 403

    restored = client.put(f"{url}/restore", headers=admin_headers)
    assert restored.status_code == 200
    assert restored.json()["is_deleted"] is False
    assert client.get(url).json()["stock"] == 5
    assert client.put(f"{url}/restore", headers=admin_headers).status_code == 409
    assert client.put("/api/v1/products/999999/restore", headers=admin_headers).status_code == 404


def test_unknown_and_out_of_range_ids_are_not_5xx(client):
    assert client.get("/api/v1/products/424242").status_code == 404
    assert client.get("/api/v1/products/0").status_code == 422
    assert client.get(f"/api/v1/products/{2**63}").status_code == 422
    assert client.get("/api/v1/products/abc").status_code == 404
