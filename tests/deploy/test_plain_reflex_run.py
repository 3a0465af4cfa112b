"""Plain `reflex run --env prod --backend-only`, as Reflex users and containers start an app:
with only the documented variables set, the app migrates its database and ensures the admin
by itself, and serves uploaded product images from its own origin."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PIL import Image

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
        "REFLEX_UPLOADED_FILES_DIR": str(tmp_path / "uploads"),
        # Reflex empties its sessions folder at start: not the one a browser-suite server uses.
        "REFLEX_STATES_WORKDIR": str(tmp_path / "states"),
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
        _an_uploaded_image_is_served(base, {"Authorization": f"Bearer {token}"}, tmp_path)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _an_uploaded_image_is_served(base: str, headers: dict, tmp_path: Path) -> None:
    product = httpx.post(
        f"{base}/api/v1/products/", json={"name": "Lamp", "price": 5}, headers=headers
    ).json()
    picture = io.BytesIO()
    Image.new("RGB", (800, 400), "navy").save(picture, "PNG")
    uploaded = httpx.put(
        f"{base}/api/v1/products/{product['id']}/image",
        files={"file": ("lamp.png", picture.getvalue(), "image/png")},
        headers=headers,
    )
    assert uploaded.status_code == 200, uploaded.text
    for url, size in (
        (uploaded.json()["image_url"], (800, 400)),
        (uploaded.json()["thumbnail_url"], (400, 200)),
    ):
        assert url.startswith("/_upload/products/")  # a path on the app's own origin
        served = httpx.get(f"{base}{url}")
        assert served.status_code == 200, url
        assert served.headers["content-type"] == "image/webp"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert Image.open(io.BytesIO(served.content)).size == size
        assert (tmp_path / "uploads" / url.removeprefix("/_upload/")).is_file()
    assert httpx.get(f"{base}/_upload/products/missing.webp").status_code == 404
