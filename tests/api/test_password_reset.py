"""Password reset over REST, mailed through a real SMTP server the test starts.

What is checked: the mail and its absolute link, a single-use hashed token valid 30 minutes,
every login ended, the same answer whatever the email, throttling, and that the request never
waits for (or fails with) the mail server.
"""

from __future__ import annotations

import logging
import re
import shutil
import ssl
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from oms_app.core import offload
from oms_app.core.config import get_settings
from oms_app.core.db import get_engine
from oms_app.core.errors import NotAuthenticated
from oms_app.core.security import hash_token
from oms_app.models.user import PasswordResetConfirm, PasswordResetRequest
from oms_app.services import password_reset
from tests.conftest import ALICE, BOB, bearer, login, register
from tests.mail_server import MailServer

RESET = "/api/v1/users/password-reset"
CONFIRM = "/api/v1/users/password-reset/confirm"
NEW_PASSWORD = "reset-pass-1234"
_LINK = re.compile(r"https?://\S+")


@pytest.fixture
def settings_env(monkeypatch):
    """Change settings for one test: they are read once per process, so re-read them."""

    def apply(**env: str | None) -> None:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    _settle()  # the test's mail jobs run under the test's settings, not the next test's
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def mailbox(settings_env):
    server = MailServer().start()
    settings_env(SMTP_URL=server.url(), MAIL_FROM="OMS Shop <shop@example.com>", PUBLIC_URL=None)
    yield server
    server.stop()


@pytest.fixture
def alice(client) -> dict:
    register(client, ALICE)
    return ALICE


def _ask(client, email: str, **headers: str):
    return client.post(RESET, json={"email": email}, headers=headers)


def _settle() -> None:
    assert offload.wait_idle(30), "the mail jobs did not finish"


def _link(message) -> str:
    links = _LINK.findall(message.get_content())
    assert len(links) == 1, message.get_content()
    return links[0]


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def _alive(client, tokens: dict) -> tuple[int, int]:
    me = client.get("/api/v1/users/me", headers=bearer(tokens)).status_code
    refresh = client.post("/api/v1/users/refresh", json={"refresh_token": tokens["refresh_token"]})
    return me, refresh.status_code


def test_the_whole_path_from_mail_to_new_password(client, alice, mailbox, settings_env):
    settings_env(PUBLIC_URL="https://shop.example/")
    logins = [login(client, alice) for _ in range(2)]
    response = _ask(client, "ALICE@example.com")
    assert response.status_code == 202, response.text

    (message,) = mailbox.wait_for(1)
    assert message["To"] == alice["email"]
    assert message["From"] == "OMS Shop <shop@example.com>"
    assert "reset" in message["Subject"].lower()
    link = _link(message)
    assert link.startswith("https://shop.example/reset-password?token=")
    assert "30 minutes" in message.get_content()

    confirmed = client.post(CONFIRM, json={"token": _token(link), "new_password": NEW_PASSWORD})
    assert confirmed.status_code == 200, confirmed.text
    for tokens in logins:
        assert _alive(client, tokens) == (401, 401)
    login(client, {**alice, "password": NEW_PASSWORD})
    old = client.post(
        "/api/v1/users/login", data={"username": alice["email"], "password": alice["password"]}
    )
    assert old.status_code == 401
    # Single use.
    again = client.post(CONFIRM, json={"token": _token(link), "new_password": "another-pass-1"})
    assert again.status_code == 401
    assert "invalid, used or expired" in again.json()["detail"]


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, alice, mailbox):
    unknown = _ask(client, "nobody@example.com")
    known = _ask(client, alice["email"])
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert sorted(unknown.headers.keys()) == sorted(known.headers.keys())
    _settle()  # jobs run in order: the unknown email's job had finished before the mail came
    assert [m["To"] for m in mailbox.wait_for(1)] == [alice["email"]]


def test_the_link_points_at_the_request_origin_without_public_url(client, alice, mailbox):
    _ask(client, alice["email"], Origin="http://localhost:8000")
    _ask(client, alice["email"])
    first, second = mailbox.wait_for(2)
    assert _link(first).startswith("http://localhost:8000/reset-password?token=")
    assert _link(second).startswith("http://testserver/reset-password?token=")


def test_in_production_links_go_only_to_listed_origins(
    client, alice, mailbox, settings_env, caplog
):
    settings_env(APP_ENV="production", ALLOWED_ORIGINS="https://shop.example")
    with caplog.at_level(logging.ERROR, logger="oms_app.services.password_reset"):
        assert _ask(client, alice["email"], Origin="https://evil.example").status_code == 202
        _settle()
    assert mailbox.messages == []
    assert "set PUBLIC_URL" in caplog.text
    _ask(client, alice["email"], Origin="https://shop.example")
    assert _link(mailbox.wait_for(1)[0]).startswith("https://shop.example/reset-password?")


def test_tokens_are_random_stored_hashed_and_expire(client, alice, bob_headers, mailbox):
    _ask(client, alice["email"])
    _ask(client, BOB["email"])
    tokens = [_token(_link(m)) for m in mailbox.wait_for(2)]
    assert len(set(tokens)) == 2
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes
    with get_engine().begin() as conn:
        stored = conn.execute(text("SELECT token_hash FROM one_time_tokens")).scalars().all()
        assert sorted(stored) == sorted(hash_token(token) for token in tokens)
        conn.execute(text("UPDATE one_time_tokens SET expires_at = now() - interval '1 second'"))
    response = client.post(CONFIRM, json={"token": tokens[0], "new_password": NEW_PASSWORD})
    assert response.status_code == 401


def test_changing_the_password_kills_outstanding_links(client, alice, mailbox):
    _ask(client, alice["email"])
    token = _token(_link(mailbox.wait_for(1)[0]))
    tokens = login(client, alice)
    me = client.get("/api/v1/users/me", headers=bearer(tokens)).json()
    client.put(
        f"/api/v1/users/{me['id']}",
        json={"password": "changed-pass-1", "current_password": alice["password"]},
        headers=bearer(tokens),
    )
    response = client.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert response.status_code == 401


def test_bad_input_is_422_and_spends_nothing(client, alice, mailbox):
    assert _ask(client, "not-an-email").status_code == 422
    assert client.post(RESET, json={}).status_code == 422
    _ask(client, alice["email"])
    token = _token(_link(mailbox.wait_for(1)[0]))
    short = client.post(CONFIRM, json={"token": token, "new_password": "short"})
    assert short.status_code == 422
    assert client.post(CONFIRM, json={"token": "", "new_password": NEW_PASSWORD}).status_code == 422
    assert client.post(CONFIRM, json={"token": "x" * 257, "new_password": NEW_PASSWORD}).is_error
    response = client.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert response.status_code == 200


def test_one_client_address_asking_too_often_is_refused(client, mailbox):
    for n in range(password_reset.REQUESTS_PER_ADDRESS):
        assert _ask(client, f"someone{n}@example.com").status_code == 202
    refused = _ask(client, "someone-else@example.com")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1


def test_one_email_gets_a_few_mails_then_quiet_acceptance(client, alice, mailbox):
    for _ in range(password_reset.MAILS_PER_EMAIL + 2):
        assert _ask(client, alice["email"]).status_code == 202
    _settle()
    assert len(mailbox.messages) == password_reset.MAILS_PER_EMAIL


def test_the_request_never_waits_for_the_mail_server(client, alice, settings_env):
    """The server holds the first mail; both requests are answered, the second not even looked
    up yet: nothing about the account happens on the request path."""
    register(client, BOB)
    slow = MailServer(hold=True).start()
    settings_env(SMTP_URL=slow.url())
    try:
        assert _ask(client, alice["email"]).status_code == 202
        assert _ask(client, BOB["email"]).status_code == 202
        with get_engine().connect() as conn:
            pending = conn.execute(text("SELECT count(*) FROM one_time_tokens")).scalar()
        assert pending <= 1  # Alice's job is at most at the mail server; Bob's waits its turn
        assert slow.messages == []
        slow.release()
        assert sorted(m["To"] for m in slow.wait_for(2)) == [alice["email"], BOB["email"]]
    finally:
        slow.stop()


def test_a_dead_mail_server_fails_nothing(client, alice, settings_env, caplog):
    closed = MailServer()  # never started: its port refuses connections
    settings_env(SMTP_URL=closed.url())
    with caplog.at_level(logging.ERROR, logger="oms_app.services.password_reset"):
        assert _ask(client, alice["email"]).status_code == 202
        _settle()
    assert "password reset mail failed" in caplog.text
    assert alice["password"] not in caplog.text


def test_without_smtp_the_link_is_logged_in_development(client, alice, settings_env, caplog):
    settings_env(SMTP_URL=None, APP_ENV="development")
    with caplog.at_level(logging.WARNING, logger="oms_app.services.password_reset"):
        _ask(client, alice["email"])
        _settle()
    (link,) = re.findall(r"http://testserver/reset-password\?token=\S+", caplog.text)
    response = client.post(CONFIRM, json={"token": _token(link), "new_password": NEW_PASSWORD})
    assert response.status_code == 200


def test_without_smtp_production_issues_no_link(client, alice, settings_env, caplog):
    settings_env(SMTP_URL=None, APP_ENV="production", PUBLIC_URL="https://shop.example")
    with caplog.at_level(logging.INFO, logger="oms_app.services.password_reset"):
        assert _ask(client, alice["email"]).status_code == 202
        _settle()
    assert "SMTP_URL is not set" in caplog.text
    assert "token=" not in caplog.text
    with get_engine().connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM one_time_tokens")).scalar() == 0


def test_a_link_is_spent_once_however_many_use_it_at_once(client, alice, mailbox):
    password_reset.request_password_reset(PasswordResetRequest(email=alice["email"]), "http://x")
    token = _token(_link(mailbox.wait_for(1)[0]))
    attempts = 6
    barrier = threading.Barrier(attempts)

    def use(n: int) -> bool:
        barrier.wait()
        try:
            password_reset.confirm_password_reset(
                PasswordResetConfirm(token=token, new_password=f"racing-pass-{n}")
            )
        except NotAuthenticated:
            return False
        return True

    with ThreadPoolExecutor(attempts) as pool:
        results = list(pool.map(use, range(attempts)))
    assert results.count(True) == 1
    login(client, {**alice, "password": f"racing-pass-{results.index(True)}"})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1 (key beside it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem"


def test_smtps_with_credentials(client, alice, settings_env, certificate):
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certificate, certificate.with_name("key.pem"))
    server = MailServer(tls=tls, credentials=("mailer@example.com", "p@ss:w/rd")).start()
    # The client trusts the test certificate the way an operator trusts a private CA.
    settings_env(
        SMTP_URL=server.url("smtps", "mailer%40example.com:p%40ss%3Aw%2Frd"),
        SSL_CERT_FILE=str(certificate),
    )
    try:
        _ask(client, alice["email"])
        assert [m["To"] for m in server.wait_for(1)] == [alice["email"]]
        assert server.logins == [("mailer@example.com", "p@ss:w/rd")]
    finally:
        server.stop()


def test_plain_smtp_with_credentials(client, alice, settings_env):
    server = MailServer(credentials=("mailer", "secret-1")).start()
    settings_env(SMTP_URL=server.url("smtp", "mailer:secret-1"))
    try:
        _ask(client, alice["email"])
        assert len(server.wait_for(1)) == 1
        assert server.logins == [("mailer", "secret-1")]
    finally:
        server.stop()
