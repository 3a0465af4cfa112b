"""The admin console in Chromium against the production server: products, orders, users, export.

Orders and shoppers are made over REST (as an outside client would) so each test starts from
data it owns; the browser then does what an admin does, and REST confirms what really changed.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

API = "/api/v1"
WAIT_MS = 15_000
HYDRATED = '"is_hydrated_rx_state_":true'


class Browser:
    """A page that knows when Reflex has hydrated it: clicks before that can be lost."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.hydrations = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        if HYDRATED in str(payload):
            self.hydrations += 1

    def open(self, path: str) -> Page:
        seen = self.hydrations
        self.page.goto(self.base_url + path)
        deadline = time.monotonic() + WAIT_MS / 1000
        while self.hydrations == seen:
            assert time.monotonic() < deadline, f"{path} never hydrated"
            self.page.wait_for_timeout(50)
        return self.page

    def log_in(self, email: str, password: str) -> None:
        page = self.open("/login")
        form = page.locator("form")
        form.get_by_label("Email").fill(email)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=WAIT_MS)

    def open_as_admin(self, path: str) -> Page:
        self.log_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        page = self.open(path)
        expect(page.get_by_role("navigation", name="Admin sections")).to_be_visible(timeout=WAIT_MS)
        return page


@pytest.fixture
def browser_ui(page: Page, base_url: str) -> Browser:
    page.set_default_timeout(WAIT_MS)
    return Browser(page, base_url)


# --- REST helpers ------------------------------------------------------------------------------


def _bearer(base_url: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(
        f"{base_url}{API}/users/login", data={"username": email, "password": password}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _shopper(base_url: str) -> tuple[str, str, dict[str, str]]:
    email, password = f"shopper-{uuid.uuid4().hex[:10]}@example.com", "shopper-pass-123"
    response = httpx.post(
        f"{base_url}{API}/users/register",
        json={"name": "E2E Shopper", "email": email, "password": password},
    )
    assert response.status_code == 201, response.text
    return email, password, _bearer(base_url, email, password)


def _product(base_url: str, name: str, stock: int = 20) -> dict:
    response = httpx.post(
        f"{base_url}{API}/products/",
        json={"name": name, "price": 5.25, "stock": stock},
        headers=_bearer(base_url, ADMIN_EMAIL, ADMIN_PASSWORD),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _order(base_url: str, product_id: int, quantity: int) -> tuple[int, dict[str, str]]:
    """A fresh shopper's order; returns its id and the shopper's headers."""
    _, _, shopper = _shopper(base_url)
    response = httpx.post(
        f"{base_url}{API}/orders/",
        json={"product_id": product_id, "quantity": quantity},
        headers=shopper,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], shopper


def _unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


def _toast(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.locator("[data-sonner-toast]").filter(has_text=text)


def _confirm(page: Page, button: Locator, answer: str) -> None:
    """Press an irreversible action's button and say yes in the shared dialog."""
    button.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=answer, exact=True).click()
    expect(dialog).to_have_count(0)


# --- guards ------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(browser_ui: Browser):
    page = browser_ui.open("/admin/orders")
    expect(page).to_have_url(re.compile(r"/login"), timeout=WAIT_MS)
    expect(page.get_by_label("Email")).to_be_visible()


def test_a_shopper_is_refused_the_admin_pages(browser_ui: Browser, base_url: str):
    email, password, _ = _shopper(base_url)
    browser_ui.log_in(email, password)
    for path in ("/admin", "/admin/users"):
        page = browser_ui.open(path)
        expect(page.locator("#admin-refused")).to_contain_text("Admins only")
        expect(page.get_by_role("navigation", name="Admin sections")).to_have_count(0)


# --- dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_figures_and_charts(browser_ui: Browser, base_url: str):
    _order(base_url, _product(base_url, _unique("Binder"))["id"], 1)
    page = browser_ui.open_as_admin("/admin")
    expect(page.locator("#figure-revenue")).to_contain_text("$")
    expect(page.locator("#figure-orders")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(page.locator("#figure-shoppers")).to_have_text(re.compile(r"^[1-9]\d*$"))
    # Orders and revenue per day, and orders by status.
    expect(page.locator(".recharts-wrapper")).to_have_count(2)


# --- products ----------------------------------------------------------------------------------


def test_an_admin_creates_a_product_that_shoppers_then_find(browser_ui: Browser):
    name = _unique("Reading Light")
    page = browser_ui.open_as_admin("/admin/products")
    page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Price").fill("12.345")
    dialog.get_by_label("Stock").fill("7")
    dialog.get_by_label("Description").fill("Warm light, adjustable arm.")
    dialog.get_by_role("button", name="Save").click()

    # Three decimals is refused beside the field, and the dialog keeps what was typed.
    expect(dialog.locator("#price-error")).to_have_text("At most 2 decimals.")
    expect(dialog.get_by_label("Name")).to_have_value(name)
    dialog.get_by_label("Price").fill("abc")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#price-error")).to_have_text("Enter a number, like 9.99.")

    dialog.get_by_label("Price").fill("12.34")
    dialog.get_by_role("button", name="Save").click()
    expect(_toast(page, f"Created “{name}”")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("$12.34")

    catalogue = browser_ui.open("/")
    catalogue.get_by_label("Search products").fill(name)
    expect(catalogue.get_by_text(name, exact=True)).to_be_visible()


def test_an_admin_deletes_and_restores_a_product(browser_ui: Browser, base_url: str):
    product = _product(base_url, _unique("Stapler"))
    page = browser_ui.open_as_admin("/admin/products")
    page.get_by_label("Search products").fill(product["name"])
    row = page.get_by_role("row").filter(has_text=product["name"])
    _confirm(page, row.get_by_role("button", name="Delete"), "Delete")
    expect(_toast(page, f"Deleted “{product['name']}”")).to_be_visible()
    expect(row).to_have_count(0)
    assert httpx.get(f"{base_url}{API}/products/{product['id']}").status_code == 404

    page.get_by_role("button", name="Deleted products").click()
    row.get_by_role("button", name="Restore").click()
    expect(_toast(page, f"Restored “{product['name']}”")).to_be_visible()
    expect(row).to_have_count(0)
    assert httpx.get(f"{base_url}{API}/products/{product['id']}").status_code == 200


# --- orders ------------------------------------------------------------------------------------


def test_an_admin_ships_an_order_and_only_legal_moves_are_offered(
    browser_ui: Browser, base_url: str
):
    product = _product(base_url, _unique("Paper Ream"))
    order_id, shopper = _order(base_url, product["id"], 2)

    page = browser_ui.open_as_admin("/admin/orders")
    row = page.locator(f"#order-{order_id}")
    expect(row).to_contain_text(f"2 x {product['name']}")
    expect(row).to_contain_text("pending")
    expect(row.get_by_role("button")).to_have_text(["Ship", "Cancel order"])

    _confirm(page, row.get_by_role("button", name="Ship"), "Ship")
    expect(_toast(page, f"Order #{order_id} is now shipped")).to_be_visible()
    expect(row).to_contain_text("shipped")
    expect(row.get_by_role("button")).to_have_text(["Mark delivered"])
    order = httpx.get(f"{base_url}{API}/orders/{order_id}", headers=shopper).json()
    assert order["status"] == "shipped"


def test_the_order_list_page_lives_in_the_address(browser_ui: Browser, base_url: str):
    product = _product(base_url, _unique("Stapler"), stock=50)
    email, _, shopper = _shopper(base_url)
    for _ in range(11):  # a page and one more, all this shopper's
        placed = httpx.post(
            f"{base_url}{API}/orders/",
            json={"product_id": product["id"], "quantity": 1},
            headers=shopper,
        )
        assert placed.status_code == 201, placed.text

    page = browser_ui.open_as_admin(f"/admin/orders?q={email}")
    summary = page.locator(".pagination-summary")
    expect(summary).to_have_text("Page 1 of 2 · 11 total")
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(summary).to_have_text("Page 2 of 2 · 11 total")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert "q=shopper-" in page.url  # the search is kept beside the page

    page.reload()  # a link or a reload shows the same page
    expect(summary).to_have_text("Page 2 of 2 · 11 total")
    page.go_back()
    expect(summary).to_have_text("Page 1 of 2 · 11 total")
    assert "page=" not in page.url

    page.goto(f"{base_url}/admin/orders?q={email}&page=nine")  # not a page: the first
    expect(summary).to_have_text("Page 1 of 2 · 11 total")
    page.goto(f"{base_url}/admin/orders?q={email}&page=40")  # past the last: the last
    expect(summary).to_have_text("Page 2 of 2 · 11 total")


def test_export_csv_downloads_the_filtered_orders(browser_ui: Browser, base_url: str):
    product = _product(base_url, _unique("Toner"))
    _order(base_url, product["id"], 1)

    page = browser_ui.open_as_admin("/admin/orders")
    page.get_by_role("checkbox", name="pending").click()
    expect(page).to_have_url(re.compile(r"\?status=pending$"))
    expect(page.locator("table tbody tr").first).to_contain_text("pending")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    download = download_info.value
    assert re.fullmatch(r"orders-pending[\w-]*\.csv", download.suggested_filename)
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    # The first export's columns, then the customer, the address and updated_at.
    assert lines[0].startswith("id,created_at,user_id,status,total,item_count,items,customer_name,")
    assert any(f"1 x {product['name']}" in line for line in lines[1:])
    assert all(",pending," in line for line in lines[1:])


# --- users -------------------------------------------------------------------------------------


def test_the_last_admin_cannot_be_demoted(browser_ui: Browser):
    page = browser_ui.open_as_admin("/admin/users")
    admin_row = page.get_by_role("row").filter(has_text=ADMIN_EMAIL)
    summary = page.locator(".pagination-summary")
    loading = page.get_by_label("Loading")
    expect(page.get_by_role("row").nth(1)).to_be_visible()
    expect(loading).to_have_count(0)
    # Newest accounts come first; the configured admin is among the oldest, maybe pages away
    # (the pager shows only when there is more than one page). The page number moves first,
    # the rows once they are read.
    while not admin_row.is_visible():
        before = summary.inner_text()
        page.get_by_role("button", name="Next").click()
        expect(summary).not_to_have_text(before)
        expect(loading).to_have_count(0)
    _confirm(page, admin_row.get_by_role("button", name="Remove admin"), "Remove admin")
    expect(_toast(page, "The last admin cannot be demoted")).to_be_visible()
    expect(admin_row).to_contain_text("admin")
    expect(page.get_by_role("navigation", name="Admin sections")).to_be_visible()


def test_an_admin_deletes_a_user_after_confirming(browser_ui: Browser, base_url: str):
    email, password, _ = _shopper(base_url)
    page = browser_ui.open_as_admin("/admin/users")
    row = page.get_by_role("row").filter(has_text=email)
    row.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("E2E Shopper")
    confirm.get_by_role("button", name="Delete").click()
    expect(_toast(page, "Deleted E2E Shopper")).to_be_visible()
    expect(row).to_have_count(0)
    login = httpx.post(
        f"{base_url}{API}/users/login", data={"username": email, "password": password}
    )
    assert login.status_code == 401
