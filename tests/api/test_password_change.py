"""A new password ends every other login of that user at once: access and refresh tokens.

Changing your own password keeps the login that did it; an admin's change ends them all. A login
racing the change cannot outlive it either (the users row lock orders the two).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from oms_app.core.db import get_engine
from oms_app.models.user import UserUpdate
from oms_app.services import auth, users
from tests.conftest import ALICE, bearer, login, register

NEW_PASSWORD = "brand-new-pass-1"


def _alive(client, tokens: dict) -> tuple[int, int]:
    """(GET /users/me status, POST /users/refresh status) for one login."""
    me = client.get("/api/v1/users/me", headers=bearer(tokens)).status_code
    refreshed = client.post(
        "/api/v1/users/refresh", json={"refresh_token": tokens["refresh_token"]}
    ).status_code
    return me, refreshed


@pytest.fixture
def alice_logins(client) -> list[dict]:
    register(client, ALICE)
    return [login(client, ALICE) for _ in range(3)]


def _alice_id(client, tokens: dict) -> int:
    return client.get("/api/v1/users/me", headers=bearer(tokens)).json()["id"]


def test_an_own_change_ends_the_other_logins_and_keeps_this_one(client, alice_logins):
    current, *others = alice_logins
    response = client.put(
        f"/api/v1/users/{_alice_id(client, current)}",
        json={"password": NEW_PASSWORD, "current_password": ALICE["password"]},
        headers=bearer(current),
    )
    assert response.status_code == 200, response.text
    for other in others:
        assert _alive(client, other) == (401, 401)
    assert _alive(client, current) == (200, 200)


def test_an_admin_change_ends_every_login(client, admin_headers, alice_logins):
    alice_id = _alice_id(client, alice_logins[0])
    response = client.put(
        f"/api/v1/users/{alice_id}", json={"password": NEW_PASSWORD}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    for tokens in alice_logins:
        assert _alive(client, tokens) == (401, 401)
    # The admin's own login is untouched, and Alice logs in with the new password.
    assert client.get("/api/v1/users/me", headers=admin_headers).status_code == 200
    login(client, {**ALICE, "password": NEW_PASSWORD})


def test_a_name_change_ends_no_login(client, admin_headers, alice_logins):
    alice_id = _alice_id(client, alice_logins[0])
    client.put(f"/api/v1/users/{alice_id}", json={"name": "Alicia"}, headers=admin_headers)
    for tokens in alice_logins:
        assert client.get("/api/v1/users/me", headers=bearer(tokens)).status_code == 200


def _blocked_on_a_lock() -> bool:
    with get_engine().connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar()
        )


def test_a_login_racing_a_password_change_does_not_survive_it(
    client, admin_headers, alice_logins, monkeypatch
):
    """The login checks the old password, then the admin changes it before the login commits."""
    alice_id = _alice_id(client, alice_logins[0])
    admin = auth.authenticate(admin_headers["Authorization"].removeprefix("Bearer "))[0]
    checked, release = threading.Event(), threading.Event()
    real_verify = auth.verify_password

    def verify_then_pause(password: str, hashed: str) -> bool:
        result = real_verify(password, hashed)
        checked.set()
        release.wait(timeout=30)
        return result

    monkeypatch.setattr(auth, "verify_password", verify_then_pause)
    outcome: dict[str, object] = {}

    def log_in() -> None:
        try:
            outcome["tokens"] = auth.login(ALICE["email"], ALICE["password"])
        except Exception as exc:  # a refused login is as good as an ended one
            outcome["error"] = exc

    def change() -> None:
        users.update_user(admin, alice_id, UserUpdate(password=NEW_PASSWORD))

    racing_login = threading.Thread(target=log_in)
    racing_login.start()
    assert checked.wait(timeout=30), "the login never reached its password check"
    changer = threading.Thread(target=change)
    changer.start()
    # Let the change run until it has either finished or is waiting for the login's lock.
    deadline = time.monotonic() + 30
    while changer.is_alive() and not _blocked_on_a_lock():
        assert time.monotonic() < deadline, "the password change neither ran nor waited"
        time.sleep(0.01)
    release.set()
    racing_login.join(timeout=30)
    changer.join(timeout=30)
    assert not changer.is_alive()
    assert not racing_login.is_alive()

    if "tokens" in outcome:
        tokens = outcome["tokens"].model_dump()
        assert _alive(client, tokens) == (401, 401)
    login(client, {**ALICE, "password": NEW_PASSWORD})
