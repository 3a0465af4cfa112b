"""Token attacks: every forged, expired, misused or replayed token is refused with 401."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from oms_app.core.config import get_settings
from tests.conftest import ALICE, bearer, login, register


@pytest.fixture
def tokens(client) -> dict:
    register(client, ALICE)
    return login(client, ALICE)


def _me(client, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get("/api/v1/users/me", headers=headers)


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_the_issued_access_token_works(client, tokens):
    assert _me(client, tokens["access_token"]).status_code == 200
    claims = _claims(tokens["access_token"])
    assert {"sub", "type", "exp", "iat", "jti"} <= set(claims)
    assert claims["type"] == "access"


@pytest.mark.parametrize("token", [None, "", "garbage", "a.b.c", "Bearer x" * 50])
def test_missing_or_garbage_tokens_are_401(client, token):
    response = _me(client, token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_signed_with_another_key_is_401(client, tokens):
    forged = jwt.encode(_claims(tokens["access_token"]), "another-key-" * 4, algorithm="HS256")
    assert _me(client, forged).status_code == 401


def test_alg_none_is_401(client, tokens):
    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(_claims(tokens['access_token']))}."
    assert _me(client, unsigned).status_code == 401


def test_an_expired_token_is_401(client, tokens):
    claims = _claims(tokens["access_token"])
    claims["exp"] = int((datetime.now(UTC) - timedelta(seconds=5)).timestamp())
    expired = jwt.encode(claims, get_settings().secret_key, algorithm="HS256")
    assert _me(client, expired).status_code == 401


def test_a_token_that_worked_is_refused_once_it_expires(client, tokens):
    # Verified tokens are remembered per process (services/auth.py); expiry still counts.
    claims = _claims(tokens["access_token"])
    claims["exp"] = int(time.time()) + 2
    short_lived = jwt.encode(claims, get_settings().secret_key, algorithm="HS256")
    assert _me(client, short_lived).status_code == 200
    time.sleep(3.1)
    assert _me(client, short_lived).status_code == 401


def test_a_remembered_token_stops_working_at_logout(client, tokens):
    headers = bearer(tokens)
    assert _me(client, tokens["access_token"]).status_code == 200
    assert client.post("/api/v1/users/logout", headers=headers).status_code in (200, 204)
    assert _me(client, tokens["access_token"]).status_code == 401


def test_a_refresh_token_is_not_an_access_token(client, tokens):
    assert _me(client, tokens["refresh_token"]).status_code == 401


def test_an_access_token_is_not_a_refresh_token(client, tokens):
    response = client.post("/api/v1/users/refresh", json={"refresh_token": tokens["access_token"]})
    assert response.status_code == 401


def test_refresh_rotates_both_tokens(client, tokens):
    response = client.post("/api/v1/users/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert _me(client, fresh["access_token"]).status_code == 200
    again = client.post("/api/v1/users/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert again.status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_login(client, tokens):
    first = tokens["refresh_token"]
    rotated = client.post("/api/v1/users/refresh", json={"refresh_token": first}).json()
    replay = client.post("/api/v1/users/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    # The thief replayed an old token: the legitimate new tokens die too.
    refreshed = client.post(
        "/api/v1/users/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert refreshed.status_code == 401
    assert _me(client, rotated["access_token"]).status_code == 401
    # Other logins of the same user are untouched.
    assert _me(client, login(client, ALICE)["access_token"]).status_code == 200


def test_logout_revokes_the_login_at_once(client, tokens):
    headers = bearer(tokens)
    assert client.post("/api/v1/users/logout", headers=headers).status_code == 200
    assert _me(client, tokens["access_token"]).status_code == 401
    response = client.post("/api/v1/users/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401
    assert client.post("/api/v1/users/logout", headers=headers).status_code == 401


def test_logout_needs_authentication(client):
    assert client.post("/api/v1/users/logout").status_code == 401


def test_refresh_tokens_are_stored_hashed(client, tokens):
    from sqlalchemy import text

    from oms_app.core.db import get_engine

    with get_engine().connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM refresh_tokens")).scalars().all()
    assert stored
    assert tokens["refresh_token"] not in stored
    assert all(len(value) == 64 for value in stored)


def test_tokens_of_one_second_are_still_distinct(client, tokens):
    # jti makes every token unique even when issued within the same second.
    second = login(client, ALICE)
    assert second["access_token"] != tokens["access_token"]
    assert int(time.time()) >= _claims(second["access_token"])["iat"]
