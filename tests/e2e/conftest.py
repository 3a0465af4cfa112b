"""End-to-end fixtures: OMS started in production mode on PostgreSQL + Redis, driven by Chromium.

The server is the one users run (`scripts/start.sh`), on its own database and Redis database.
Run these apart from the other suites (`pytest tests/e2e`): Playwright keeps an event loop on the
main thread for the rest of the session.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest

from tests.mail_server import MailServer
from tests.support import PG_SERVER_URL, REDIS_SERVER_URL, fresh_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-results"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-pass-123"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 600  # a cold first build installs the frontend's packages
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"OMS exited early:\n{log.read_text()[-4000:]}")
        try:
            if (
                httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200
                and httpx.get(f"{base_url}/", timeout=2).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"OMS did not start in time:\n{log.read_text()[-4000:]}")


def start_server(name: str, extra_env: dict[str, str] | None = None):
    """Start OMS on a fresh database; return (base_url, process, log path)."""
    port = _free_port()
    # Reflex keeps a one-worker server's sessions in files there, and empties the folder
    # when a server starts: each server gets its own, so starting one never drops another's.
    states = tempfile.mkdtemp(prefix=f"oms-{name}-states-")
    atexit.register(shutil.rmtree, states, ignore_errors=True)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{name}-server.log"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "PORT": str(port),
        "DATABASE_URL": fresh_database(f"oms_{name}"),
        "REDIS_URL": f"{REDIS_SERVER_URL}/14",
        "SECRET_KEY": "e2e-secret-key-that-is-long-enough-for-hs256",
        "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DEMO_DATA": "1",
        "BCRYPT_ROUNDS": "4",
        # The webhook tests' receivers listen on 127.0.0.1.
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
        # The webhook sender also polls (every 2 s by default) for events written by other
        # processes: a transaction of its own that tests counting a page's database work would
        # see. Here it polls once at start and then not within a suite's run; an event written
        # in-process wakes it at once anyway.
        "WEBHOOK_POLL_SECONDS": "3600",
        "REFLEX_STATES_WORKDIR": states,
        **(extra_env or {}),
    }
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    process = subprocess.Popen(
        ["bash", "scripts/start.sh"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, process, log)
    except BaseException:
        stop_server(process)
        raise
    return base_url, process, log


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def mail_server():
    """The SMTP server the suite's app sends its mail to (password reset links)."""
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app_process(mail_server: MailServer):
    base_url, process, log = start_server("e2e", {"SMTP_URL": mail_server.url()})
    yield base_url, process, log
    stop_server(process)


@pytest.fixture(scope="session")
def app_server(app_process) -> str:
    return app_process[0]


@pytest.fixture(scope="session")
def app_log(app_process) -> Path:
    """The file the suite's server writes its log to."""
    return app_process[2]


@pytest.fixture(scope="session")
def app_database(app_process) -> str:
    """The URL of the database the suite's server runs on (start_server's fresh one)."""
    return server_database(app_process[1])


def server_database(process: subprocess.Popen) -> str:
    return psutil.Process(process.pid).environ()["DATABASE_URL"]


def transactions(database_url: str) -> int:
    """Transactions the database has run so far, as PostgreSQL counts them (read from another
    database, so reading them adds none)."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()
    assert row is not None, f"no statistics for {name}"
    return int(row[0])


@pytest.fixture(scope="session")
def base_url(app_server: str) -> str:
    return app_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            shots = ARTIFACTS / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            # A failed screenshot must not hide the failure itself.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shots / f"{item.name}.png"), full_page=True)
