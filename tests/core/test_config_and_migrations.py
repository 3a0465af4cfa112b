"""Settings validation, and migrations on empty PostgreSQL and SQLite databases."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from oms_app.core.config import DEFAULT_SECRET_KEY, Settings
from tests.support import fresh_database

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reference_postgres_urls_use_psycopg3():
    for url in ("postgresql://u:p@h:5432/db", "postgres://u:p@h/db"):
        assert Settings(database_url=url).database_url.startswith("postgresql+psycopg://")


def test_origins_come_comma_separated():
    settings = Settings(allowed_origins="https://a.example, https://b.example")
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]


def test_production_refuses_the_default_secret():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(app_env="production", secret_key=DEFAULT_SECRET_KEY)
    assert Settings(app_env="production", secret_key="s" * 40).app_env == "production"


def test_admin_email_and_password_go_together():
    with pytest.raises(ValueError, match="ADMIN_EMAIL"):
        Settings(admin_email="root@example.com", admin_password=None)


def test_a_bad_setting_stops_start_up_with_a_readable_message():
    result = _run(
        "from oms_app.core.config import get_settings; get_settings()",
        APP_ENV="production",
        SECRET_KEY=DEFAULT_SECRET_KEY,
    )
    assert result.returncode != 0
    assert "OMS configuration error" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrations_reach_head_on_empty_sqlite_and_the_app_serves_without_redis(tmp_path):
    url = f"sqlite:///{tmp_path / 'oms.db'}"
    result = _run(
        """
        from fastapi.testclient import TestClient
        from oms_app.api.main import create_api
        from oms_app.services.bootstrap import prepare_database
        prepare_database()
        client = TestClient(create_api())
        login = client.post("/api/v1/users/login",
                            data={"username": "admin@example.com", "password": "admin-pass-123"})
        headers = {"Authorization": "Bearer " + login.json()["access_token"]}
        products = client.get("/api/v1/products/?limit=100").json()
        first = products["data"][0]
        order = client.post("/api/v1/orders/", json={"product_id": first["id"], "quantity": 1},
                            headers=headers)
        assert order.status_code == 201, order.text
        assert client.get(f"/api/v1/products/{first['id']}").json()["stock"] == first["stock"] - 1
        print(products["total"], client.get("/api/health").json())
        """,
        DATABASE_URL=url,
        ADMIN_EMAIL="admin@example.com",
        ADMIN_PASSWORD="admin-pass-123",
        DEMO_DATA="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "36"
    assert "'redis': 'disabled'" in result.stdout


def test_migrations_reach_head_on_empty_postgres_with_no_drift():
    url = fresh_database("oms_migrations")
    env = {"DATABASE_URL": url}
    migrate = subprocess.run(
        [sys.executable, "-m", "oms_app.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    check = subprocess.run(
        [sys.executable, "-m", "alembic", "check"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    downgrade = subprocess.run(
        [sys.executable, "-m", "alembic", "downgrade", "base"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert downgrade.returncode == 0, downgrade.stderr


def test_create_admin_command_makes_a_login(tmp_path):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    created = subprocess.run(
        [sys.executable, "-m", "oms_app.cli", "create-admin", "--email", "Boss@Example.com"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "OMS_NEW_ADMIN_PASSWORD": "boss-pass-123"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    result = _run(
        """
        from oms_app.services import auth
        user, _ = auth.authenticate(auth.login("boss@example.com", "boss-pass-123").access_token)
        print(user.role)
        """,
        DATABASE_URL=url,
    )
    assert result.stdout.strip() == "admin", result.stderr
    weak = subprocess.run(
        [sys.executable, "-m", "oms_app.cli", "create-admin", "--email", "x@example.com"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "OMS_NEW_ADMIN_PASSWORD": "short"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert weak.returncode == 2
    assert "Invalid admin" in weak.stderr
