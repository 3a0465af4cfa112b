"""The catalogue's filters and sorts over REST: each one, their combinations, and every 422."""

from __future__ import annotations

import pytest

LIST = "/api/v1/products/"


@pytest.fixture
def shop(client, admin_headers, make_product):
    """Two categories and six products; names, prices and stock chosen so every sort differs."""
    ids = {}
    for name in ("Lamps", "Chairs"):
        response = client.post("/api/v1/categories/", json={"name": name}, headers=admin_headers)
        ids[name] = response.json()["id"]
    rows = [
        ("desk lamp", "25.00", 4, "Lamps"),
        ("Floor Lamp", "80.00", 0, "Lamps"),
        ("Arc Lamp", "150.00", 2, "Lamps"),
        ("Bar Stool", "80.00", 7, "Chairs"),
        ("office chair", "199.99", 0, "Chairs"),
        ("Candle", "4.50", 30, None),
    ]
    products = {}
    for name, price, stock, category in rows:
        extra = {"category_id": ids[category]} if category else {}
        products[name] = make_product(name=name, price=price, stock=stock, **extra)["id"]
    return {"categories": ids, "products": products}


def _names(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["data"]]


def test_no_filter_is_every_live_product_newest_first(client, shop):
    assert _names(client, "") == [
        "Candle",
        "office chair",
        "Bar Stool",
        "Arc Lamp",
        "Floor Lamp",
        "desk lamp",
    ]
    assert _names(client, "sort=-created_at") == _names(client, "")


def test_category_by_id_or_by_slug(client, shop):
    lamps = ["Arc Lamp", "Floor Lamp", "desk lamp"]
    assert _names(client, f"category={shop['categories']['Lamps']}") == lamps
    assert _names(client, "category=lamps") == lamps
    assert _names(client, "category=LAMPS") == lamps
    assert _names(client, "category=") == _names(client, "")  # blank: no filter


@pytest.mark.parametrize("category", ["999", "0", "99999999999", "no-such-thing"])
def test_an_unknown_category_is_an_empty_page(client, shop, category):
    body = client.get(f"{LIST}?category={category}").json()
    assert (body["data"], body["total"], body["total_pages"]) == ([], 0, 0)


@pytest.mark.parametrize(
    "category", ["lamps%20", "a%20b", "a_b", "-lamps", "lamps-", "a--b", "caf%C3%A9", "x" * 101]
)
def test_a_malformed_category_is_422(client, shop, category):
    assert client.get(f"{LIST}?category={category}").status_code == 422


def test_price_bounds_are_inclusive(client, shop):
    assert _names(client, "min_price=80&max_price=150&sort=price") == [
        "Floor Lamp",
        "Bar Stool",
        "Arc Lamp",
    ]
    assert _names(client, "min_price=80.00&max_price=80") == ["Bar Stool", "Floor Lamp"]
    assert _names(client, "max_price=4.5") == ["Candle"]
    assert _names(client, "min_price=199.99") == ["office chair"]
    assert _names(client, "min_price=0") == _names(client, "")


@pytest.mark.parametrize(
    "query",
    [
        "min_price=10&max_price=9.99",
        "min_price=-1",
        "max_price=-0.01",
        "min_price=1.001",
        "min_price=abc",
        "max_price=100000000",
        "min_price=",
        "min_price=true",
    ],
)
def test_bad_price_bounds_are_422(client, shop, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 422


def test_min_above_max_says_so(client, shop):
    detail = client.get(f"{LIST}?min_price=10&max_price=5").json()["detail"]
    assert "min_price must not be more than max_price" in str(detail)


def test_in_stock_keeps_products_with_stock(client, shop):
    in_stock = ["Candle", "Bar Stool", "Arc Lamp", "desk lamp"]
    assert _names(client, "in_stock=true") == in_stock
    assert _names(client, "in_stock=1") == in_stock
    assert _names(client, "in_stock=false") == _names(client, "")
    assert client.get(f"{LIST}?in_stock=maybe").status_code == 422


def test_sorts_with_ties_broken_by_id(client, shop):
    # Floor Lamp and Bar Stool cost the same: ascending by id one way, descending the other.
    assert _names(client, "sort=price") == [
        "Candle",
        "desk lamp",
        "Floor Lamp",
        "Bar Stool",
        "Arc Lamp",
        "office chair",
    ]
    assert _names(client, "sort=-price") == [
        "office chair",
        "Arc Lamp",
        "Bar Stool",
        "Floor Lamp",
        "desk lamp",
        "Candle",
    ]
    assert _names(client, "sort=name") == [  # any case
        "Arc Lamp",
        "Bar Stool",
        "Candle",
        "desk lamp",
        "Floor Lamp",
        "office chair",
    ]


@pytest.mark.parametrize("sort", ["created_at", "-name", "PRICE", "price,name", "random", ""])
def test_an_unknown_sort_is_422(client, shop, sort):
    assert client.get(f"{LIST}?sort={sort}").status_code == 422


def test_every_filter_together_with_search_and_pages(client, shop, make_product):
    lamps = shop["categories"]["Lamps"]
    for n in range(5):
        make_product(name=f"Lamp shade {n}", price=f"{30 + n}.00", stock=n, category_id=lamps)
    query = "category=lamps&min_price=25&max_price=150&in_stock=true&sort=-price&search=LAMP"
    first = client.get(f"{LIST}?{query}&limit=3").json()
    assert [p["name"] for p in first["data"]] == ["Arc Lamp", "Lamp shade 4", "Lamp shade 3"]
    assert (first["total"], first["total_pages"]) == (6, 2)
    second = client.get(f"{LIST}?{query}&limit=3&page=2").json()
    assert [p["name"] for p in second["data"]] == ["Lamp shade 2", "Lamp shade 1", "desk lamp"]
    beyond = client.get(f"{LIST}?{query}&limit=3&page=5").json()
    assert (beyond["data"], beyond["total"]) == ([], 6)


def test_search_pages_follow_the_sort(client, shop):
    assert _names(client, "search=lamp&sort=price") == ["desk lamp", "Floor Lamp", "Arc Lamp"]
    assert _names(client, "search=lamp&sort=name") == ["Arc Lamp", "desk lamp", "Floor Lamp"]


def test_filters_never_show_deleted_products(client, admin_headers, shop):
    arc = shop["products"]["Arc Lamp"]
    client.delete(f"/api/v1/products/{arc}", headers=admin_headers)
    assert "Arc Lamp" not in _names(client, "category=lamps&sort=price&in_stock=true")
    deleted = client.get(f"{LIST}deleted", headers=admin_headers).json()
    assert [p["name"] for p in deleted["data"]] == ["Arc Lamp"]


def test_unknown_query_parameters_are_ignored(client, shop):
    assert _names(client, "_=12345&colour=red") == _names(client, "")
