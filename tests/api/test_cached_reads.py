"""Cached catalogue reads answered before routing: the same bytes and headers as the route,
never a stale answer, and anything unusual left to the route."""

from __future__ import annotations

import pytest

from oms_app.api import cached_reads
from oms_app.services import products

LIST = "/api/v1/products/?page=1&limit=10"


@pytest.fixture
def routed(monkeypatch) -> list[str]:
    """Names the route handlers that ran (a request the cached path answered runs none)."""
    calls: list[str] = []
    list_json, detail_json = products.list_products_json_async, products.get_product_json_async

    async def counted_list(*args, **kwargs):
        calls.append("list")
        return await list_json(*args, **kwargs)

    async def counted_detail(*args, **kwargs):
        calls.append("detail")
        return await detail_json(*args, **kwargs)

    monkeypatch.setattr(products, "list_products_json_async", counted_list)
    monkeypatch.setattr(products, "get_product_json_async", counted_detail)
    return calls


def _comparable(response) -> tuple[int, bytes, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k != "x-request-id"}
    assert response.headers["x-request-id"]
    return response.status_code, response.content, headers


def test_a_cached_page_is_answered_without_the_route_exactly_as_the_route_answers(
    client, make_product, routed
):
    make_product(name="Lamp")
    first = client.get(LIST)  # a miss: the route answers and caches
    second = client.get(LIST)
    assert routed == ["list"]
    assert _comparable(second) == _comparable(first)
    assert second.json()["data"][0]["name"] == "Lamp"


def test_a_cached_product_is_answered_without_the_route_exactly_as_the_route_answers(
    client, make_product, routed
):
    product = make_product(name="Lamp")
    first = client.get(f"/api/v1/products/{product['id']}")
    second = client.get(f"/api/v1/products/{product['id']}")
    assert routed == ["detail"]
    assert _comparable(second) == _comparable(first)


def test_changes_show_at_once(client, make_product, admin_headers):
    lamp = make_product(name="Lamp", price=5)
    client.get(LIST)
    client.get(f"/api/v1/products/{lamp['id']}")
    make_product(name="Chair")
    response = client.put(
        f"/api/v1/products/{lamp['id']}", json={"price": 7.5}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    assert [p["name"] for p in client.get(LIST).json()["data"]] == ["Chair", "Lamp"]
    assert client.get(f"/api/v1/products/{lamp['id']}").json()["price"] == 7.5


@pytest.mark.parametrize(
    "query",
    [
        "page=1&limit=10&search=lamp",  # another parameter
        "page=1&limit=10&x=1",  # even an ignored one
        "page=1&page=2",  # twice
    ],
)
def test_anything_but_plain_paging_goes_to_the_route(client, make_product, routed, query):
    make_product(name="Lamp")
    client.get(f"/api/v1/products/?{query}")
    client.get(f"/api/v1/products/?{query}")
    assert routed == ["list", "list"]


@pytest.mark.parametrize("query", ["page=0", "limit=101", "page=abc", "limit=", "page=-1"])
def test_values_the_route_refuses_are_refused_by_the_route(client, query):
    # Cached or not, the answer is the route's 422.
    assert cached_reads.cached_answer("/api/v1/products/", query.encode()) is None
    assert client.get(f"/api/v1/products/?{query}").status_code == 422


def test_without_redis_the_route_answers(client, make_product, routed, monkeypatch):
    make_product(name="Lamp")
    monkeypatch.setattr(products, "cached_only", lambda *_: None)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200
    assert routed == ["list", "list"]


def test_unknown_and_out_of_range_ids_go_to_the_route(client, routed):
    assert client.get("/api/v1/products/99").status_code == 404
    assert client.get("/api/v1/products/99").status_code == 404
    assert client.get("/api/v1/products/99999999999").status_code == 422
    assert routed == ["detail", "detail"]


def test_over_https_the_cached_answer_carries_hsts_as_the_route_does(client, make_product, routed):
    make_product(name="Lamp")
    https = {"X-Forwarded-Proto": "https"}
    first, second = client.get(LIST, headers=https), client.get(LIST, headers=https)
    assert routed == ["list"]
    assert "max-age" in second.headers["Strict-Transport-Security"]
    assert _comparable(second) == _comparable(first)


def test_the_caller_request_id_is_echoed_by_the_cached_answer(client, make_product, routed):
    make_product(name="Lamp")
    client.get(LIST)
    assert (
        client.get(LIST, headers={"X-Request-ID": "trace-7"}).headers["X-Request-ID"] == "trace-7"
    )
    assert routed == ["list"]


def test_a_browser_request_goes_to_the_route_which_answers_its_cors(client, make_product, routed):
    make_product(name="Lamp")
    client.get(LIST)
    origin = "http://localhost:3000"  # ALLOWED_ORIGINS' default
    response = client.get(LIST, headers={"Origin": origin})
    assert routed == ["list", "list"]
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_a_get_that_declares_a_body_goes_to_the_route(client, make_product, routed):
    make_product(name="Lamp")
    client.get(LIST)
    response = client.request("GET", LIST, content=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413  # the body limit's answer, as for any request
    assert client.request("GET", LIST, content=b"{}").status_code == 200
    assert routed == ["list", "list"]
