"""The shopper's half of the UI, in Chromium against the production server.

Each test uses its own shopper (unique email) so tests never see one another's orders or carts.
Stock is checked through the REST API, which reads the same database the UI writes.
"""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

PASSWORD = "shopper-pass-123"


def at(base_url: str, path: str, query: str = "") -> re.Pattern[str]:
    """The page's URL, with or without the trailing slash a direct load is redirected to."""
    return re.compile(re.escape(base_url + path.rstrip("/")) + "/?" + re.escape(query) + "$")


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def api_token(base_url: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(
        f"{base_url}/api/v1/users/login", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def api_register(base_url: str, name: str) -> str:
    email = unique_email(name.lower())
    response = httpx.post(
        f"{base_url}/api/v1/users/register",
        json={"name": name, "email": email, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    return email


def product_by_name(base_url: str, name: str) -> dict:
    response = httpx.get(f"{base_url}/api/v1/products/", params={"search": name, "limit": 100})
    assert response.status_code == 200, response.text
    matches = [p for p in response.json()["data"] if p["name"] == name]
    assert len(matches) == 1, f"expected one product named {name!r}"
    return matches[0]


def stock_of(base_url: str, product_id: int) -> int:
    response = httpx.get(f"{base_url}/api/v1/products/{product_id}")
    assert response.status_code == 200, response.text
    return response.json()["stock"]


def open_page(page: Page, url: str) -> None:
    """Navigate and wait until the page's state is live: clicks before that can be lost."""
    page.goto(url)
    expect(page.locator("[data-hydrated=true]")).to_be_attached(timeout=20_000)


def log_in(
    page: Page, base_url: str, email: str, next_path: str = "", password: str = PASSWORD
) -> None:
    open_page(page, f"{base_url}/login" + (f"?next={next_path}" if next_path else ""))
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(base_url, next_path or "/"))


def product_card(page: Page, name: str) -> Locator:
    return page.locator(".product-card").filter(
        has=page.locator(".product-name", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def search_for(page: Page, name: str) -> None:
    """Search (debounced, as a user types) and wait for it to land: every card shown matches."""
    page.get_by_label("Search products").fill(name)
    expect(page.locator(".product-card").filter(has_not_text=name)).to_have_count(0)


def add_to_cart(page: Page, name: str, quantity: int) -> None:
    """Search for the product and add it from its card."""
    search_for(page, name)
    card = product_card(page, name)
    expect(card).to_have_count(1)
    card.get_by_label("Quantity").fill(str(quantity))
    card.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"Added {quantity} \u00d7 {name} to your cart.")).to_be_visible()


ADDRESS = {
    "Full name": "Ada Shopper",
    "Address line 1": "1 Main Street",
    "City": "Springfield",
    "Postal code": "AB1 2CD",
    "Phone": "+44 20 7946 0000",
}


def fill_address(page: Page, country: str = "United Kingdom", **fields: str) -> None:
    """Fill the checkout's address (labels as the shopper reads them) and choose a country."""
    form = page.locator("#checkout")
    for label, value in {**ADDRESS, **fields}.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Country").select_option(label=country)


def cart_line(page: Page, name: str) -> Locator:
    return page.locator(".cart-line").filter(has_text=name)


def test_shopper_journey(page: Page, base_url: str) -> None:
    """Register, log in, search, order two products as one order, see it, cancel it."""
    email = unique_email("journey")
    open_page(page, f"{base_url}/register")
    form = page.locator("form")
    form.get_by_label("Name").fill("Jo Journey")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill("short")
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#register-password-error")).to_have_text("At least 8 characters.")

    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()
    expect(page).to_have_url(at(base_url, "/"))
    expect(page.locator("#current-user")).to_have_text("Jo Journey")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(at(base_url, "/login"))
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill("wrong-password")
    form.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-error")).to_have_text("Incorrect email or password")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(base_url, "/"))
    expect(page.locator("#current-user")).to_have_text("Jo Journey")

    lamp = product_by_name(base_url, "LED Desk Lamp")
    switch = product_by_name(base_url, "Network Switch 8-port")
    page.get_by_label("Search products").fill("desk lamp")
    expect(page.locator(".product-card")).to_have_count(1)
    expect(product_card(page, "LED Desk Lamp")).to_be_visible()
    add_to_cart(page, "LED Desk Lamp", 2)
    add_to_cart(page, "Network Switch 8-port", 1)
    expect(page.locator("#cart-count")).to_have_text("3")

    page.locator("#cart-count").click()
    expect(page).to_have_url(at(base_url, "/cart"))
    expect(page.locator(".cart-line")).to_have_count(2)
    expect(page.locator("#cart-total")).to_have_text(f"${lamp['price'] * 2 + switch['price']:,.2f}")
    fill_address(page)
    page.get_by_role("button", name="Place order").click()

    # The new order's own page, then the list of them.
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/orders/\d+/?$"))
    expect(page.locator("#order-address")).to_contain_text("Ada Shopper")
    page.get_by_role("link", name="My orders").first.click()
    expect(page).to_have_url(at(base_url, "/orders"))
    orders = page.locator(".order-card")
    expect(orders).to_have_count(1)
    order = orders.first
    expect(order).to_contain_text("2 \u00d7 LED Desk Lamp")
    expect(order).to_contain_text("1 \u00d7 Network Switch 8-port")
    expect(order.locator(".order-status")).to_have_text("pending")
    expect(page.locator("#cart-count")).to_have_text("0")
    assert stock_of(base_url, lamp["id"]) == lamp["stock"] - 2
    assert stock_of(base_url, switch["id"]) == switch["stock"] - 1

    order.get_by_role("button", name="Cancel order").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel order").click()
    expect(order.locator(".order-status")).to_have_text("cancelled")
    expect(order.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert stock_of(base_url, lamp["id"]) == lamp["stock"]
    assert stock_of(base_url, switch["id"]) == switch["stock"]


def test_register_refuses_a_duplicate_email(page: Page, base_url: str) -> None:
    email = api_register(base_url, "Dupe")
    open_page(page, f"{base_url}/register")
    form = page.locator("form")
    form.get_by_label("Name").fill("Dupe Again")
    form.get_by_label("Email").fill(email.upper())
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#register-email-error")).to_have_text("Email already registered")
    expect(page).to_have_url(at(base_url, "/register"))


def test_reload_keeps_session_and_cart(page: Page, base_url: str) -> None:
    email = api_register(base_url, "Reload")
    log_in(page, base_url, email)
    expect(page.locator(".product-card").first).to_be_visible()
    add_to_cart(page, "Network Switch 8-port", 3)

    open_page(page, f"{base_url}/cart")
    page.reload()
    expect(page.locator("[data-hydrated=true]")).to_be_attached()
    expect(page.locator("#current-user")).to_have_text("Reload")
    expect(cart_line(page, "Network Switch 8-port").get_by_label("Quantity")).to_have_value("3")

    other_tab = page.context.new_page()
    open_page(other_tab, f"{base_url}/cart")
    expect(other_tab.locator("#current-user")).to_have_text("Reload")
    expect(other_tab.locator(".cart-line")).to_have_count(1)
    other_tab.close()


def test_out_of_stock_is_refused_and_nothing_is_ordered(page: Page, base_url: str) -> None:
    admin = api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    name = f"Last One {uuid.uuid4().hex[:6]}"
    created = httpx.post(
        f"{base_url}/api/v1/products/",
        json={"name": name, "description": "Only one made.", "price": 5, "stock": 1},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    product_id = created.json()["id"]

    email = api_register(base_url, "Scarce")
    log_in(page, base_url, email)
    page.get_by_label("Search products").fill("Wi-Fi 6 Router")
    expect(page.locator(".product-card").filter(has_not_text="Wi-Fi 6 Router")).to_have_count(0)
    sold_out = product_card(page, "Wi-Fi 6 Router")
    expect(sold_out).to_contain_text("Out of stock")
    expect(sold_out.get_by_role("button", name="Add to cart")).to_be_disabled()

    # The cart never takes more than the stock the shopper sees.
    search_for(page, name)
    card = product_card(page, name)
    card.get_by_label("Quantity").fill("2")
    card.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"{name}: Only 1 left.")).to_be_visible()
    expect(page.locator("#cart-count")).to_have_text("0")
    add_to_cart(page, name, 1)
    add_to_cart(page, "Network Switch 8-port", 1)

    # Someone else takes the last one meanwhile: the cart says so when it opens, and the
    # order is refused whole.
    emptied = httpx.put(
        f"{base_url}/api/v1/products/{product_id}", json={"stock": 0}, headers=admin
    )
    assert emptied.status_code == 200, emptied.text
    open_page(page, f"{base_url}/cart")
    expect(cart_line(page, name).locator(".line-error")).to_have_text("Out of stock.")
    fill_address(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(f"Not enough stock for '{name}': 0 left")).to_be_visible()
    expect(page).to_have_url(at(base_url, "/cart"))
    expect(page.locator(".cart-line")).to_have_count(2)
    assert stock_of(base_url, product_id) == 0
    orders = httpx.get(f"{base_url}/api/v1/orders/me", headers=api_token(base_url, email, PASSWORD))
    assert orders.status_code == 200, orders.text
    assert orders.json()["total"] == 0


def test_orders_page_sends_visitors_to_login(page: Page, base_url: str) -> None:
    page.goto(base_url + "/orders")
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/login?next=/orders") + "/?$"))
    expect(page.locator(".order-card")).to_have_count(0)


def test_catalogue_pages_forward_and_back(page: Page, base_url: str) -> None:
    open_page(page, f"{base_url}/")
    position = page.get_by_text(re.compile(r"^Page \d+ of \d+"))
    expect(position).to_have_text(re.compile(r"^Page 1 of [3-9]"))
    first_page = page.locator(".product-name").all_inner_texts()
    page.get_by_role("button", name="Next").click()
    expect(position).to_have_text(re.compile(r"^Page 2 of "))
    expect(page.locator(".product-name").first).not_to_have_text(first_page[0])
    page.get_by_role("button", name="Previous").click()
    expect(position).to_have_text(re.compile(r"^Page 1 of "))
    expect(page.locator(".product-name").first).to_have_text(first_page[0])


def test_the_cart_never_holds_more_than_the_stock_nor_less_than_one(
    page: Page, base_url: str
) -> None:
    admin = api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    name = f"Three Left {uuid.uuid4().hex[:6]}"
    created = httpx.post(
        f"{base_url}/api/v1/products/", json={"name": name, "price": 2, "stock": 3}, headers=admin
    )
    assert created.status_code == 201, created.text
    open_page(page, f"{base_url}/")
    add_to_cart(page, name, 2)
    open_page(page, f"{base_url}/cart")
    line = cart_line(page, name)
    quantity = line.get_by_label("Quantity")

    quantity.fill("5")
    quantity.blur()
    expect(line.locator(".line-error")).to_have_text("Only 3 left.")
    expect(page.locator("#cart-count")).to_have_text("2")

    quantity.fill("0")
    quantity.blur()
    expect(line.locator(".line-error")).to_contain_text("Quantity must be at least 1")
    expect(page.locator(".cart-line")).to_have_count(1)  # an error, not a silent removal

    quantity.fill("3")
    quantity.blur()
    expect(line.locator(".line-error")).to_have_count(0)
    expect(page.locator("#cart-count")).to_have_text("3")
    line.get_by_role("button", name="Remove").click()
    expect(page.locator("#cart-empty")).to_be_visible()
