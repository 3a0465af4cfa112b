"""API keys: minted by an admin's login, shown once, scoped in the services, revoked at once."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import event, text

from oms_app.core.db import get_engine
from oms_app.models.api_key import Scope
from oms_app.services import login_throttle
from tests.conftest import ALICE

KEYS = "/api/v1/api-keys"
ORDERS = "/api/v1/orders/"
ALL_SCOPES = [scope.value for scope in Scope]
ADDRESS = {
    "full_name": "Alice Liddell",
    "line1": "1 Rabbit Hole",
    "city": "Oxford",
    "postal_code": "OX1 1AA",
    "country": "GB",
}


def make_key(client, admin_headers, scopes: list[str], name: str = "ERP") -> dict:
    response = client.post(KEYS, json={"name": name, "scopes": scopes}, headers=admin_headers)
    assert response.status_code == 201, response.text
    return response.json()


def with_key(key: dict) -> dict:
    return {"X-API-Key": key["secret"]}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@dataclass
class World:
    product: dict
    deleted: dict
    category: dict
    order: dict
    alice_id: int


@pytest.fixture
def world(client, admin_headers, alice_headers, make_product) -> World:
    product = make_product("Lamp", stock=20)
    deleted = make_product("Old lamp")
    assert client.delete(f"/api/v1/products/{deleted['id']}", headers=admin_headers).is_success
    category = client.post("/api/v1/categories/", json={"name": "Lights"}, headers=admin_headers)
    order = client.post(
        ORDERS, json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    )
    alice = client.get("/api/v1/users/me", headers=alice_headers).json()
    return World(product, deleted, category.json(), order.json(), alice["id"])


# (scope, what, request) — each request is what a key with that scope may do, and with every
# other scope may not.
Request = Callable[[World], tuple[str, str, dict]]
ROUTES: list[tuple[Scope, str, Request]] = [
    (Scope.PRODUCTS_READ, "deleted products", lambda w: ("GET", "/api/v1/products/deleted", {})),
    (
        Scope.PRODUCTS_WRITE,
        "create product",
        lambda w: ("POST", "/api/v1/products/", {"json": {"name": "Desk", "price": 5, "stock": 1}}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "update product",
        lambda w: ("PUT", f"/api/v1/products/{w.product['id']}", {"json": {"stock": 7}}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "delete product",
        lambda w: ("DELETE", f"/api/v1/products/{w.product['id']}", {}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "restore product",
        lambda w: ("PUT", f"/api/v1/products/{w.deleted['id']}/restore", {}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "set image",
        lambda w: (
            "PUT",
            f"/api/v1/products/{w.product['id']}/image",
            {"files": {"file": ("a.png", _png(), "image/png")}},
        ),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "remove image",
        lambda w: ("DELETE", f"/api/v1/products/{w.product['id']}/image", {}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "create category",
        lambda w: ("POST", "/api/v1/categories/", {"json": {"name": "Desks"}}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "rename category",
        lambda w: ("PUT", f"/api/v1/categories/{w.category['id']}", {"json": {"name": "Lamps"}}),
    ),
    (
        Scope.PRODUCTS_WRITE,
        "delete category",
        lambda w: ("DELETE", f"/api/v1/categories/{w.category['id']}", {}),
    ),
    (Scope.ORDERS_READ, "list orders", lambda w: ("GET", ORDERS, {})),
    (Scope.ORDERS_READ, "read order", lambda w: ("GET", f"{ORDERS}{w.order['id']}", {})),
    (Scope.ORDERS_READ, "export orders", lambda w: ("GET", f"{ORDERS}export.csv", {})),
    (
        Scope.ORDERS_WRITE,
        "place order",
        lambda w: (
            "POST",
            ORDERS,
            {"json": {"product_id": w.product["id"], "quantity": 2, "customer_id": w.alice_id}},
        ),
    ),
    (
        Scope.ORDERS_WRITE,
        "ship order",
        lambda w: ("PUT", f"{ORDERS}{w.order['id']}", {"json": {"status": "shipped"}}),
    ),
    (
        Scope.ORDERS_WRITE,
        "cancel order",
        lambda w: ("PUT", f"{ORDERS}{w.order['id']}/cancel", {}),
    ),
    (
        Scope.ORDERS_WRITE,
        "change address",
        lambda w: ("PUT", f"{ORDERS}{w.order['id']}/address", {"json": ADDRESS}),
    ),
    (
        Scope.ORDERS_WRITE,
        "add note",
        lambda w: ("POST", f"{ORDERS}{w.order['id']}/notes", {"json": {"text": "Packed"}}),
    ),
    (Scope.USERS_READ, "list users", lambda w: ("GET", "/api/v1/users/", {})),
    (Scope.USERS_READ, "read user", lambda w: ("GET", f"/api/v1/users/{w.alice_id}", {})),
]


@pytest.mark.parametrize(("scope", "what", "request_of"), ROUTES, ids=[r[1] for r in ROUTES])
def test_the_scope_allows_it(client, admin_headers, world, scope, what, request_of):
    key = make_key(client, admin_headers, [scope.value])
    method, url, kwargs = request_of(world)
    response = client.request(method, url, headers=with_key(key), **kwargs)
    assert response.is_success, (what, response.status_code, response.text)


@pytest.mark.parametrize(("scope", "what", "request_of"), ROUTES, ids=[r[1] for r in ROUTES])
def test_every_other_scope_is_refused(client, admin_headers, world, scope, what, request_of):
    others = [s for s in ALL_SCOPES if s != scope.value]
    key = make_key(client, admin_headers, others)
    method, url, kwargs = request_of(world)
    response = client.request(method, url, headers=with_key(key), **kwargs)
    assert response.status_code == 403, (what, response.text)
    assert scope.value in response.json()["detail"]


def test_a_missing_scope_is_refused_before_any_lookup(client, admin_headers, world):
    """403 whatever the id: a key cannot learn which orders exist from 403 versus 404."""
    key = make_key(client, admin_headers, [Scope.PRODUCTS_READ.value])
    for order_id in (world.order["id"], 424242):
        assert client.get(f"{ORDERS}{order_id}", headers=with_key(key)).status_code == 403
        shipped = client.put(
            f"{ORDERS}{order_id}", json={"status": "shipped"}, headers=with_key(key)
        )
        assert shipped.status_code == 403


PEOPLE_ONLY: list[tuple[str, str, dict]] = [
    ("POST", KEYS, {"json": {"name": "Child", "scopes": ["orders:read"]}}),
    ("GET", KEYS, {}),
    ("DELETE", f"{KEYS}/1", {}),
    ("GET", "/api/v1/audit/", {}),
    ("GET", "/api/v1/users/me", {}),
    ("PUT", "/api/v1/users/1", {"json": {"name": "Hacked"}}),
    ("PUT", "/api/v1/users/2/role", {}),
    ("DELETE", "/api/v1/users/2", {}),
    ("GET", f"{ORDERS}me", {}),
    ("POST", "/api/v1/users/logout", {}),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs"), PEOPLE_ONLY, ids=[f"{m} {u}" for m, u, _ in PEOPLE_ONLY]
)
def test_what_no_key_may_do_whatever_its_scopes(client, admin_headers, world, method, url, kwargs):
    key = make_key(client, admin_headers, ALL_SCOPES)
    response = client.request(method, url, headers=with_key(key), **kwargs)
    assert response.status_code == 403, response.text
    assert client.get(KEYS, headers=admin_headers).json()["total"] == 1  # nothing minted


def test_an_admin_creates_lists_and_revokes_keys(client, admin_headers):
    created = make_key(client, admin_headers, ["orders:write", "orders:read", "orders:read"])
    secret = created["secret"]
    assert re.fullmatch(r"oms_[A-Za-z0-9_-]{43,}", secret)
    assert created["prefix"] == secret[:12]
    assert created["scopes"] == ["orders:read", "orders:write"]  # each once, in a fixed order
    assert created["last_used_at"] is None
    assert set(created) == {
        "id",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "secret",
    }
    with get_engine().connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM api_keys")).scalar_one()
    assert secret not in stored
    assert len(stored) == 64

    listed = client.get(KEYS, headers=admin_headers).json()
    assert listed["total"] == 1
    assert set(listed["data"][0]) == set(created) - {"secret"}
    assert client.delete(f"{KEYS}/{created['id']}", headers=admin_headers).status_code == 204
    assert client.get(KEYS, headers=admin_headers).json()["total"] == 0
    assert client.delete(f"{KEYS}/{created['id']}", headers=admin_headers).status_code == 404


def test_only_an_admin_login_manages_keys(client, admin_headers, alice_headers):
    body = {"name": "Mine", "scopes": ["orders:read"]}
    assert client.post(KEYS, json=body).status_code == 401
    assert client.post(KEYS, json=body, headers=alice_headers).status_code == 403
    assert client.get(KEYS, headers=alice_headers).status_code == 403
    key = make_key(client, admin_headers, ["orders:read"])
    assert client.delete(f"{KEYS}/{key['id']}", headers=alice_headers).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "scopes": ["orders:read"]},
        {"name": "x" * 101, "scopes": ["orders:read"]},
        {"name": "ERP", "scopes": []},
        {"name": "ERP", "scopes": ["orders:delete"]},
        {"name": "ERP", "scopes": "orders:read"},
        {"name": "ERP"},
        {"name": "ERP", "scopes": ["orders:read"], "secret": "oms_mine"},
    ],
)
def test_bad_key_requests_are_422(client, admin_headers, body):
    assert client.post(KEYS, json=body, headers=admin_headers).status_code == 422
    assert client.get(KEYS, headers=admin_headers).json()["total"] == 0


def test_bearer_and_x_api_key_both_authenticate(client, admin_headers, world):
    key = make_key(client, admin_headers, ["orders:read"])
    for headers in ({"X-API-Key": key["secret"]}, {"Authorization": f"Bearer {key['secret']}"}):
        assert client.get(ORDERS, headers=headers).status_code == 200


def test_revocation_is_effective_at_once(client, admin_headers, world):
    key = make_key(client, admin_headers, ["orders:read"])
    assert client.get(ORDERS, headers=with_key(key)).status_code == 200
    assert client.delete(f"{KEYS}/{key['id']}", headers=admin_headers).status_code == 204
    refused = client.get(ORDERS, headers=with_key(key))
    assert refused.status_code == 401
    assert client.get("/api/v1/products/", headers=with_key(key)).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "oms_" + "A" * 43},
        {"Authorization": "Bearer oms_" + "A" * 43},
        {"X-API-Key": "not-even-a-key"},
        {"Authorization": "Bearer not.a.jwt"},
    ],
)
def test_a_bad_credential_is_401_on_public_routes_too(client, world, headers):
    for url in (
        "/api/v1/products/",
        f"/api/v1/products/{world.product['id']}",
        "/api/v1/categories/",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, (url, response.text)
    assert client.get("/api/v1/products/").status_code == 200  # nothing presented: public


def test_bad_keys_are_throttled_per_address(client, admin_headers):
    key = make_key(client, admin_headers, ["orders:read"])
    bad = {"X-API-Key": "oms_" + "B" * 43}
    for _ in range(login_throttle.KEY_ADDRESS.free_failures + 1):
        assert client.get(ORDERS, headers=bad).status_code == 401
    refused = client.get(ORDERS, headers=bad)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    # Like a login lock: the address waits, whatever it presents next.
    assert client.get(ORDERS, headers=with_key(key)).status_code == 429


@pytest.fixture
def key_updates() -> Iterator[list[str]]:
    """Every UPDATE of api_keys this process sends while the test runs."""
    seen: list[str] = []

    def watch(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            seen.append(statement)

    event.listen(get_engine(), "before_cursor_execute", watch)
    yield seen
    event.remove(get_engine(), "before_cursor_execute", watch)


def _last_used(client, admin_headers) -> str | None:
    return client.get(KEYS, headers=admin_headers).json()["data"][0]["last_used_at"]


def test_last_used_is_kept_to_the_minute_without_a_write_per_request(
    client, admin_headers, world, key_updates
):
    key = make_key(client, admin_headers, ["orders:read"])
    for _ in range(5):
        assert client.get(ORDERS, headers=with_key(key)).status_code == 200
    first = _last_used(client, admin_headers)
    assert first is not None
    assert len(key_updates) == 1  # five requests, one write

    with get_engine().begin() as conn:  # as if that use were two minutes ago
        conn.execute(
            text("UPDATE api_keys SET last_used_at = last_used_at - :ago"),
            {"ago": timedelta(minutes=2)},
        )
    key_updates.clear()
    client.get(ORDERS, headers=with_key(key))
    client.get(ORDERS, headers=with_key(key))
    assert len(key_updates) == 1
    assert _last_used(client, admin_headers) >= first


def test_a_key_places_an_order_for_a_customer_and_is_named_in_its_history(
    client, admin_headers, alice_headers, world
):
    key = make_key(client, admin_headers, ["orders:write", "orders:read"], name="Warehouse")
    body = {"items": [{"product_id": world.product["id"], "quantity": 3}]}
    placed = client.post(
        ORDERS, json={**body, "customer_id": world.alice_id}, headers=with_key(key)
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["user_id"] == world.alice_id
    assert order["customer"]["name"] == ALICE["name"]
    # The customer sees it among their own orders.
    mine = client.get(f"{ORDERS}me", headers=alice_headers).json()["data"]
    assert order["id"] in [o["id"] for o in mine]

    shipped = client.put(
        f"{ORDERS}{order['id']}", json={"status": "shipped"}, headers=with_key(key)
    )
    assert shipped.status_code == 200
    note = client.post(
        f"{ORDERS}{order['id']}/notes", json={"text": "Left the dock"}, headers=with_key(key)
    )
    assert note.status_code == 201
    assert note.json()["author_name"] == "Warehouse"
    assert note.json()["author_key_id"] == key["id"]
    assert note.json()["author_id"] is None

    shown = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    events = [
        (e["to_status"], e["actor_name"], e["actor_key_id"], e["actor_id"]) for e in shown["events"]
    ]
    assert events == [
        ("pending", "Warehouse", key["id"], None),
        ("shipped", "Warehouse", key["id"], None),
    ]
    assert [n["author_name"] for n in shown["notes"]] == ["Warehouse"]
    # Revoked keys keep their name in the history they made.
    client.delete(f"{KEYS}/{key['id']}", headers=admin_headers)
    again = client.get(f"{ORDERS}{order['id']}", headers=admin_headers).json()
    assert again["events"][0]["actor_name"] == "Warehouse"


def test_a_key_must_name_an_existing_customer(client, admin_headers, alice_headers, world):
    key = make_key(client, admin_headers, ["orders:write"])
    line = {"product_id": world.product["id"], "quantity": 1}
    assert client.post(ORDERS, json=line, headers=with_key(key)).status_code == 422
    missing = client.post(ORDERS, json={**line, "customer_id": 424242}, headers=with_key(key))
    assert missing.status_code == 404
    # A person orders for themselves only.
    other = client.post(ORDERS, json={**line, "customer_id": 1}, headers=alice_headers)
    assert other.status_code == 403
    own = client.post(ORDERS, json={**line, "customer_id": world.alice_id}, headers=alice_headers)
    assert own.status_code == 201
    stock = client.get(f"/api/v1/products/{world.product['id']}").json()["stock"]
    assert stock == 20 - 1 - 1  # the world's order and Alice's own; the refused ones took none


def test_a_key_retrying_an_order_gets_the_first_one(client, admin_headers, world):
    key = make_key(client, admin_headers, ["orders:write"])
    body = {"product_id": world.product["id"], "quantity": 1, "customer_id": world.alice_id}
    headers = {**with_key(key), "Idempotency-Key": "erp-42"}
    first = client.post(ORDERS, json=body, headers=headers)
    second = client.post(ORDERS, json=body, headers=headers)
    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
