"""Plain `reflex run --env prod --backend-only`, as Reflex users and containers start an app:
with only the documented variables set, the app migrates its database and ensures the admin
by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.redis_process import free_port
from tests.support import REDIS_SERVER_URL, fresh_database

ROOT = Path(__file__).resolve().parents[2]


def test_reflex_run_backend_only_migrates_and_ensures_the_admin(tmp_path) -> None:
    port = free_port()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "REFLEX_DIR": str(tmp_path / "reflex"),
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "PORT": str(port),
        "DATABASE_URL": fresh_database("oms_plain_run"),
        "REDIS_URL": f"{REDIS_SERVER_URL}/11",
        "SECRET_KEY": "plain-run-secret-key-that-is-long-enough",
        "ADMIN_EMAIL": "Root@Example.com",
        "ADMIN_PASSWORD": "root-pass-123",
    }
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod", "--backend-only"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise AssertionError(f"no answer on {base}:\n{log.read_text()[-3000:]}")
        login = httpx.post(
            f"{base}/api/v1/users/login",
            data={"username": "root@example.com", "password": "root-pass-123"},
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        me = httpx.get(f"{base}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["role"] == "admin"
        assert httpx.get(f"{base}/api/v1/products/").json()["total"] == 0  # no demo data asked
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
