"""The edges a browser meets: Swagger UI offline, security headers on pages, login throttling."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from oms_app.services import login_throttle
from tests.e2e.test_shop import PASSWORD, api_register, at, open_page


def test_swagger_ui_renders_offline_with_authorize(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/api")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OMS API", timeout=20_000)
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    expect(
        page.locator(".opblock-summary-path").filter(has_text="/api/v1/orders/")
    ).not_to_have_count(0)


def test_pages_carry_security_headers(base_url: str) -> None:
    response = httpx.get(f"{base_url}/login", follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_repeated_failed_logins_are_refused_with_a_readable_message(
    page: Page, base_url: str
) -> None:
    email = api_register(base_url, "Guessed")
    open_page(page, f"{base_url}/login")
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    button = form.get_by_role("button", name="Log in")
    error = page.locator("#login-error")
    # Past the free allowance each failure locks the email for twice as long as the one before
    # (1 s, 2 s, 4 s …): on a slow machine a try can outlast the first locks, so keep trying
    # until one lands inside a lock. Twelve more tries reach a lock longer than any try takes.
    for _ in range(login_throttle.EMAIL.free_failures + 12):
        form.get_by_label("Password").fill("not-the-password")
        expect(button).to_be_enabled()
        button.click()
        expect(error).not_to_be_empty()
        expect(button).to_be_enabled()
        if "Too many" in error.inner_text():
            break
    expect(error).to_contain_text("Too many failed login attempts")
    expect(page).to_have_url(at(base_url, "/login"))


def test_login_never_sends_the_browser_to_another_host(page: Page, base_url: str) -> None:
    """Issue 8, finding 7: browsers drop a TAB from URLs, so `/<TAB>/host` became `//host`."""
    email = api_register(base_url, "NextHop")
    open_page(page, f"{base_url}/login?next=/%09/evil.example/")
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(base_url, "/"))


def test_an_unknown_address_gets_a_404_page_inside_the_layout(page: Page, base_url: str) -> None:
    open_page(page, f"{base_url}/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("navigation", name="Site")).to_be_visible()
    page.get_by_role("link", name="Back to the catalogue").click()
    expect(page).to_have_url(at(base_url, "/"))


def test_a_lost_connection_shows_a_banner_in_plain_words(page: Page, base_url: str) -> None:
    open_page(page, f"{base_url}/")
    expect(page.locator("#offline-banner")).to_have_count(0)
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible(timeout=30_000)
    expect(banner).to_contain_text("Connection to the shop lost")
    expect(page.get_by_text("websocket")).to_have_count(0)
    page.context.set_offline(False)
    expect(banner).to_have_count(0, timeout=30_000)
