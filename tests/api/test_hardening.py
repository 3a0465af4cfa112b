"""Security headers on every answer, and request bodies capped."""

from __future__ import annotations

from oms_app.api.hardening import MAX_BODY_BYTES


def test_security_headers_on_api_answers(client):
    response = client.get("/api/v1/products/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_behind_https(client):
    response = client.get("/api/health", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_errors_carry_the_headers_too(client):
    assert client.get("/api/v1/products/0").headers["X-Frame-Options"] == "DENY"


def test_declared_oversized_bodies_are_413(client):
    response = client.post(
        "/api/v1/users/register",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_chunked_oversized_bodies_are_413(client):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    response = client.post(
        "/api/v1/users/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_a_normal_body_passes(client):
    response = client.post(
        "/api/v1/users/register",
        json={"name": "N", "email": "n@example.com", "password": "password-1"},
    )
    assert response.status_code == 201
