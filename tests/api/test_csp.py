"""The Content-Security-Policy header, answer by answer (in Chromium: tests/e2e/test_csp.py)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import anyio
import pytest

from oms_app.api.csp import NOTHING, ContentSecurityPolicyMiddleware, inline_script_hashes
from oms_app.core.config import get_settings


def _sha256(text: bytes) -> str:
    return base64.b64encode(hashlib.sha256(text).digest()).decode()


def _script_src(policy: str) -> str:
    return next(d for d in policy.split("; ") if d.startswith("script-src"))


def test_api_answers_allow_nothing(client):
    assert client.get("/api/v1/products/").headers["content-security-policy"] == NOTHING
    assert client.get("/api/v1/products/0").headers["content-security-policy"] == NOTHING
    assert client.get("/api/openapi.json").headers["content-security-policy"] == NOTHING


def test_swagger_ui_may_run_exactly_its_own_inline_script(client):
    response = client.get("/api")
    (script,) = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert "validatorUrl" in script  # no badge fetched from a third-party host
    assert _script_src(response.headers["content-security-policy"]) == (
        f"script-src 'self' 'sha256-{_sha256(script.encode())}'"
    )


def test_hashes_are_taken_as_a_browser_reads_the_script():
    html = (
        b'<script>a\r\nb\rc</script><script src="/x.js"></script><SCRIPT type="module">d</SCRIPT>'
    )
    assert inline_script_hashes(html) == [_sha256(b"a\nb\nc"), _sha256(b"d")]


async def _serve(inner, path: str) -> list[dict]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    await ContentSecurityPolicyMiddleware(inner, api_prefix="/api")(scope, receive, send)
    return sent


def _headers(message: dict) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in message["headers"]}


def test_a_page_sent_by_path_gets_its_hashes_before_the_file(tmp_path):
    """Reflex's static pages go out as `http.response.pathsend`, pre-compressed."""
    page = tmp_path / "login.html.gz"
    page.write_bytes(gzip.compress(b"<html><script>boot()</script></html>"))

    async def static_page(scope, receive, send):
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-encoding", b"gzip")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.pathsend", "path": str(page)})

    start, pathsend = anyio.run(_serve, static_page, "/login/")
    assert start["type"] == "http.response.start"
    assert pathsend == {"type": "http.response.pathsend", "path": str(page)}
    policy = _headers(start)["content-security-policy"]
    assert _script_src(policy) == f"script-src 'self' 'unsafe-eval' 'sha256-{_sha256(b'boot()')}'"


def test_a_not_modified_answer_leaves_the_cached_policy_alone():
    async def not_modified(scope, receive, send):
        await send({"type": "http.response.start", "status": 304, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    start, _ = anyio.run(_serve, not_modified, "/login/")
    assert "content-security-policy" not in _headers(start)


@pytest.fixture
def api_url(monkeypatch):
    monkeypatch.setenv("REFLEX_API_URL", "http://oms.example:80")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_websocket_elsewhere_is_allowed_to_connect(client, api_url):
    policy = client.get("/api").headers["content-security-policy"]
    assert "connect-src 'self' http://oms.example:80 ws://oms.example:80;" in policy
