"""Two deployments sharing one Redis never read each other's keys (CACHE_PREFIX)."""

from __future__ import annotations

import pytest
import redis
from pydantic import ValidationError
from sqlalchemy import text

from oms_app.core import offload
from oms_app.core.cache import Cache, get_cache
from oms_app.core.config import Settings
from oms_app.core.db import get_engine
from oms_app.services import catalogue_cache, counters, login_throttle
from tests.conftest import ALICE
from tests.support import SUITE_REDIS_URL

SHARED_REDIS = SUITE_REDIS_URL  # the suite's Redis database, emptied before each test


def _deployment(monkeypatch, prefix: str) -> Cache:
    """Point this process's catalogue cache and login throttle at one deployment's prefix."""
    cache = Cache(SHARED_REDIS, 2, 300, prefix)
    monkeypatch.setattr(catalogue_cache, "get_cache", lambda: cache)
    monkeypatch.setattr(counters, "get_cache", lambda: cache)
    return cache


def _rename_behind_the_cache(product_id: int, name: str) -> None:
    """Another deployment's product with the same id: same key, different database row."""
    with get_engine().begin() as conn:
        conn.execute(
            text("UPDATE products SET name = :name WHERE id = :id"),
            {"name": name, "id": product_id},
        )


def test_one_deployment_never_serves_the_others_catalogue(monkeypatch, client, make_product):
    product = make_product(name="Shop A widget")
    url = f"/api/v1/products/{product['id']}"
    _deployment(monkeypatch, "shop-a")
    assert client.get(url).json()["name"] == "Shop A widget"
    assert client.get("/api/v1/products/").json()["data"][0]["name"] == "Shop A widget"

    _rename_behind_the_cache(product["id"], "Shop B gadget")
    _deployment(monkeypatch, "shop-b")
    assert client.get(url).json()["name"] == "Shop B gadget"
    assert client.get("/api/v1/products/").json()["data"][0]["name"] == "Shop B gadget"

    # Shop A's answers really are cached (so the check above could have failed).
    _deployment(monkeypatch, "shop-a")
    assert client.get(url).json()["name"] == "Shop A widget"


def test_login_throttling_is_per_deployment(monkeypatch, client):
    def attempts_until_refused() -> int:
        for n in range(1, login_throttle.EMAIL.free_failures + 3):
            response = client.post(
                "/api/v1/users/login", data={"username": ALICE["email"], "password": "guess-1234"}
            )
            if response.status_code == 429:
                return n
        return 0

    _deployment(monkeypatch, "shop-a")
    assert attempts_until_refused() > 0
    _deployment(monkeypatch, "shop-b")
    assert attempts_until_refused() == login_throttle.EMAIL.free_failures + 2


def test_every_key_the_app_writes_carries_the_prefix(client, alice_headers, make_product):
    product = make_product(stock=5)
    client.get("/api/v1/products/")
    client.get(f"/api/v1/products/{product['id']}")
    client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    )
    for _ in range(3):
        client.post("/api/v1/users/login", data={"username": "x@example.com", "password": "nope"})
    client.post("/api/v1/users/password-reset", json={"email": "x@example.com"})
    assert offload.wait_idle(30)
    keys = list(redis.Redis.from_url(SHARED_REDIS).scan_iter())
    assert len(keys) >= 5, keys
    assert any(b":rate:reset:" in key for key in keys), keys
    prefix = get_cache().prefix
    assert prefix.startswith("oms:oms_test_")  # the default: named after the database
    assert [key for key in keys if not key.decode().startswith(prefix + ":")] == []


@pytest.mark.parametrize(
    ("environment", "prefix"),
    [
        ({"DATABASE_URL": "postgresql://oms:secret@db:5432/shop_a"}, "oms:shop_a"),
        ({"DATABASE_URL": "postgresql://oms:secret@db:5432/shop_b"}, "oms:shop_b"),
        ({"DATABASE_URL": "sqlite:////srv/oms/data.db"}, "oms:data"),
        ({"DATABASE_URL": "postgresql://db/shop_a", "CACHE_PREFIX": "tenant-7"}, "tenant-7"),
        ({"DATABASE_URL": "postgresql://db/shop_a", "CACHE_PREFIX": " "}, "oms:shop_a"),
    ],
)
def test_the_prefix_defaults_to_the_database_name(monkeypatch, environment, prefix):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert Settings().redis_prefix == prefix


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "-leading", "new\nline", "trailing\n"])
def test_a_malformed_prefix_is_refused(monkeypatch, bad):
    monkeypatch.setenv("CACHE_PREFIX", bad)
    with pytest.raises(ValidationError):
        Settings()
