"""/admin/integrations and /admin/audit in Chromium: an admin mints a key (copying its secret),
a system uses it over REST, the admin revokes it after confirming, and the audit log shows it
all, with the UI's own request ids and client address."""

from __future__ import annotations

import re
import uuid

import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_accessibility import PHONE, _overflow, _problems, _settled
from tests.e2e.test_shop import log_in, open_page

INTEGRATIONS = "/admin/integrations"
AUDIT = "/admin/audit"


def _create_key(page: Page, name: str, scopes: list[str]) -> str:
    page.get_by_label("Key name").fill(name)
    for scope in scopes:
        page.get_by_label(scope, exact=True).check()
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_text(f"Created the key {name}.")).to_be_visible()
    secret_box = page.get_by_label(f"Secret of {name}")
    expect(secret_box).to_have_value(re.compile(r"^oms_[A-Za-z0-9_-]{43,}$"))
    return secret_box.input_value()


def test_an_admin_mints_copies_revokes_and_audits_a_key(
    browser: Browser, base_url: str, app_database: str
) -> None:
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    name = f"ERP {uuid.uuid4().hex[:6]}"
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    open_page(page, base_url + INTEGRATIONS)
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    secret = _create_key(page, name, ["orders:read"])
    expect(page.get_by_text("it will not be shown again")).to_be_visible()

    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied the secret to the clipboard.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret

    # The system uses the key over REST.
    used = httpx.get(f"{base_url}/api/v1/orders/", headers={"X-API-Key": secret})
    assert used.status_code == 200, used.text
    refused = httpx.get(f"{base_url}/api/v1/users/", headers={"X-API-Key": secret})
    assert refused.status_code == 403  # no users:read

    page.get_by_role("button", name="Done").click()
    expect(page.get_by_label(f"Secret of {name}")).to_have_count(0)
    row = page.locator("tr", has_text=name)
    expect(row).to_contain_text(secret[:12])
    expect(row).to_contain_text("orders:read")

    row.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(name)
    dialog.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(f"Revoked {name}. It no longer works.")).to_be_visible()
    expect(page.locator("tr", has_text=name)).to_have_count(0)
    assert httpx.get(f"{base_url}/api/v1/orders/", headers={"X-API-Key": secret}).status_code == 401

    # The audit log, narrowed by a filter that lands in the URL.
    open_page(page, base_url + AUDIT)
    page.get_by_label("Entity type").select_option("api_key")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?entity_type=api_key$"))
    rows = page.locator("tbody tr")  # newest first: this key's revocation, then its creation
    expect(rows.nth(1)).to_contain_text(name)
    expect(rows.nth(0)).to_contain_text("api_key.revoke")
    expect(rows.nth(0)).to_contain_text("revoked: false → true")
    expect(rows.nth(1)).to_contain_text("api_key.create")
    expect(rows.nth(1)).to_contain_text(f"name: — → {name}")
    page.go_back()  # Back undoes the filter
    expect(page).to_have_url(re.compile(r"/admin/audit/?$"))

    # Made in the UI, yet carrying a request id and the browser's address, as REST changes do.
    with psycopg.connect(app_database) as conn:
        made = conn.execute(
            "SELECT action, request_id, client_address FROM audit_entries"
            " WHERE entity_type = 'api_key' ORDER BY id"
        ).fetchall()
    assert [action for action, _, _ in made][-2:] == ["api_key.create", "api_key.revoke"]
    for _, request_id, address in made[-2:]:
        assert re.fullmatch(r"[0-9a-f]{32}", request_id or "")
        assert address == "127.0.0.1"
    create_id, revoke_id = made[-2][1], made[-1][1]
    assert create_id != revoke_id  # each event is its own request
    context.close()


def test_bad_filters_in_the_address_are_said_not_applied(page: Page, base_url: str) -> None:
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    open_page(page, f"{base_url}{AUDIT}?created_from=yesterday&actor_id=x")
    expect(page.get_by_text("Some filters in the address are not valid")).to_be_visible()
    expect(page.get_by_text("No entries match.")).to_be_visible()
    page.get_by_label("From", exact=True).fill("2026-01-02")
    page.get_by_label("To", exact=True).fill("2026-01-01")
    page.get_by_label("Actor ID").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("The From date must not be after the To date.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"created_from=yesterday"))  # nothing applied


def test_both_pages_pass_axe(page: Page, base_url: str) -> None:
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    problems = []
    for path in (INTEGRATIONS, AUDIT):
        _settled(page, base_url, path)
        problems += _problems(page)
    _settled(page, base_url, INTEGRATIONS)
    _create_key(page, f"Axe {uuid.uuid4().hex[:6]}", ["products:read"])
    problems += _problems(page)  # the secret shown once
    page.locator("tbody tr").first.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    problems += _problems(page)
    assert problems == []


@pytest.fixture
def phone(browser: Browser, base_url: str):
    context = browser.new_context(viewport=PHONE, base_url=base_url)
    yield context.new_page()
    context.close()


def test_both_pages_fit_a_phone(phone: Page, base_url: str) -> None:
    log_in(phone, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    _settled(phone, base_url, INTEGRATIONS)
    _create_key(phone, f"Phone {uuid.uuid4().hex[:6]}", ["users:read"])
    wide = [(INTEGRATIONS, _overflow(phone))]
    revoke = phone.locator("tbody tr").first.get_by_role("button", name="Revoke")
    box = revoke.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    _settled(phone, base_url, AUDIT)
    wide.append((AUDIT, _overflow(phone)))
    assert [w for w in wide if w[1] > 0] == []
