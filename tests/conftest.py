"""Fixtures for the service and API suites: a fresh PostgreSQL database and a Redis database.

Settings are read once per process, so the environment is set before anything imports oms_app.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from tests.support import SUITE_REDIS_URL, fresh_database

TEST_DB = fresh_database("oms_test") if not os.environ.get("OMS_E2E_ONLY") else ""
UPLOADS = tempfile.mkdtemp(prefix="oms-uploads-")
atexit.register(shutil.rmtree, UPLOADS, ignore_errors=True)
os.environ.update(
    {
        "APP_ENV": "test",
        "DATABASE_URL": TEST_DB,
        "REDIS_URL": SUITE_REDIS_URL,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
        "BCRYPT_ROUNDS": "4",
        # A loaded CI machine must not make the shared Redis look down mid-test.
        "REDIS_TIMEOUT_SECONDS": "2",
        "ADMIN_EMAIL": "",
        "ADMIN_PASSWORD": "",
        "DEMO_DATA": "0",
        # Uploaded images of this run (and of the servers it starts), never the repository's.
        "REFLEX_UPLOADED_FILES_DIR": UPLOADS,
    }
)

ADMIN = {"name": "Ada Admin", "email": "admin@example.com", "password": "admin-pass-123"}
ALICE = {"name": "Alice", "email": "alice@example.com", "password": "alice-pass-123"}
BOB = {"name": "Bob", "email": "bob@example.com", "password": "bob-pass-1234"}


@pytest.fixture(scope="session")
def database() -> str:
    from oms_app.core.migrations import upgrade_to_head

    upgrade_to_head()
    return TEST_DB


@pytest.fixture(autouse=True)
def clean_state(request: pytest.FixtureRequest) -> None:
    """Every test starts with empty tables and an empty cache."""
    if request.node.get_closest_marker("e2e"):
        return
    request.getfixturevalue("database")
    from sqlalchemy import text

    from oms_app.core.cache import get_cache
    from oms_app.core.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(
            text(
                "TRUNCATE users, auth_sessions, refresh_tokens, products, categories, orders, "
                "order_items, order_events, order_notes, webhook_endpoints, webhook_events, "
                "api_keys, audit_entries "
                "RESTART IDENTITY CASCADE"
            )
        )
    client = get_cache().client
    if client is not None:
        client.flushdb()


@pytest.fixture
def client():
    from fastapi.testclient import TestClient

    from oms_app.api.main import as_served, create_api

    with TestClient(as_served(create_api())) as test_client:
        yield test_client


def register(client, user: dict) -> dict:
    response = client.post("/api/v1/users/register", json=user)
    assert response.status_code == 201, response.text
    return response.json()


def login(client, user: dict) -> dict:
    response = client.post(
        "/api/v1/users/login", data={"username": user["email"], "password": user["password"]}
    )
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
def admin_headers(client) -> dict:
    from oms_app.services.bootstrap import ensure_admin

    ensure_admin(ADMIN["email"], ADMIN["password"], ADMIN["name"])
    return bearer(login(client, ADMIN))


@pytest.fixture
def alice_headers(client) -> dict:
    register(client, ALICE)
    return bearer(login(client, ALICE))


@pytest.fixture
def bob_headers(client) -> dict:
    register(client, BOB)
    return bearer(login(client, BOB))


@pytest.fixture
def make_product(client, admin_headers):
    def _make(name: str = "Widget", price: float = 9.99, stock: int = 10, **extra) -> dict:
        response = client.post(
            "/api/v1/products/",
            json={"name": name, "price": price, "stock": stock, **extra},
            headers=admin_headers,
        )
        assert response.status_code == 201, response.text
        return response.json()

    return _make
