"""The login check served from Redis: as strict as the database it stands in for.

Every test warms the cache first (an authenticated request stores the login), then changes what
the database says and expects the very next request to see it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from oms_app.core import cache as cache_module
from oms_app.core.cache import Cache, get_cache
from oms_app.core.db import get_engine
from oms_app.services import auth, login_cache
from tests.conftest import ADMIN, ALICE, BOB, bearer, login, register

ME = "/api/v1/users/me"


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        event.listen(get_engine(), "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(get_engine(), "before_cursor_execute", self)


def _login_keys() -> list[bytes]:
    return [key for key in get_cache().client.keys("*") if b":login:" in key]


@pytest.fixture
def alice(client) -> dict:
    register(client, ALICE)
    return login(client, ALICE)


def test_a_warm_login_is_checked_without_the_database(client, alice):
    token = alice["access_token"]
    assert client.get(ME, headers=bearer(alice)).status_code == 200  # warms the cache
    assert _login_keys()
    with StatementCounter() as statements:
        user, _ = auth.authenticate(token)
    assert statements.count == 0
    assert user.email == ALICE["email"]


def test_the_cached_user_is_the_user_the_database_gives(client, alice):
    from sqlalchemy import inspect

    token = alice["access_token"]
    get_cache().client.flushdb()
    from_database, _ = auth.authenticate(token)  # a miss: read from the database, then stored
    with StatementCounter() as statements:
        from_cache, _ = auth.authenticate(token)
    assert statements.count == 0
    fields = set(from_database.model_dump()) - {"hashed_password"}
    assert from_cache.model_dump(include=fields) == from_database.model_dump(include=fields)
    assert (from_cache.is_admin, from_cache.created_at) == (False, from_database.created_at)
    # Like a loaded row: nothing pending, attached to no session.
    state = inspect(from_cache)
    assert not state.modified
    assert state.session is None


def test_the_cache_holds_no_password_hash(client, alice):
    client.get(ME, headers=bearer(alice))
    client_ = get_cache().client
    stored = b"".join(client_.get(key) for key in _login_keys())
    assert b"$2b$" not in stored
    assert b"hashed_password" not in stored
    user, _ = auth.authenticate(alice["access_token"])
    assert user.hashed_password == ""


def test_logout_ends_a_cached_login_at_once(client, alice):
    headers = bearer(alice)
    assert client.get(ME, headers=headers).status_code == 200
    assert client.post("/api/v1/users/logout", headers=headers).status_code == 200
    assert client.get(ME, headers=headers).status_code == 401


def test_logging_out_another_login_by_its_refresh_token_ends_it(client, alice):
    other = login(client, ALICE)
    assert client.get(ME, headers=bearer(other)).status_code == 200
    response = client.post(
        "/api/v1/users/logout",
        headers=bearer(alice),
        json={"refresh_token": other["refresh_token"]},
    )
    assert response.status_code == 200
    assert client.get(ME, headers=bearer(other)).status_code == 401


def test_refresh_token_reuse_ends_the_cached_login(client, alice):
    headers = bearer(alice)
    assert client.get(ME, headers=headers).status_code == 200
    first = alice["refresh_token"]
    assert client.post("/api/v1/users/refresh", json={"refresh_token": first}).status_code == 200
    assert client.post("/api/v1/users/refresh", json={"refresh_token": first}).status_code == 401
    assert client.get(ME, headers=headers).status_code == 401


def test_a_password_change_ends_the_other_cached_logins_but_not_this_one(client, alice):
    other = login(client, ALICE)
    me = client.get(ME, headers=bearer(alice)).json()
    assert client.get(ME, headers=bearer(other)).status_code == 200
    response = client.put(
        f"/api/v1/users/{me['id']}",
        headers=bearer(alice),
        json={"password": "brand-new-pass-1", "current_password": ALICE["password"]},
    )
    assert response.status_code == 200, response.text
    assert client.get(ME, headers=bearer(other)).status_code == 401
    assert client.get(ME, headers=bearer(alice)).status_code == 200


def test_a_new_name_is_seen_by_the_next_request(client, alice):
    headers = bearer(alice)
    me = client.get(ME, headers=headers).json()
    client.put(f"/api/v1/users/{me['id']}", headers=headers, json={"name": "Alicia"})
    assert client.get(ME, headers=headers).json()["name"] == "Alicia"


def test_a_demoted_admin_loses_admin_rights_at_once(client, admin_headers):
    register(client, BOB)
    bob = login(client, BOB)
    bob_id = client.get(ME, headers=bearer(bob)).json()["id"]
    assert client.put(f"/api/v1/users/{bob_id}/role", headers=admin_headers).status_code == 200
    assert client.get("/api/v1/users/", headers=bearer(bob)).status_code == 200  # cached admin
    assert client.put(f"/api/v1/users/{bob_id}/role", headers=admin_headers).status_code == 200
    assert client.get("/api/v1/users/", headers=bearer(bob)).status_code == 403


def test_a_deleted_account_is_refused_at_once(client, admin_headers, alice):
    headers = bearer(alice)
    alice_id = client.get(ME, headers=headers).json()["id"]
    assert client.delete(f"/api/v1/users/{alice_id}", headers=admin_headers).status_code == 200
    assert client.get(ME, headers=headers).status_code == 401


def test_an_answer_read_before_a_logout_and_stored_after_it_is_never_served(client, alice):
    """The race the namespace versions exist for: a request reads the database just before a
    logout commits and stores what it saw just after."""
    headers = bearer(alice)
    user_id = client.get(ME, headers=headers).json()["id"]
    _, session_id = auth.authenticate(alice["access_token"])
    for key in _login_keys():
        get_cache().client.delete(key)
    slot, cached = get_cache().get(f"login:{user_id}", f"{login_cache.SHAPE}:{session_id}")
    assert cached is None
    stale = login_cache._dump(auth.authenticate(alice["access_token"])[0])

    assert client.post("/api/v1/users/logout", headers=headers).status_code == 200
    get_cache().put(slot, stale)  # the slow reader stores its pre-logout answer

    assert client.get(ME, headers=headers).status_code == 401


@pytest.fixture
def dead_redis(monkeypatch):
    """The login cache pointed at a Redis nobody listens on."""
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.0)
    cache = Cache("redis://127.0.0.1:1/0", 0.25, 300)
    monkeypatch.setattr(login_cache, "get_cache", lambda: cache)
    return cache


def test_without_redis_the_database_answers_and_logout_still_works(client, alice, dead_redis):
    headers = bearer(alice)
    assert client.get(ME, headers=headers).status_code == 200
    with StatementCounter() as statements:
        auth.authenticate(alice["access_token"])
    assert statements.count > 0  # asked the database, since Redis could not answer
    assert client.post("/api/v1/users/logout", headers=headers).status_code == 200
    assert client.get(ME, headers=headers).status_code == 401


def test_a_logout_redis_missed_is_not_undone_when_redis_returns(client, alice, monkeypatch):
    """Redis gone at the moment of the logout: once it is back, the entry cached before the
    outage must not vouch for the login (the cache's epoch moves on)."""
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.0)
    headers = bearer(alice)
    assert client.get(ME, headers=headers).status_code == 200  # cached in the live Redis
    real = get_cache()
    outage = Cache("redis://127.0.0.1:1/0", 0.25, 300)
    monkeypatch.setattr(real, "_client", outage._client)  # Redis unreachable ...
    assert client.post("/api/v1/users/logout", headers=headers).status_code == 200
    monkeypatch.undo()  # ... and back, with the pre-logout entry still in it
    monkeypatch.setattr(cache_module, "RETRY_AFTER_FAILURE_SECONDS", 0.0)
    assert _login_keys()
    assert client.get(ME, headers=headers).status_code == 401


def test_ending_one_login_leaves_the_other_logins_of_the_user_alone(client, admin_headers):
    """Two logins of one user are two entries: ending one leaves the other cached and valid."""
    second = login(client, ADMIN)
    assert client.get(ME, headers=admin_headers).status_code == 200
    assert client.get(ME, headers=bearer(second)).status_code == 200
    assert client.post("/api/v1/users/logout", headers=bearer(second)).status_code == 200
    assert client.get(ME, headers=admin_headers).status_code == 200
    assert client.get(ME, headers=bearer(second)).status_code == 401
