"""Password guessing is slowed, then refused with 429 and Retry-After; a success resets it."""

from __future__ import annotations

import pytest

from oms_app.core.cache import Cache
from oms_app.services import counters, login_throttle
from tests.conftest import ALICE, register


def _attempt(client, password: str, email: str = ALICE["email"]):
    return client.post("/api/v1/users/login", data={"username": email, "password": password})


@pytest.fixture(params=["redis", "in-process"])
def store(request, monkeypatch):
    """Run each test with the shared Redis store and with the per-process fallback."""
    if request.param == "in-process":
        monkeypatch.setattr(counters, "get_cache", lambda: Cache(None, 0.1, 300))
        monkeypatch.setattr(counters, "_local", counters._LocalStore())
    return request.param


def test_failures_past_the_threshold_lock_the_email(client, store):
    register(client, ALICE)
    for _ in range(login_throttle.EMAIL.free_failures):
        assert _attempt(client, "wrong-password").status_code == 401
    assert _attempt(client, "wrong-password").status_code == 401  # this one sets the lock
    refused = _attempt(client, ALICE["password"])
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Too many failed login attempts" in refused.json()["detail"]


def test_locks_double_with_each_further_failure():
    limit = login_throttle.EMAIL
    seconds = [login_throttle._lock_seconds(limit, n) for n in range(1, limit.free_failures + 6)]
    assert seconds == [0] * limit.free_failures + [1, 2, 4, 8, 16]
    assert login_throttle._lock_seconds(limit, 100) == login_throttle.WINDOW_SECONDS


def test_a_success_resets_the_count(client, store):
    register(client, ALICE)
    for _ in range(login_throttle.EMAIL.free_failures):
        _attempt(client, "wrong-password")
    assert _attempt(client, ALICE["password"]).status_code == 200
    for _ in range(login_throttle.EMAIL.free_failures):
        assert _attempt(client, "wrong-password").status_code == 401


def test_unknown_emails_are_throttled_too(client, store):
    for _ in range(login_throttle.EMAIL.free_failures + 1):
        _attempt(client, "guess-1234", email="ghost@example.com")
    assert _attempt(client, "guess-1234", email="ghost@example.com").status_code == 429


def test_one_address_guessing_many_emails_is_refused(client, store):
    register(client, ALICE)
    for n in range(login_throttle.ADDRESS.free_failures + 1):
        _attempt(client, "guess-1234", email=f"victim{n}@example.com")
    # The address is locked, even for an account it never tried.
    assert _attempt(client, ALICE["password"]).status_code == 429
