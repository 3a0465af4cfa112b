"""The audit log: one entry per admin or key action, written with the change or not at all."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict
from oms_app.models.audit import AuditEntry
from oms_app.models.user import User
from oms_app.services import audit
from tests.api.test_api_keys import KEYS, make_key, with_key
from tests.conftest import ALICE

AUDIT = "/api/v1/audit/"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 30, 200)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Setup:
    product: dict
    category: dict
    alice_id: int
    admin_id: int


@pytest.fixture
def setup(client, admin_headers, alice_headers, make_product) -> Setup:
    product = make_product("Lamp", price=10, stock=4)
    category = client.post("/api/v1/categories/", json={"name": "Lights"}, headers=admin_headers)
    alice = client.get("/api/v1/users/me", headers=alice_headers).json()
    admin = client.get("/api/v1/users/me", headers=admin_headers).json()
    with session_scope() as session:  # what the setup itself wrote is not under test
        for entry in session.exec(select(AuditEntry)):
            session.delete(entry)
    return Setup(product, category.json(), alice["id"], admin["id"])


def _entries() -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))


Action = Callable[[object, dict, Setup], object]

# (action, entity type, the request, the changes expected: field -> [before, after])
ACTIONS: list[tuple[str, str, Action, Callable[[Setup], dict]]] = [
    (
        "product.create",
        "product",
        lambda c, h, s: c.post(
            "/api/v1/products/", json={"name": "Desk", "price": "12.50", "stock": 3}, headers=h
        ),
        lambda s: {
            "name": [None, "Desk"],
            "description": [None, ""],
            "price": [None, "12.50"],
            "stock": [None, 3],
        },
    ),
    (
        "product.update",
        "product",
        lambda c, h, s: c.put(
            f"/api/v1/products/{s.product['id']}",
            json={"price": 11, "stock": 4, "category_id": s.category["id"]},
            headers=h,
        ),
        # The stock sent is the stock it had: only what changed is recorded.
        lambda s: {"price": ["10.00", "11.00"], "category_id": [None, s.category["id"]]},
    ),
    (
        "product.update",
        "product",
        lambda c, h, s: c.put(f"/api/v1/products/{s.product['id']}", json={"stock": 9}, headers=h),
        lambda s: {"stock": [4, 9]},
    ),
    (
        "product.delete",
        "product",
        lambda c, h, s: c.delete(f"/api/v1/products/{s.product['id']}", headers=h),
        lambda s: {"is_deleted": [False, True]},
    ),
    (
        "product.image_set",
        "product",
        lambda c, h, s: c.put(
            f"/api/v1/products/{s.product['id']}/image",
            files={"file": ("a.png", _png(), "image/png")},
            headers=h,
        ),
        None,  # a new random file name: checked below
    ),
    (
        "category.create",
        "category",
        lambda c, h, s: c.post("/api/v1/categories/", json={"name": "Desks"}, headers=h),
        lambda s: {"name": [None, "Desks"], "slug": [None, "desks"]},
    ),
    (
        "category.update",
        "category",
        lambda c, h, s: c.put(
            f"/api/v1/categories/{s.category['id']}", json={"name": "Lamps"}, headers=h
        ),
        lambda s: {"name": ["Lights", "Lamps"], "slug": ["lights", "lamps"]},
    ),
    (
        "category.delete",
        "category",
        lambda c, h, s: c.delete(f"/api/v1/categories/{s.category['id']}", headers=h),
        lambda s: {"name": ["Lights", None], "slug": ["lights", None]},
    ),
    (
        "user.update",
        "user",
        lambda c, h, s: c.put(
            f"/api/v1/users/{s.alice_id}",
            json={"name": "Alicia", "email": "alicia@example.com"},
            headers=h,
        ),
        lambda s: {
            "name": ["Alice", "Alicia"],
            "email": ["alice@example.com", "alicia@example.com"],
        },
    ),
    (
        "user.update",
        "user",
        lambda c, h, s: c.put(
            f"/api/v1/users/{s.alice_id}", json={"password": "a-new-password-1"}, headers=h
        ),
        lambda s: {"password": ["(hidden)", "(changed)"]},
    ),
    (
        "user.role",
        "user",
        lambda c, h, s: c.put(f"/api/v1/users/{s.alice_id}/role", headers=h),
        lambda s: {"role": ["user", "admin"]},
    ),
    (
        "user.delete",
        "user",
        lambda c, h, s: c.delete(f"/api/v1/users/{s.alice_id}", headers=h),
        lambda s: {
            "name": ["Alice", None],
            "email": ["alice@example.com", None],
            "role": ["user", None],
        },
    ),
    (
        "api_key.create",
        "api_key",
        lambda c, h, s: c.post(KEYS, json={"name": "ERP", "scopes": ["orders:read"]}, headers=h),
        None,  # the prefix is random: checked below
    ),
]


@pytest.mark.parametrize(
    ("action", "entity_type", "make", "expected"),
    ACTIONS,
    ids=[f"{a[0]}-{i}" for i, a in enumerate(ACTIONS)],
)
def test_each_action_writes_exactly_one_entry(
    client, admin_headers, setup, action, entity_type, make, expected
):
    response = make(client, {**admin_headers, "X-Request-ID": "req-audit-1"}, setup)
    assert response.is_success, response.text
    entries = _entries()
    assert len(entries) == 1, [(e.action, e.changes) for e in entries]
    entry = entries[0]
    assert (entry.action, entry.entity_type) == (action, entity_type)
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == (
        "user",
        setup.admin_id,
        "Ada Admin",
    )
    assert entry.request_id == "req-audit-1"
    assert entry.client_address == "testclient"
    if expected is not None:
        assert entry.changes == expected(setup)
    if action == "product.image_set":
        before, after = entry.changes["image"]
        assert before is None
        assert after.endswith(".webp")
    if action == "api_key.create":
        assert entry.changes["scopes"] == [None, ["orders:read"]]
        assert entry.changes["prefix"][1].startswith("oms_")
        assert "secret" not in entry.changes
        assert response.json()["secret"] not in str(entry.changes)
    body = client.get(AUDIT, headers=admin_headers).json()
    assert body["total"] == 1
    shown = body["data"][0]
    assert shown["actor"] == {"kind": "user", "id": setup.admin_id, "name": "Ada Admin"}
    assert shown["entity_id"] == entry.entity_id


def test_restore_image_removal_and_revocation_are_recorded(client, admin_headers, setup):
    product_url = f"/api/v1/products/{setup.product['id']}"
    client.delete(product_url, headers=admin_headers)
    client.put(f"{product_url}/restore", headers=admin_headers)
    client.put(
        f"{product_url}/image",
        files={"file": ("a.png", _png(), "image/png")},
        headers=admin_headers,
    )
    client.delete(f"{product_url}/image", headers=admin_headers)
    key = make_key(client, admin_headers, ["orders:read"])
    client.delete(f"{KEYS}/{key['id']}", headers=admin_headers)
    actions = [e.action for e in _entries()]
    assert actions == [
        "product.delete",
        "product.restore",
        "product.image_set",
        "product.image_remove",
        "api_key.create",
        "api_key.revoke",
    ]
    restore, revoke = _entries()[1], _entries()[-1]
    assert restore.changes == {"is_deleted": [True, False]}
    assert revoke.changes == {"revoked": [False, True]}
    assert revoke.entity_id == str(key["id"])


def test_a_key_is_named_as_the_actor(client, admin_headers, setup):
    key = make_key(client, admin_headers, ["products:write"], name="PIM sync")
    response = client.put(
        f"/api/v1/products/{setup.product['id']}", json={"stock": 1}, headers=with_key(key)
    )
    assert response.status_code == 200
    entry = _entries()[-1]
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == (
        "api_key",
        key["id"],
        "PIM sync",
    )
    assert entry.changes == {"stock": [4, 1]}


def test_refused_and_unchanged_actions_write_nothing(client, admin_headers, alice_headers, setup):
    product_url = f"/api/v1/products/{setup.product['id']}"
    assert (
        client.put(product_url, json={"category_id": 424242}, headers=admin_headers).status_code
        == 404
    )
    assert (
        client.put(product_url, json={"stock": 4}, headers=admin_headers).status_code == 200
    )  # same
    assert client.put(f"{product_url}/restore", headers=admin_headers).status_code == 409
    assert client.put(product_url, json={"stock": 1}, headers=alice_headers).status_code == 403
    assert (
        client.put(f"/api/v1/users/{setup.admin_id}/role", headers=admin_headers).status_code == 409
    )
    taken = client.post("/api/v1/categories/", json={"name": "lights"}, headers=admin_headers)
    assert taken.status_code == 409
    # A shopper changing their own name is not an admin action.
    own = client.put(f"/api/v1/users/{setup.alice_id}", json={"name": "Al"}, headers=alice_headers)
    assert own.status_code == 200
    assert _entries() == []


def _record_then_fail(admin_id: int) -> None:
    with session_scope() as session:
        admin = session.get(User, admin_id)
        audit.record(session, admin, "product.update", "product", 1, {"stock": (1, 2)})
        session.flush()
        raise Conflict("the change failed after its entry was written")


def test_an_entry_rolls_back_with_its_change(setup):
    with pytest.raises(Conflict):
        _record_then_fail(setup.admin_id)
    assert _entries() == []


def test_the_log_is_admin_only(client, admin_headers, alice_headers, setup):
    assert client.get(AUDIT).status_code == 401
    assert client.get(AUDIT, headers=alice_headers).status_code == 403
    key = make_key(client, admin_headers, ["users:read", "products:read", "orders:read"])
    assert client.get(AUDIT, headers=with_key(key)).status_code == 403


def test_filters_and_order(client, admin_headers, setup):
    key = make_key(client, admin_headers, ["products:write"], name="PIM")
    product_url = f"/api/v1/products/{setup.product['id']}"
    client.put(product_url, json={"stock": 1}, headers=with_key(key))
    client.put(product_url, json={"stock": 2}, headers=admin_headers)
    client.put(
        f"/api/v1/categories/{setup.category['id']}", json={"name": "Lamps"}, headers=admin_headers
    )

    def ids(**query) -> list[str]:
        response = client.get(AUDIT, params=query, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [f"{e['action']}:{e['actor']['name']}" for e in response.json()["data"]]

    assert ids() == [
        "category.update:Ada Admin",
        "product.update:Ada Admin",
        "product.update:PIM",
        "api_key.create:Ada Admin",
    ]
    assert ids(entity_type="product", entity_id=str(setup.product["id"])) == [
        "product.update:Ada Admin",
        "product.update:PIM",
    ]
    assert ids(action="category.update") == ["category.update:Ada Admin"]
    assert ids(actor_id=key["id"], actor_kind="api_key") == ["product.update:PIM"]
    today = datetime.now(UTC).date()
    assert len(ids(created_from=today.isoformat(), created_to=today.isoformat())) == 4
    assert ids(created_to=(today - timedelta(days=1)).isoformat()) == []
    page = client.get(AUDIT, params={"limit": 3, "page": 2}, headers=admin_headers).json()
    assert (page["total"], page["total_pages"], len(page["data"])) == (4, 2, 1)


@pytest.mark.parametrize(
    "query",
    [
        {"actor_id": "x"},
        {"actor_id": "0"},
        {"actor_kind": "robot"},
        {"action": "Drop Table"},
        {"entity_type": "product;"},
        {"entity_id": "1 OR 1=1"},
        {"created_from": "yesterday"},
        {"created_from": "1700000000"},
        {"created_from": "2026-05-02", "created_to": "2026-05-01"},
        {"limit": "0"},
        {"page": "0"},
    ],
)
def test_bad_filters_are_422(client, admin_headers, query):
    assert client.get(AUDIT, params=query, headers=admin_headers).status_code == 422


def test_an_admin_password_change_names_no_secret(client, admin_headers, setup):
    client.put(
        f"/api/v1/users/{setup.alice_id}",
        json={"password": "brand-new-pass-1"},
        headers=admin_headers,
    )
    (entry,) = _entries()
    assert "brand-new-pass-1" not in str(entry.changes)
    assert ALICE["password"] not in str(entry.changes)
    with session_scope() as session:
        hashed = session.get(User, setup.alice_id).hashed_password
    assert hashed not in str(entry.changes)
