"""GET /api/v1/orders/export.csv: admins only, filtered by status, bearer or single-use download
token."""

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
HEADER = ["id", "created_at", "user_id", "status", "total", "item_count", "items"]


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
