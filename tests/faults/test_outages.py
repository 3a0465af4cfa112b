"""Outages under load: Redis killed mid-load, PostgreSQL connections cut mid-load.

Load runs in threads through the API (the same ASGI app the server mounts) while a fault is
injected; every answer is recorded. Redis is a private redis-server started by the test.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import text

from oms_app.core import cache as cache_module
from oms_app.core.cache import Cache
from oms_app.core.db import get_engine
from oms_app.services import catalogue_cache, counters, health, login_cache
from tests.redis_process import RedisProcess

LOAD_THREADS = 12


@pytest.fixture
def private_redis(monkeypatch):
    server = RedisProcess().start()
    # Retry Redis quickly after a failure so the test sees caching resume within seconds.
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.2)
    cache = Cache(server.url, 0.25, 300)
    for module in (catalogue_cache, health, counters, login_cache):
        monkeypatch.setattr(module, "get_cache", lambda: cache)
    yield server
    server.stop()


class Load:
    """Shoppers reading the catalogue and placing orders until told to stop."""

    def __init__(self, client, headers: dict, product_ids: list[int]) -> None:
        self.client, self.headers, self.product_ids = client, headers, product_ids
        self.stop = threading.Event()
        self.statuses: Counter[int] = Counter()
        self.acknowledged: list[int] = []  # ids of orders answered with 201
        self._lock = threading.Lock()

    def _worker(self, n: int) -> None:
        step = 0
        while not self.stop.is_set():
            step += 1
            product_id = self.product_ids[(n + step) % len(self.product_ids)]
            if step % 3 == 0:
                response = self.client.post(
                    "/api/v1/orders/",
                    json={"product_id": product_id, "quantity": 1},
                    headers=self.headers,
                )
                if response.status_code == 201:
                    with self._lock:
                        self.acknowledged.append(response.json()["id"])
            elif step % 3 == 1:
                response = self.client.get("/api/v1/products/", params={"limit": 5})
            else:
                response = self.client.get(f"/api/v1/products/{product_id}")
            with self._lock:
                self.statuses[response.status_code] += 1

    def __enter__(self) -> Load:
        self._pool = ThreadPoolExecutor(max_workers=LOAD_THREADS)
        self._futures = [self._pool.submit(self._worker, n) for n in range(LOAD_THREADS)]
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        for future in self._futures:
            future.result()  # surfaces any exception raised in a worker
        self._pool.shutdown()

    def requests(self) -> int:
        with self._lock:
            return sum(self.statuses.values())

    def wait_for(self, more: int) -> None:
        target = self.requests() + more
        deadline = time.monotonic() + 60
        while self.requests() < target and time.monotonic() < deadline:
            time.sleep(0.02)


def _stock_balances(product_ids: list[int], initial: int) -> None:
    with get_engine().connect() as conn:
        for product_id in product_ids:
            stock, held = conn.execute(
                text(
                    "SELECT p.stock, COALESCE(SUM(i.quantity) FILTER "
                    "(WHERE o.status <> 'cancelled'), 0) FROM products p "
                    "LEFT JOIN order_items i ON i.product_id = p.id "
                    "LEFT JOIN orders o ON o.id = i.order_id WHERE p.id = :id GROUP BY p.stock"
                ),
                {"id": product_id},
            ).one()
            assert stock + held == initial


def test_redis_dying_mid_load_costs_no_errors_and_caching_resumes(
    client, alice_headers, make_product, private_redis
):
    ids = [make_product(name=f"Item {n}", stock=100_000)["id"] for n in range(3)]
    with Load(client, alice_headers, ids) as load:
        load.wait_for(150)
        private_redis.stop()
        load.wait_for(300)  # served while Redis is gone
        assert client.get("/api/health").json()["status"] == "degraded"
        private_redis.start()
        load.wait_for(300)
    assert set(load.statuses) <= {200, 201}, load.statuses
    assert client.get("/api/health").json()["redis"] == "up"
    # Caching resumed: reads after the restart were stored in the new Redis again.
    client.get(f"/api/v1/products/{ids[0]}")
    stored = redis.Redis.from_url(private_redis.url).info("keyspace")
    assert stored.get("db0", {}).get("keys", 0) > 1
    _stock_balances(ids, 100_000)


def _cut_connections(database: str) -> int:
    with get_engine().connect() as conn:
        cut = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": database},
        ).scalar_one()
        conn.commit()
    return cut


def test_cut_database_connections_give_503_never_500_and_lose_no_order(
    client, alice_headers, make_product, database
):
    ids = [make_product(name=f"Item {n}", stock=100_000)["id"] for n in range(3)]
    database_name = database.rsplit("/", 1)[1]
    with Load(client, alice_headers, ids) as load:
        load.wait_for(100)
        cuts = 0
        for _ in range(5):
            cuts += _cut_connections(database_name)
            load.wait_for(40)
        failed_during_cuts = load.statuses[503]
        load.wait_for(150)  # and then it recovers by itself
    assert cuts > 0
    assert 500 not in load.statuses, load.statuses
    assert set(load.statuses) <= {200, 201, 503}, load.statuses
    # Recovered: a fresh burst succeeds entirely.
    after = Counter(client.get(f"/api/v1/products/{ids[0]}").status_code for _ in range(20))
    assert after == {200: 20}
    # Every order acknowledged with 201 is really there, and stock still balances.
    with get_engine().connect() as conn:
        stored = set(conn.execute(text("SELECT id FROM orders")).scalars())
    assert set(load.acknowledged) <= stored
    assert load.acknowledged
    _stock_balances(ids, 100_000)
    print(
        f"cut {cuts} connections; statuses {dict(load.statuses)}; "
        f"503s during cuts: {failed_during_cuts}"
    )
