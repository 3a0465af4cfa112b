"""Users over REST: registration, login, self-service, roles and deletion."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN, ALICE, BOB, bearer, login, register


def test_register_returns_the_public_user(client):
    response = client.post("/api/v1/users/register", json={**ALICE, "email": "Alice@Example.COM"})
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "alice@example.com"
    assert body["role"] == "user"
    assert set(body) == {"id", "name", "email", "role", "created_at"}


def test_duplicate_email_is_a_conflict_whatever_its_case(client):
    register(client, ALICE)
    response = client.post("/api/v1/users/register", json={**BOB, "email": "ALICE@example.com"})
    assert response.status_code == 409


def test_register_ignores_a_role_it_is_sent(client):
    response = client.post("/api/v1/users/register", json={**ALICE, "role": "admin"})
    assert response.status_code == 201
    assert response.json()["role"] == "user"


@pytest.mark.parametrize(
    ("password", "status"),
    [
        ("short12", 422),  # 7 bytes
        ("eightchr", 201),
        ("x" * 72, 201),
        ("x" * 73, 422),
        ("é" * 37, 422),  # 37 characters but 74 bytes: never silently truncated
        ("é" * 36, 201),
    ],
)
def test_password_length_is_counted_in_bytes(client, password, status):
    response = client.post(
        "/api/v1/users/register", json={"name": "P", "email": "p@example.com", "password": password}
    )
    assert response.status_code == status, response.text


def test_login_accepts_the_oauth2_form_and_json(client):
    register(client, ALICE)
    form = login(client, ALICE)
    assert form["token_type"] == "bearer"
    assert form["access_token"]
    assert form["refresh_token"]
    json_login = client.post(
        "/api/v1/users/login", json={"email": "ALICE@example.com", "password": ALICE["password"]}
    )
    assert json_login.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice@example.com", "password": "wrong-password"},
        {"username": "nobody@example.com", "password": "alice-pass-123"},
    ],
)
def test_bad_credentials_are_401_alike(client, credentials):
    register(client, ALICE)
    response = client.post("/api/v1/users/login", data=credentials)
    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect email or password"}


def test_login_without_fields_is_422(client):
    assert client.post("/api/v1/users/login", data={}).status_code in (401, 422)
    assert (
        client.post(
            "/api/v1/users/login",
            content=b"{bad json",
            headers={"Content-Type": "application/json"},
        ).status_code
        == 422
    )


def test_me_and_reading_users(client, alice_headers, admin_headers):
    me = client.get("/api/v1/users/me", headers=alice_headers).json()
    assert me["email"] == ALICE["email"]
    assert client.get(f"/api/v1/users/{me['id']}", headers=alice_headers).status_code == 200
    admin_id = client.get("/api/v1/users/me", headers=admin_headers).json()["id"]
    # Another user's profile does not even exist for Alice; admins see everyone.
    assert client.get(f"/api/v1/users/{admin_id}", headers=alice_headers).status_code == 404
    assert client.get(f"/api/v1/users/{me['id']}", headers=admin_headers).status_code == 200
    assert client.get("/api/v1/users/999999", headers=admin_headers).status_code == 404


def test_user_updates_only_themselves(client, alice_headers, bob_headers, admin_headers):
    alice = client.get("/api/v1/users/me", headers=alice_headers).json()
    bob = client.get("/api/v1/users/me", headers=bob_headers).json()
    renamed = client.put(
        f"/api/v1/users/{alice['id']}", json={"name": "Alicia"}, headers=alice_headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Alicia"
    assert (
        client.put(
            f"/api/v1/users/{bob['id']}", json={"name": "Hacked"}, headers=alice_headers
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/users/{bob['id']}", headers=admin_headers).json()["name"] == "Bob"


def test_admins_update_any_user_without_their_password(client, alice_headers, admin_headers):
    alice_id = client.get("/api/v1/users/me", headers=alice_headers).json()["id"]
    response = client.put(
        f"/api/v1/users/{alice_id}",
        json={"name": "Alicia", "email": "Alicia@Example.com", "password": "set-by-admin-1"},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["name"], response.json()["email"]) == ("Alicia", "alicia@example.com")
    login(client, {"email": "alicia@example.com", "password": "set-by-admin-1"})
    old = client.post(
        "/api/v1/users/login",
        data={"username": "alicia@example.com", "password": ALICE["password"]},
    )
    assert old.status_code == 401


def test_admins_cannot_grant_roles_through_the_profile(client, alice_headers, admin_headers):
    alice_id = client.get("/api/v1/users/me", headers=alice_headers).json()["id"]
    response = client.put(
        f"/api/v1/users/{alice_id}", json={"role": "admin"}, headers=admin_headers
    )
    assert response.status_code == 422
    assert client.get("/api/v1/users/me", headers=alice_headers).json()["role"] == "user"


def test_a_missing_user_is_404_for_an_admin(client, admin_headers):
    response = client.put("/api/v1/users/999999", json={"name": "Ghost"}, headers=admin_headers)
    assert response.status_code == 404


def test_an_admin_changing_their_own_password_still_needs_it(client, admin_headers):
    admin_id = client.get("/api/v1/users/me", headers=admin_headers).json()["id"]
    url = f"/api/v1/users/{admin_id}"
    response = client.put(url, json={"password": "new-admin-pass"}, headers=admin_headers)
    assert response.status_code == 403


def test_no_one_escalates_to_admin_through_their_profile(client, alice_headers):
    alice = client.get("/api/v1/users/me", headers=alice_headers).json()
    response = client.put(
        f"/api/v1/users/{alice['id']}", json={"role": "admin"}, headers=alice_headers
    )
    assert response.status_code == 422
    assert client.get("/api/v1/users/me", headers=alice_headers).json()["role"] == "user"
    assert client.put(f"/api/v1/users/{alice['id']}/role", headers=alice_headers).status_code == 403


def test_changing_password_or_email_needs_the_current_password(client, alice_headers):
    alice_id = client.get("/api/v1/users/me", headers=alice_headers).json()["id"]
    url = f"/api/v1/users/{alice_id}"
    assert (
        client.put(url, json={"password": "new-password-1"}, headers=alice_headers).status_code
        == 403
    )
    assert (
        client.put(
            url,
            json={"password": "new-password-1", "current_password": "wrong"},
            headers=alice_headers,
        ).status_code
        == 403
    )
    assert (
        client.put(
            url,
            json={"password": "new-password-1", "current_password": ALICE["password"]},
            headers=alice_headers,
        ).status_code
        == 200
    )
    login(client, {**ALICE, "password": "new-password-1"})
    assert (
        client.put(
            url,
            json={"email": "NEW@example.com", "current_password": "new-password-1"},
            headers=alice_headers,
        ).json()["email"]
        == "new@example.com"
    )


def test_email_change_to_a_taken_one_is_409(client, alice_headers, bob_headers):
    alice_id = client.get("/api/v1/users/me", headers=alice_headers).json()["id"]
    response = client.put(
        f"/api/v1/users/{alice_id}",
        json={"email": BOB["email"], "current_password": ALICE["password"]},
        headers=alice_headers,
    )
    assert response.status_code == 409


def test_list_users_is_for_admins_and_paginates(client, admin_headers, alice_headers):
    for n in range(5):
        register(client, {"name": f"U{n}", "email": f"u{n}@example.com", "password": "password-1"})
    assert client.get("/api/v1/users/").status_code == 401
    assert client.get("/api/v1/users/", headers=alice_headers).status_code == 403
    page = client.get("/api/v1/users/?page=2&limit=3", headers=admin_headers).json()
    assert (page["total"], page["page"], page["limit"], page["total_pages"]) == (7, 2, 3, 3)
    assert len(page["data"]) == 3
    first = client.get("/api/v1/users/?page=1&limit=3", headers=admin_headers).json()["data"]
    assert first[0]["email"] == "u4@example.com"  # newest first
    assert {u["id"] for u in first}.isdisjoint({u["id"] for u in page["data"]})


def test_roles_toggle_but_the_last_admin_stays(client, admin_headers, alice_headers):
    admin_id = client.get("/api/v1/users/me", headers=admin_headers).json()["id"]
    alice_id = client.get("/api/v1/users/me", headers=alice_headers).json()["id"]
    assert client.put(f"/api/v1/users/{admin_id}/role", headers=admin_headers).status_code == 409
    assert client.delete(f"/api/v1/users/{admin_id}", headers=admin_headers).status_code == 409
    promoted = client.put(f"/api/v1/users/{alice_id}/role", headers=admin_headers)
    assert promoted.json()["role"] == "admin"
    # With a second admin, the first may step down.
    assert (
        client.put(f"/api/v1/users/{admin_id}/role", headers=admin_headers).json()["role"] == "user"
    )
    assert client.get("/api/v1/users/", headers=admin_headers).status_code == 403


def test_deleting_a_user_keeps_their_orders(client, admin_headers, alice_headers, make_product):
    product = make_product(stock=5)
    order = client.post(
        "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=alice_headers
    ).json()
    alice_id = order["user_id"]
    assert client.delete(f"/api/v1/users/{alice_id}", headers=alice_headers).status_code == 403
    assert client.delete(f"/api/v1/users/{alice_id}", headers=admin_headers).status_code == 200
    kept = client.get(f"/api/v1/orders/{order['id']}", headers=admin_headers)
    assert kept.status_code == 200
    assert kept.json()["user_id"] is None
    assert kept.json()["total"] == order["total"]
    # Her tokens died with her.
    assert client.get("/api/v1/users/me", headers=alice_headers).status_code == 401
    assert client.delete(f"/api/v1/users/{alice_id}", headers=admin_headers).status_code == 404


def test_the_configured_admin_can_log_in(client, admin_headers):
    me = client.get("/api/v1/users/me", headers=admin_headers).json()
    assert me["role"] == "admin"
    assert me["email"] == ADMIN["email"]
    assert bearer(login(client, ADMIN))
