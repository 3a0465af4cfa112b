"""Logging out leaves nothing of the last user in the tab: not on the page, not in what the
server sends the tab afterwards (a reload re-sends the tab's whole state), not in storage."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_shop import (
    PASSWORD,
    add_to_cart,
    api_register,
    api_token,
    at,
    log_in,
    open_page,
)


def _secret_order(base_url: str) -> tuple[str, str, int]:
    """A shopper with an order of a product whose name appears nowhere else."""
    email = api_register(base_url, "Secret")
    product_name = f"Secret Widget {uuid.uuid4().hex[:8]}"
    created = httpx.post(
        f"{base_url}/api/v1/products/",
        json={"name": product_name, "price": 3, "stock": 5},
        headers=api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD),
    )
    assert created.status_code == 201, created.text
    placed = httpx.post(
        f"{base_url}/api/v1/orders/",
        json={"product_id": created.json()["id"], "quantity": 1},
        headers=api_token(base_url, email, PASSWORD),
    )
    assert placed.status_code == 201, placed.text
    return email, product_name, placed.json()["id"]


def test_logout_leaves_nothing_of_the_last_user_in_the_tab(page: Page, base_url: str) -> None:
    secret_email, secret_product, _ = _secret_order(base_url)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))

    log_in(page, base_url, ADMIN_EMAIL, next_path="/admin/users", password=ADMIN_PASSWORD)
    expect(page.get_by_role("row").filter(has_text=secret_email)).to_be_visible()
    open_page(page, f"{base_url}/admin/orders")
    expect(page.get_by_text(f"1 x {secret_product}")).to_be_visible()
    open_page(page, f"{base_url}/admin")
    expect(page.locator("#figure-revenue")).to_contain_text("$")
    open_page(page, f"{base_url}/")
    add_to_cart(page, "Network Switch 8-port", 1)
    assert any(secret_email in frame for frame in frames)  # the recorder does see the data

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(at(base_url, "/login"))
    expect(page.locator("#cart-count")).to_have_text("0")
    seen = len(frames)
    page.reload()  # the same tab token: the server re-sends this tab's state
    expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)
    open_page(page, f"{base_url}/admin/users")
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/login?next=/admin/users")))

    after_logout = "".join(frames[seen:])
    assert after_logout, "no frames recorded after logging out"
    for trace in (secret_email, secret_product, ADMIN_EMAIL, "Administrator"):
        assert trace not in after_logout
        assert trace not in page.content()
    storage = page.evaluate(
        "['oms_cart', 'oms_access_token', 'oms_refresh_token'].map(k => localStorage.getItem(k))"
    )
    assert storage[0] in (None, "[]")
    assert storage[1:] == [""] * 2 or storage[1:] == [None] * 2

    # Another shopper logs in on the same tab: nothing of the first reaches them either.
    next_email = api_register(base_url, "Next")
    seen = len(frames)
    log_in(page, base_url, next_email, next_path="/orders")
    expect(page.locator("#no-orders")).to_be_visible()
    after_next_login = "".join(frames[seen:])
    assert secret_product not in after_next_login
    assert secret_email not in after_next_login
