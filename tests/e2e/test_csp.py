"""The Content-Security-Policy in Chromium: the app and Swagger UI work under it, with no
violation reported, and a script injected into a page is refused."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_shop import at, open_page

# Registered before any page script runs, in every document the tab loads.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched(page: Page) -> tuple[Page, list[str]]:
    """The page, and every CSP complaint Chromium writes to its console."""
    complaints: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, complaints


def _violations(page: Page) -> list[str]:
    return page.evaluate("window.__csp")


def test_pages_run_under_the_policy_without_violations(watched, base_url: str) -> None:
    page, complaints = watched
    open_page(page, f"{base_url}/login")
    form = page.locator("form")
    form.get_by_label("Email").fill(ADMIN_EMAIL)
    form.get_by_label("Password").fill(ADMIN_PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(base_url, "/"))
    # The catalogue's cards come over the state websocket: the socket works under the policy.
    expect(page.locator(".product-card").first).to_be_visible(timeout=20_000)
    assert _violations(page) == []
    open_page(page, f"{base_url}/admin")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert _violations(page) == []
    # A reload is answered 304 from the browser's cache: the cached page's policy must hold.
    page.reload()
    expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert _violations(page) == []
    assert complaints == []


def test_swagger_ui_runs_under_the_policy_without_violations(watched, base_url: str) -> None:
    page, complaints = watched
    page.goto(f"{base_url}/api")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OMS API", timeout=20_000)
    page.get_by_role("button", name="Authorize").click()
    expect(page.locator(".auth-container").first).to_be_visible()
    assert _violations(page) == []
    assert complaints == []


def test_an_injected_script_is_refused(watched, base_url: str) -> None:
    page, _ = watched
    open_page(page, f"{base_url}/login")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__injected === undefined")
    assert any(v.startswith("script-src") for v in _violations(page))


def test_every_answer_carries_a_policy(base_url: str) -> None:
    page = httpx.get(f"{base_url}/login/").headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;", page)
    assert "'unsafe-inline'" not in page.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in page
    docs = httpx.get(f"{base_url}/api").headers["content-security-policy"]
    assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", docs)
    api = httpx.get(f"{base_url}/api/v1/products/")
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
