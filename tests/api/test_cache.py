"""The product cache: always fresh after a change, never in the way when Redis is not."""

from __future__ import annotations

import socket
import threading

import pytest
import redis

from oms_app.core import cache as cache_module
from oms_app.core.cache import Cache
from oms_app.services import catalogue_cache
from tests.redis_process import RedisProcess


def _use_cache(monkeypatch, cache: Cache) -> None:
    monkeypatch.setattr(catalogue_cache, "get_cache", lambda: cache)


@pytest.fixture
def private_redis():
    server = RedisProcess().start()
    yield server
    server.stop()


def test_orders_and_cancels_show_in_cached_reads_at_once(client, alice_headers, make_product):
    product = make_product(stock=10)
    url = f"/api/v1/products/{product['id']}"
    assert client.get(url).json()["stock"] == 10  # now cached
    assert client.get("/api/v1/products/").json()["data"][0]["stock"] == 10
    order = client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 4}, headers=alice_headers
    ).json()
    assert client.get(url).json()["stock"] == 6
    assert client.get("/api/v1/products/").json()["data"][0]["stock"] == 6
    client.put(f"/api/v1/orders/{order['id']}/cancel", headers=alice_headers)
    assert client.get(url).json()["stock"] == 10
    assert client.get("/api/v1/products/").json()["data"][0]["stock"] == 10


def test_admin_changes_show_at_once(client, admin_headers, make_product):
    product = make_product(name="Old name")
    url = f"/api/v1/products/{product['id']}"
    client.get(url)
    client.get("/api/v1/products/?search=old")
    client.put(url, json={"name": "New name"}, headers=admin_headers)
    assert client.get(url).json()["name"] == "New name"
    assert client.get("/api/v1/products/?search=old").json()["total"] == 0
    client.delete(url, headers=admin_headers)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/products/").json()["total"] == 0
    client.put(f"{url}/restore", headers=admin_headers)
    assert client.get(url).status_code == 200


def test_cache_hits_keep_correct_pagination(client, make_product):
    for n in range(5):
        make_product(name=f"P{n}")
    first = client.get("/api/v1/products/?page=2&limit=2").json()
    second = client.get("/api/v1/products/?page=2&limit=2").json()
    assert first == second
    assert (second["total"], second["total_pages"], second["page"], second["limit"]) == (5, 3, 2, 2)


def test_reads_are_served_from_redis(monkeypatch, client, make_product, private_redis):
    _use_cache(monkeypatch, Cache(private_redis.url, 0.25, 300))
    product = make_product()
    client.get(f"/api/v1/products/{product['id']}")
    stats_before = redis.Redis.from_url(private_redis.url).info("commandstats")
    for _ in range(5):
        client.get(f"/api/v1/products/{product['id']}")
    stats_after = redis.Redis.from_url(private_redis.url).info("commandstats")
    assert stats_after.get("cmdstat_set", {}).get("calls", 0) == stats_before.get(
        "cmdstat_set", {}
    ).get("calls", 0)


def test_no_keys_or_scan_on_the_request_path(
    monkeypatch, client, admin_headers, alice_headers, make_product, private_redis
):
    _use_cache(monkeypatch, Cache(private_redis.url, 0.25, 300))
    product = make_product()
    for search in (None, "wid", "none"):
        client.get("/api/v1/products/", params={"search": search} if search else {})
    client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    )
    client.put(f"/api/v1/products/{product['id']}", json={"stock": 3}, headers=admin_headers)
    client.get(f"/api/v1/products/{product['id']}")
    stats = redis.Redis.from_url(private_redis.url).info("commandstats")
    assert stats, "the private Redis saw no traffic"
    assert not {"cmdstat_keys", "cmdstat_scan"} & set(stats)
    # A read is one plain MGET (epoch, version, entry): no script runs inside Redis.
    assert stats["cmdstat_mget"]["calls"] >= 5
    assert not {"cmdstat_eval", "cmdstat_evalsha"} & set(stats)


def test_an_entry_from_before_an_invalidation_is_never_read(private_redis):
    cache = Cache(private_redis.url, 0.25, 300)
    slot, _ = cache.get("products", "page-1")
    cache.invalidate("products")  # a writer commits while the reader reads the database
    cache.put(slot, b"stale")
    assert cache.get("products", "page-1")[1] is None
    fresh, _ = cache.get("products", "page-1")
    cache.put(fresh, b"fresh")
    assert cache.get("products", "page-1")[1] == b"fresh"
    assert cache.get("product:1", "page-1")[1] is None  # another namespace, another entry


def test_a_dead_redis_port_still_serves(monkeypatch, client, alice_headers, make_product):
    dead = Cache("redis://127.0.0.1:1/0", 0.25, 300)
    _use_cache(monkeypatch, dead)
    product = make_product(stock=3)
    for _ in range(3):
        assert client.get("/api/v1/products/").status_code == 200
        assert client.get(f"/api/v1/products/{product['id']}").json()["stock"] == 3
    order = client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    )
    assert order.status_code == 201
    assert client.get(f"/api/v1/products/{product['id']}").json()["stock"] == 2


class _SilentServer:
    """Accepts TCP connections and never answers: a Redis that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def test_a_hanging_redis_costs_one_timeout_not_one_per_request(monkeypatch, client, make_product):
    silent = _SilentServer()
    try:
        _use_cache(monkeypatch, Cache(f"redis://127.0.0.1:{silent.port}/0", 0.2, 300))
        product = make_product()
        for _ in range(20):
            assert client.get(f"/api/v1/products/{product['id']}").status_code == 200
            assert client.get("/api/v1/products/").status_code == 200
        # After the first timeout the cache stands aside instead of making every request wait.
        assert len(silent.accepted) == 1
    finally:
        silent.close()


def test_caching_resumes_when_redis_returns(
    monkeypatch, client, admin_headers, make_product, private_redis
):
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.0)
    cache = Cache(private_redis.url, 0.25, 300)
    _use_cache(monkeypatch, cache)
    product = make_product(stock=5)
    url = f"/api/v1/products/{product['id']}"
    assert client.get(url).json()["stock"] == 5
    private_redis.stop()
    # Changed while Redis was away: the invalidation could not be sent.
    client.put(url, json={"stock": 4}, headers=admin_headers)
    assert client.get(url).json()["stock"] == 4
    private_redis.start()
    assert client.get(url).json()["stock"] == 4
    assert client.get(url).json()["stock"] == 4
    server = redis.Redis.from_url(private_redis.url)
    assert server.get(cache.epoch_key) is not None
    assert all(key.startswith(cache.prefix.encode() + b":") for key in server.scan_iter())


class _SlowFirstReadProxy:
    """Forwards to Redis, but holds the reply to the first MGET back for `delay` seconds: a
    reply that arrives after its reader gave up."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.target_port, self.delay = target_port, delay
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self._first_read = threading.Event()
        self._held_once = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink, replies in (
                (downstream, upstream, False),
                (upstream, downstream, True),
            ):
                threading.Thread(
                    target=self._pipe, args=(source, sink, replies), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, replies: bool) -> None:
        try:
            while data := source.recv(65536):
                if not replies and b"MGET" in data:
                    self._first_read.set()
                elif replies and self._first_read.is_set() and not self._held_once:
                    self._held_once = True
                    threading.Event().wait(self.delay)
                sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


def test_a_late_reply_is_never_taken_for_the_next_reads(monkeypatch, private_redis):
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.0)
    direct = Cache(private_redis.url, 0.25, 300, prefix="late")
    old, _ = direct.get("products", "page-1")
    direct.put(old, b"old")
    proxy = _SlowFirstReadProxy(private_redis.port, delay=0.6)
    try:
        cache = Cache(f"redis://127.0.0.1:{proxy.port}/0", 0.25, 300, prefix="late")
        assert cache.get("products", "page-1") == (None, None)  # timed out: a miss
        threading.Event().wait(0.6)  # by now the late reply would have reached its reader
        assert cache.client is not None  # Redis is back: the epoch moves on
        direct.invalidate("products")
        fresh, _ = direct.get("products", "page-1")
        direct.put(fresh, b"new")
        assert cache.get("products", "page-1")[1] == b"new"
        assert cache.get("products", "page-2")[1] is None
    finally:
        proxy.close()


def test_a_forked_process_reads_on_its_own_connection(private_redis):
    import os

    cache = Cache(private_redis.url, 0.25, 300, prefix="fork")
    for key in ("parent", "child"):
        slot, _ = cache.get("products", key)
        cache.put(slot, key.encode())
    read_fd, write_fd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        ok = all(cache.get("products", "child")[1] == b"child" for _ in range(300))
        os.write(write_fd, b"1" if ok else b"0")
        os._exit(0)
    parent_reads = [cache.get("products", "parent")[1] for _ in range(300)]
    os.waitpid(child, 0)
    assert os.read(read_fd, 1) == b"1"
    assert parent_reads == [b"parent"] * 300
