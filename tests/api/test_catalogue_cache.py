"""Filtered and sorted catalogue pages are cached, and still right after any change that could
alter them: a price, a category, a rename, a deletion, or stock taken by an order."""

from __future__ import annotations

import pytest

LIST = "/api/v1/products/"


@pytest.fixture
def lamps(client, admin_headers) -> dict:
    return client.post("/api/v1/categories/", json={"name": "Lamps"}, headers=admin_headers).json()


def _names(client, query: str) -> list[str]:
    return [p["name"] for p in client.get(f"{LIST}?{query}").json()["data"]]


def test_a_price_change_moves_a_product_in_and_out_of_cached_pages(
    client, admin_headers, make_product
):
    cheap = make_product(name="Cheap", price="5.00")
    make_product(name="Dear", price="50.00")
    assert _names(client, "max_price=10") == ["Cheap"]
    assert _names(client, "sort=-price") == ["Dear", "Cheap"]
    client.put(f"{LIST}{cheap['id']}", json={"price": "99.00"}, headers=admin_headers)
    assert _names(client, "max_price=10") == []
    assert _names(client, "sort=-price") == ["Cheap", "Dear"]


def test_moving_a_product_between_categories_shows_in_both(
    client, admin_headers, lamps, make_product
):
    chairs = client.post(
        "/api/v1/categories/", json={"name": "Chairs"}, headers=admin_headers
    ).json()
    product = make_product(name="Thing", category_id=lamps["id"])
    assert (_names(client, "category=lamps"), _names(client, "category=chairs")) == (["Thing"], [])
    client.put(f"{LIST}{product['id']}", json={"category_id": chairs["id"]}, headers=admin_headers)
    assert (_names(client, "category=lamps"), _names(client, "category=chairs")) == ([], ["Thing"])


def test_a_rename_moves_the_slug_at_once(client, admin_headers, lamps, make_product):
    make_product(name="Lamp", category_id=lamps["id"])
    assert _names(client, "category=lamps") == ["Lamp"]
    assert _names(client, "category=lights") == []
    client.put(f"/api/v1/categories/{lamps['id']}", json={"name": "Lights"}, headers=admin_headers)
    assert _names(client, "category=lamps") == []
    assert _names(client, "category=lights") == ["Lamp"]
    assert _names(client, f"category={lamps['id']}") == ["Lamp"]


def test_a_new_or_deleted_category_shows_at_once(client, admin_headers):
    assert _names(client, "category=lamps") == []  # an unknown slug, cached as empty
    assert client.get("/api/v1/categories/").json()["total"] == 0
    created = client.post("/api/v1/categories/", json={"name": "Lamps"}, headers=admin_headers)
    assert client.get("/api/v1/categories/").json()["total"] == 1
    client.delete(f"/api/v1/categories/{created.json()['id']}", headers=admin_headers)
    assert client.get("/api/v1/categories/").json()["total"] == 0


def test_an_order_taking_the_last_unit_leaves_the_in_stock_page(
    client, alice_headers, lamps, make_product
):
    last = make_product(name="Last one", stock=1, category_id=lamps["id"])
    make_product(name="Plenty", stock=50, category_id=lamps["id"])
    query = "category=lamps&in_stock=true&sort=name"
    assert _names(client, query) == ["Last one", "Plenty"]
    order = client.post(
        "/api/v1/orders/", json={"product_id": last["id"], "quantity": 1}, headers=alice_headers
    ).json()
    assert _names(client, query) == ["Plenty"]
    assert _names(client, "category=lamps&sort=name") == ["Last one", "Plenty"]
    client.put(f"/api/v1/orders/{order['id']}/cancel", headers=alice_headers)
    assert _names(client, query) == ["Last one", "Plenty"]


def test_deleting_and_restoring_shows_in_filtered_pages(client, admin_headers, lamps, make_product):
    product = make_product(name="Lamp", category_id=lamps["id"], price="20.00")
    query = "category=lamps&min_price=10&sort=price"
    assert _names(client, query) == ["Lamp"]
    client.delete(f"{LIST}{product['id']}", headers=admin_headers)
    assert _names(client, query) == []
    client.put(f"{LIST}{product['id']}/restore", headers=admin_headers)
    assert _names(client, query) == ["Lamp"]


def test_equal_bounds_written_differently_answer_alike(client, make_product):
    make_product(name="Ten", price="10.00")
    assert _names(client, "min_price=10") == _names(client, "min_price=10.00") == ["Ten"]
