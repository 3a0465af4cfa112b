"""Operations: request ids, access logs, health when a dependency is down, database restarts."""

from __future__ import annotations

import io
import json
import logging

import psycopg
import pytest

from tests.conftest import ALICE, bearer, login, register

DEAD_PORT_REDIS = "redis://127.0.0.1:1"
DEAD_PORT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/oms"


@pytest.fixture
def json_logs():
    """Logging configured as LOG_JSON=1 configures it; yields a reader of the JSON lines."""
    from oms_app.core.logging import configure_logging

    configure_logging("INFO", as_json=True)
    stream = io.StringIO()
    (handler,) = logging.getLogger("oms").handlers
    handler.setStream(stream)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line]

    yield read
    for name in ("oms", "oms_app"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
        logger.setLevel(logging.NOTSET)


def test_a_sane_incoming_request_id_is_echoed(client) -> None:
    response = client.get("/api/v1/products/", headers={"X-Request-ID": "lb-42.abc_DEF-9"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "lb-42.abc_DEF-9"


@pytest.mark.parametrize(
    "incoming",
    [None, "", "x" * 129, "has space", "semi;colon", "back\\slash", "ünïcode"],
)
def test_a_missing_or_unsafe_request_id_is_replaced(client, incoming: str | None) -> None:
    headers = {} if incoming is None else {"X-Request-ID": incoming.encode()}
    response = client.get("/api/v1/products/", headers=headers)
    generated = response.headers["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32
    assert int(generated, 16) >= 0  # uuid4 hex


def test_every_response_carries_a_request_id_even_errors(client) -> None:
    assert "X-Request-ID" in client.get("/api/v1/users/me").headers  # 401
    assert "X-Request-ID" in client.get("/api/v1/products/?limit=0").headers  # 422
    assert "X-Request-ID" in client.get("/api/nowhere").headers  # 404


def test_an_unexpected_error_still_carries_its_request_id(json_logs) -> None:
    from fastapi.testclient import TestClient

    from oms_app.api.main import create_api

    api = create_api()

    def boom() -> None:
        raise RuntimeError("a bug")

    api.add_api_route("/api/boom", boom)
    with TestClient(api, raise_server_exceptions=False) as test_client:
        response = test_client.get("/api/boom", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-500"
    lines = json_logs()
    error = next(line for line in lines if line["message"] == "unhandled error")
    assert error["request_id"] == "trace-500"
    access = next(line for line in lines if line["logger"] == "oms.access")
    assert access["status"] == 500


def test_one_json_access_line_per_api_request(client, json_logs) -> None:
    client.get("/api/v1/products/?page=1&limit=5", headers={"X-Request-ID": "req-1"})
    client.get("/api/v1/users/me")
    access = [line for line in json_logs() if line["logger"] == "oms.access"]
    assert len(access) == 2
    first, second = access
    assert first["request_id"] == "req-1"
    assert first["method"] == "GET"
    assert first["path"] == "/api/v1/products/"
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float)
    assert first["level"] == "INFO"
    assert second["status"] == 401
    assert len(second["request_id"]) == 32
    # Credentials and query strings stay out of the access log.
    assert "limit=5" not in json.dumps(access)


def test_a_cached_read_writes_the_same_access_line_as_a_routed_one(
    client, json_logs, monkeypatch
) -> None:
    from oms_app.services import products

    routed = []
    list_json = products.list_products_json_async

    async def counted(*args, **kwargs):
        routed.append(1)
        return await list_json(*args, **kwargs)

    monkeypatch.setattr(products, "list_products_json_async", counted)
    client.get("/api/v1/products/?page=1&limit=5", headers={"X-Request-ID": "req-1"})
    client.get("/api/v1/products/?page=1&limit=5", headers={"X-Request-ID": "req-2"})
    assert routed == [1]  # the second came from the cache, before routing
    routed_line, cached_line = [line for line in json_logs() if line["logger"] == "oms.access"]
    fields = ("method", "path", "status", "level", "message")
    assert {k: cached_line[k] for k in fields} == {k: routed_line[k] for k in fields}
    assert cached_line["request_id"] == "req-2"
    assert isinstance(cached_line["duration_ms"], float)


def test_health_checks_are_not_logged_at_info(client, json_logs) -> None:
    client.get("/api/health")
    assert not [line for line in json_logs() if line["logger"] == "oms.access"]


def test_health_is_up_with_both_dependencies(client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "up", "database": "up", "redis": "up"}


def test_health_is_degraded_with_redis_down(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from oms_app.core.cache import Cache
    from oms_app.services import health

    dead = Cache(DEAD_PORT_REDIS, 0.2, 300)
    monkeypatch.setattr(health, "get_cache", lambda: dead)
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "up", "redis": "down"}


def test_health_is_down_with_the_database_unreachable(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oms_app.core.db import make_engine
    from oms_app.services import health

    dead = make_engine(DEAD_PORT_DATABASE)
    monkeypatch.setattr(health, "get_engine", lambda: dead)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "redis": "up"}
    dead.dispose()


def test_requests_survive_the_database_dropping_every_connection(client, database: str) -> None:
    """A PostgreSQL restart or failover kills pooled connections; pre-ping replaces them."""
    register(client, ALICE)
    headers = bearer(login(client, ALICE))
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200

    with psycopg.connect(database, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1  # the pool held at least one connection, now dead

    response = client.get("/api/v1/users/me", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["email"] == ALICE["email"]
    assert client.get("/api/health").json()["database"] == "up"
