"""GET /api/v1/orders/export.csv: admins only, the list's filters, bearer or single-use
download token."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from oms_app.core.db import get_engine
from oms_app.core.errors import Forbidden, NotAuthenticated
from oms_app.core.security import hash_token
from oms_app.services import auth

EXPORT = "/api/v1/orders/export.csv"
# The first export's columns first, in their old order; then customer, address and updated_at.
HEADER = [
    "id",
    "created_at",
    "user_id",
    "status",
    "total",
    "item_count",
    "items",
    "customer_name",
    "customer_email",
    "ship_full_name",
    "ship_line1",
    "ship_line2",
    "ship_city",
    "ship_postal_code",
    "ship_country",
    "ship_phone",
    "updated_at",
]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.text)))


def _download_token(headers: dict, **kwargs) -> str:
    return auth.issue_download_token(headers["Authorization"].removeprefix("Bearer "), **kwargs)


@pytest.fixture
def orders(client, admin_headers, alice_headers, make_product) -> dict[str, dict]:
    widget = make_product("Widget", price=10.00, stock=50)
    gadget = make_product("Gadget", price=2.50, stock=50)
    cart = {
        "items": [
            {"product_id": widget["id"], "quantity": 2},
            {"product_id": gadget["id"], "quantity": 1},
        ]
    }
    placed = {}
    for name in ("pending", "shipped", "cancelled"):
        response = client.post("/api/v1/orders/", json=cart, headers=alice_headers)
        assert response.status_code == 201, response.text
        placed[name] = response.json()
    for name in ("shipped", "cancelled"):
        response = client.put(
            f"/api/v1/orders/{placed[name]['id']}", json={"status": name}, headers=admin_headers
        )
        assert response.status_code == 200, response.text
    return placed


def test_admin_exports_every_order_newest_first(client, admin_headers, orders):
    rows = _rows(client.get(EXPORT, headers=admin_headers))
    assert rows[0] == HEADER
    assert [int(row[0]) for row in rows[1:]] == sorted(
        (o["id"] for o in orders.values()), reverse=True
    )
    pending = next(row for row in rows[1:] if int(row[0]) == orders["pending"]["id"])
    assert pending[2] == str(orders["pending"]["user_id"])
    assert pending[3:6] == ["pending", "22.50", "3"]
    assert pending[6] == "2 x Widget; 1 x Gadget"
    assert pending[7:9] == ["Alice", "alice@example.com"]
    assert pending[9:16] == [""] * 7  # placed without an address, as the reference's clients do
    assert pending[16] == orders["pending"]["updated_at"].replace("Z", "+00:00")


def test_the_status_filter_applies(client, admin_headers, orders):
    rows = _rows(client.get(EXPORT, params={"status": "shipped"}, headers=admin_headers))
    assert rows[0] == HEADER
    assert [(int(r[0]), r[3]) for r in rows[1:]] == [(orders["shipped"]["id"], "shipped")]
    assert _rows(client.get(EXPORT, params={"status": "delivered"}, headers=admin_headers)) == [
        HEADER
    ]


def test_an_unknown_status_is_422(client, admin_headers):
    assert client.get(EXPORT, params={"status": "lost"}, headers=admin_headers).status_code == 422


def test_shoppers_are_refused_and_visitors_must_log_in(client, alice_headers, orders):
    assert client.get(EXPORT, headers=alice_headers).status_code == 403
    response = client.get(EXPORT)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_download_token_works_once_without_a_header(client, admin_headers, orders):
    token = _download_token(admin_headers)
    rows = _rows(client.get(EXPORT, params={"download_token": token, "status": "pending"}))
    assert [int(r[0]) for r in rows[1:]] == [orders["pending"]["id"]]
    # A link copied from history, a log or a shoulder is dead.
    assert client.get(EXPORT, params={"download_token": token}).status_code == 401
    assert client.get(EXPORT, params={"download_token": _download_token(admin_headers)}).is_success


def test_only_admins_get_download_tokens(client, alice_headers):
    with pytest.raises(Forbidden):
        _download_token(alice_headers)


def test_a_download_token_is_spent_once_however_many_use_it_at_once(client, admin_headers):
    """Every worker or instance shares the one record of the token: exactly one wins."""
    token = _download_token(admin_headers)
    attempts = 8
    barrier = threading.Barrier(attempts)

    def use() -> bool:
        barrier.wait()
        try:
            auth.authenticate_download(token)
        except NotAuthenticated:
            return False
        return True

    with ThreadPoolExecutor(attempts) as pool:
        results = list(pool.map(lambda _: use(), range(attempts)))
    assert sorted(results) == [False] * (attempts - 1) + [True]


def test_tokens_are_stored_hashed(client, admin_headers):
    token = _download_token(admin_headers)
    with get_engine().connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM one_time_tokens")).scalars().all()
    assert stored == [hash_token(token)]


def test_an_expired_download_token_is_refused(client, admin_headers):
    token = _download_token(admin_headers, lifetime=timedelta(seconds=-1))
    assert client.get(EXPORT, params={"download_token": token}).status_code == 401


def test_tokens_are_not_interchangeable(client, admin_headers):
    access = admin_headers["Authorization"].removeprefix("Bearer ")
    download = _download_token(admin_headers)
    assert client.get(EXPORT, params={"download_token": access}).status_code == 401
    assert client.get(EXPORT, headers={"Authorization": f"Bearer {download}"}).status_code == 401
    # Nor anywhere else in the API: a download token is not a login.
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {download}"})
    assert me.status_code == 401
    assert client.post("/api/v1/users/refresh", json={"refresh_token": download}).status_code == 401


def test_logging_out_kills_the_download_tokens_of_that_login(client, admin_headers):
    download = _download_token(admin_headers)
    assert client.post("/api/v1/users/logout", headers=admin_headers).status_code == 200
    assert client.get(EXPORT, params={"download_token": download}).status_code == 401


def test_a_download_token_needs_a_live_login(client):
    with pytest.raises(auth.NotAuthenticated):
        auth.issue_download_token("not-a-token")


def test_order_ids_still_route_after_the_export(client, admin_headers, orders):
    order_id = orders["pending"]["id"]
    assert client.get(f"/api/v1/orders/{order_id}", headers=admin_headers).json()["id"] == order_id


@pytest.mark.parametrize(
    "params",
    [
        {"q": "alice"},
        {"q": "nobody"},
        {"status": ["pending", "cancelled"]},
        {"sort": "created_at"},
        {"sort": "-total", "status": "shipped"},
        {"created_from": "2000-01-01", "created_to": "2999-12-31"},
        {"created_to": "2000-01-01"},
    ],
)
def test_the_export_takes_the_lists_filters(client, admin_headers, orders, params):
    rows = _rows(client.get(EXPORT, params=params, headers=admin_headers))
    listed = client.get("/api/v1/orders/", params={**params, "limit": 100}, headers=admin_headers)
    assert [int(row[0]) for row in rows[1:]] == [o["id"] for o in listed.json()["data"]]


def test_the_export_filters_by_customer_and_order_number(client, admin_headers, orders):
    alice_id = orders["pending"]["user_id"]
    rows = _rows(client.get(EXPORT, params={"customer_id": alice_id}, headers=admin_headers))
    assert len(rows) == 1 + 3
    shipped = orders["shipped"]["id"]
    rows = _rows(client.get(EXPORT, params={"q": f"#{shipped}"}, headers=admin_headers))
    assert [int(r[0]) for r in rows[1:]] == [shipped]


def test_bad_export_filters_are_422(client, admin_headers):
    for params in (
        {"created_from": "2025-03-02", "created_to": "2025-03-01"},
        {"sort": "price"},
        {"customer_id": 0},
    ):
        assert client.get(EXPORT, params=params, headers=admin_headers).status_code == 422


def test_customer_text_cannot_become_a_spreadsheet_formula(client, admin_headers, make_product):
    evil = {"name": "=HYPERLINK(1)", "email": "mallory@example.com", "password": "mallory-pass-1"}
    client.post("/api/v1/users/register", json=evil)
    token = client.post(
        "/api/v1/users/login", data={"username": evil["email"], "password": evil["password"]}
    ).json()["access_token"]
    address = {
        "full_name": "@SUM(1+1)",
        "line1": "+1 Main St",
        "line2": "-2",
        "city": "=cmd|' /C calc'!A0",
        "postal_code": "12345",
        "country": "us",
        "phone": "+1 555 0100",
    }
    product = make_product("=Gadget", stock=5)
    placed = client.post(
        "/api/v1/orders/",
        json={"product_id": product["id"], "quantity": 2, "shipping_address": address},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert placed.status_code == 201, placed.text
    (row,) = _rows(client.get(EXPORT, headers=admin_headers))[1:]
    record = dict(zip(HEADER, row, strict=True))
    assert record["items"] == "2 x =Gadget"
    assert record["customer_name"] == "'=HYPERLINK(1)"
    assert record["customer_email"] == "mallory@example.com"
    assert record["ship_full_name"] == "'@SUM(1+1)"
    assert record["ship_line1"] == "'+1 Main St"
    assert record["ship_line2"] == "'-2"
    assert record["ship_city"] == "'=cmd|' /C calc'!A0"
    assert record["ship_postal_code"] == "12345"
    assert record["ship_country"] == "US"
    assert record["ship_phone"] == "'+1 555 0100"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_a_deleted_customers_orders_export_with_blank_customer(client, admin_headers, orders):
    alice_id = orders["pending"]["user_id"]
    assert client.delete(f"/api/v1/users/{alice_id}", headers=admin_headers).status_code == 200
    rows = _rows(client.get(EXPORT, headers=admin_headers))
    assert len(rows) == 1 + 3  # still one row per order
    assert all(row[2] == row[7] == row[8] == "" for row in rows[1:])
