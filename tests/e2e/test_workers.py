"""WORKERS=2: two server processes behind one port, sharing browser sessions through Redis.

The server is scripts/start.sh, as in production. Which worker holds a connection is read from
the operating system (psutil), not from anything the app reports about itself.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import pickle
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest
import redis
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, start_server, stop_server
from tests.support import REDIS_SERVER_URL

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
SHOPPER_EMAIL, SHOPPER_PASSWORD, SHOPPER_NAME = (
    "shopper@example.com",
    "shopper-demo-1",
    "Demo Shopper",
)
RELOADS = 8
# Our own Redis databases: start_server empties the one it is given.
SERVER_REDIS_URL = f"{REDIS_SERVER_URL}/13"
INSTANCES_REDIS_URL = f"{REDIS_SERVER_URL}/12"
# The relay between instances goes through Redis; on a loaded CI machine give it a little more
# than the one second a page on the same instance gets (tests/e2e/test_live.py).
CROSS_INSTANCE_LIVE_MS = 3_000


class Server:
    def __init__(self, base_url: str, process: subprocess.Popen) -> None:
        self.base_url = base_url
        self.process = process
        self.port = urlsplit(base_url).port

    @property
    def workers(self) -> list[psutil.Process]:
        """Granian's worker processes: the children of the `reflex run` process start.sh exec'd."""
        return psutil.Process(self.process.pid).children()

    def worker_holding(self, local_port: int) -> int | None:
        """The pid of the worker that accepted the client connection from `local_port`."""
        for worker in self.workers:
            for conn in worker.net_connections(kind="tcp"):
                if (
                    conn.status == psutil.CONN_ESTABLISHED
                    and conn.laddr.port == self.port
                    and conn.raddr
                    and conn.raddr.port == local_port
                ):
                    return worker.pid
        return None

    def workers_holding_connections(self) -> set[int]:
        return {
            worker.pid
            for worker in self.workers
            for conn in worker.net_connections(kind="tcp")
            if conn.status == psutil.CONN_ESTABLISHED and conn.laddr.port == self.port
        }


@pytest.fixture(scope="module")
def server():
    base_url, process, _log = start_server(
        "workers", {"WORKERS": str(WORKERS), "REDIS_URL": SERVER_REDIS_URL}
    )
    yield Server(base_url, process)
    stop_server(process)


@pytest.fixture
def page(browser: Browser, server: Server):
    """Our own page: the suite's default page would start the suite's one-worker server too."""
    context = browser.new_context(base_url=server.base_url)
    yield context.new_page()
    context.close()


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)


def websocket_owner(page: Page, redis_url: str = SERVER_REDIS_URL) -> str:
    """The worker holding this tab's state websocket, as Reflex records it in Redis for the
    other workers: an id each worker process draws for itself when it starts."""
    store = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        token = page.evaluate("window.sessionStorage.getItem('token')")
        record = store.get(f"token_manager_socket_record_{token}")
        if record is not None:
            return pickle.loads(record).instance_id  # noqa: S301 - our own test Redis
        time.sleep(0.2)
    pytest.fail("the page's websocket is not registered in Redis")


def test_the_server_runs_the_configured_number_of_workers(server: Server) -> None:
    workers = server.workers
    assert len(workers) == WORKERS
    assert all(worker.is_running() for worker in workers)


def test_rest_calls_succeed_whichever_worker_serves_them(server: Server) -> None:
    token = httpx.post(
        f"{server.base_url}/api/v1/users/login",
        data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    paths = ["/api/health", "/api/v1/products/?limit=5", "/api/v1/users/me", "/api/v1/orders/"]

    # Many clients, each holding its own connection open: the kernel hands them to both workers.
    clients = [httpx.Client(base_url=server.base_url, headers=headers) for _ in range(16)]
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(
                    lambda i: clients[i % len(clients)].get(paths[i % len(paths)]).status_code,
                    range(200),
                )
            )
        serving = server.workers_holding_connections()
    finally:
        for client in clients:
            client.close()
    assert statuses == [200] * 200
    assert serving == {worker.pid for worker in server.workers}


def test_a_browser_session_and_its_cart_survive_reloads_across_workers(
    page: Page, server: Server
) -> None:
    open_page(page, "/login")
    form = page.locator("form")
    form.get_by_label("Email").fill(SHOPPER_EMAIL)
    form.get_by_label("Password").fill(SHOPPER_PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.locator("#current-user")).to_have_text(SHOPPER_NAME, timeout=15_000)

    open_page(page, "/")
    page.get_by_role("button", name="Add to cart").first.click()
    expect(page.locator("#cart-count")).to_have_text("1")

    owners = [websocket_owner(page)]
    for _ in range(RELOADS):
        page.reload()
        expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)
        expect(page.locator("#current-user")).to_have_text(SHOPPER_NAME)
        expect(page.locator("#cart-count")).to_have_text("1")
        owners.append(websocket_owner(page))
    assert len(set(owners)) == WORKERS, f"every reload landed on the same worker: {owners}"

    # The session's state itself lives in Redis, where every worker reads and locks it.
    store = redis.Redis.from_url(SERVER_REDIS_URL)
    token = page.evaluate("window.sessionStorage.getItem('token')")
    assert list(store.scan_iter(f"{token}_*")), "no Reflex state in Redis"


def test_the_image_health_check_passes_against_the_server(server: Server) -> None:
    """The Dockerfile's HEALTHCHECK (and compose's) command, run as the container runs it."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = json.loads(re.search(r"^\s+CMD (\[.*\])$", dockerfile, re.MULTILINE)[1])
    assert command[0] == "python"
    env = {**os.environ, "PORT": str(server.port)}
    result = subprocess.run(
        [sys.executable, *command[1:]], env=env, capture_output=True, text=True, timeout=10
    )
    assert result.returncode == 0, result.stderr


def test_sigterm_to_the_start_command_stops_every_worker(server: Server) -> None:
    """What `docker stop` does (tini forwards SIGTERM to start.sh's exec'd `reflex run`)."""
    workers = server.workers
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
    assert len(gone) == WORKERS


# --- several instances behind a load balancer ------------------------------------------------


class RoundRobinBalancer:
    """A TCP load balancer without sticky sessions: every new connection goes to the next
    instance, and state websockets (`GET /_event`) alternate strictly between instances."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.backends: list[int] = []
        self.websocket_backends: list[int] = []
        self._connections = itertools.count()
        self._websockets = itertools.count()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", self.port), self._loop
        ).result(timeout=5)

    async def _handle(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter):
        first = await client.read(65536)
        if first.startswith(b"GET /_event"):
            backend = self.backends[next(self._websockets) % len(self.backends)]
            self.websocket_backends.append(backend)
        else:
            backend = self.backends[next(self._connections) % len(self.backends)]
        try:
            upstream, to_upstream = await asyncio.open_connection("127.0.0.1", backend)
        except OSError:
            to_client.close()
            return
        to_upstream.write(first)
        await asyncio.gather(_pipe(client, to_upstream), _pipe(upstream, to_client))

    def close(self) -> None:
        async def shutdown() -> None:
            self._server.close()
            # End the open relays before the loop stops, so none is destroyed while pending.
            relays = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in relays:
                task.cancel()
            await asyncio.gather(*relays, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def balanced_instances():
    """Two instances of WORKERS=2 each, one database, one Redis, behind the balancer.
    The browser's public address is the balancer's, hence REFLEX_API_URL."""
    balancer = RoundRobinBalancer()
    shared = {"WORKERS": str(WORKERS), "REDIS_URL": INSTANCES_REDIS_URL}
    shared["REFLEX_API_URL"] = balancer.url
    first_url, first, _ = start_server("instances", shared)
    database = psutil.Process(first.pid).environ()["DATABASE_URL"]  # start_server's fresh one
    try:
        second_url, second, _ = start_server("instances_b", {**shared, "DATABASE_URL": database})
    except BaseException:
        stop_server(first)
        raise
    balancer.backends = [urlsplit(first_url).port, urlsplit(second_url).port]
    yield balancer
    balancer.close()
    stop_server(second)
    stop_server(first)


def test_instances_behind_a_balancer_share_sessions_without_sticky_routing(
    browser: Browser, balanced_instances: RoundRobinBalancer
) -> None:
    balancer = balanced_instances
    context = browser.new_context(base_url=balancer.url)
    page = context.new_page()
    try:
        open_page(page, "/login")
        form = page.locator("form")
        form.get_by_label("Email").fill(SHOPPER_EMAIL)
        form.get_by_label("Password").fill(SHOPPER_PASSWORD)
        form.get_by_role("button", name="Log in").click()
        expect(page.locator("#current-user")).to_have_text(SHOPPER_NAME, timeout=15_000)
        open_page(page, "/")
        page.get_by_role("button", name="Add to cart").first.click()
        expect(page.locator("#cart-count")).to_have_text("1")

        owners = [websocket_owner(page, INSTANCES_REDIS_URL)]
        for _ in range(4):
            page.reload()
            expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)
            expect(page.locator("#current-user")).to_have_text(SHOPPER_NAME)
            expect(page.locator("#cart-count")).to_have_text("1")
            owners.append(websocket_owner(page, INSTANCES_REDIS_URL))
    finally:
        context.close()
    # The tab's websocket went to both instances in turn, each time to another process.
    assert set(balancer.websocket_backends) == set(balancer.backends)
    assert len(set(owners)) >= 2, owners


def test_a_change_made_on_another_instance_is_pushed_to_the_open_page(
    browser: Browser, balanced_instances: RoundRobinBalancer
) -> None:
    """The shopper's websocket lives on one instance; the status change is made on the other,
    straight to its port. The change reaches the page through Redis, pushed, not polled."""
    balancer = balanced_instances
    email, password = f"live-{uuid.uuid4().hex[:8]}@example.com", "live-pass-123"
    registered = httpx.post(
        f"{balancer.url}/api/v1/users/register",
        json={"name": "Live Shopper", "email": email, "password": password},
    )
    assert registered.status_code == 201, registered.text
    shopper = _bearer(balancer.url, email, password)
    product = httpx.get(f"{balancer.url}/api/v1/products/", params={"limit": 1}).json()["data"][0]
    placed = httpx.post(
        f"{balancer.url}/api/v1/orders/",
        json={"product_id": product["id"], "quantity": 1},
        headers=shopper,
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]

    context = browser.new_context(base_url=balancer.url)
    page = context.new_page()
    try:
        open_page(page, "/login?next=/orders")
        form = page.locator("form")
        form.get_by_label("Email").fill(email)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Log in").click()
        status = page.locator(f"#order-{order_id} .order-status")
        expect(status).to_have_text("pending", timeout=15_000)

        holding = balancer.websocket_backends[-1]
        other = next(port for port in balancer.backends if port != holding)
        other_url = f"http://127.0.0.1:{other}"
        shipped = httpx.put(
            f"{other_url}/api/v1/orders/{order_id}",
            json={"status": "shipped"},
            headers=_bearer(other_url, ADMIN_EMAIL, ADMIN_PASSWORD),
        )
        assert shipped.status_code == 200, shipped.text
        expect(status).to_have_text("shipped", timeout=CROSS_INSTANCE_LIVE_MS)
    finally:
        context.close()


def _bearer(base_url: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(
        f"{base_url}/api/v1/users/login", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
