"""Orders a shop can fulfil, in Chromium: checkout with an address, the order's own pages for its
owner and for admins, finding orders by customer, and filters that live in the URL."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_live import LIVE_MS, place_order
from tests.e2e.test_shop import (
    PASSWORD,
    add_to_cart,
    api_register,
    api_token,
    at,
    fill_address,
    log_in,
    open_page,
)

ORDER_URL = re.compile(r"/orders/(\d+)/?$")


def _toast(page: Page, text: str):
    return page.locator("[data-sonner-toast]").filter(has_text=text)


def _set_raw(page: Page, label: str, value: str) -> None:
    """Put text in an input as a script could (a NUL byte survives; typing could not send it)."""
    page.get_by_label(label, exact=True).evaluate("(el, v) => { el.value = v; }", value)


def _my_orders(base_url: str, email: str) -> int:
    mine = httpx.get(f"{base_url}/api/v1/orders/me", headers=api_token(base_url, email, PASSWORD))
    assert mine.status_code == 200, mine.text
    return mine.json()["total"]


def test_checkout_with_an_address_then_an_admin_finds_notes_and_ships_it_live(
    page: Page, browser: Browser, base_url: str
) -> None:
    email = api_register(base_url, "Fulfil")
    log_in(page, base_url, email)
    add_to_cart(page, "Network Switch 8-port", 1)
    open_page(page, f"{base_url}/cart")
    checkout = page.locator("#checkout")
    # A first order: nothing to prefill.
    expect(checkout.get_by_label("Full name", exact=True)).to_have_value("")

    # Bad input is said beside each field, and nothing is ordered.
    _set_raw(page, "Full name", "x" * 10_000)
    _set_raw(page, "Address line 1", "1 Main\x00Street")
    checkout.get_by_label("Postal code", exact=True).fill("AB1 2CD")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#address-full_name-error")).to_have_text("At most 100 characters.")
    expect(page.locator("#address-line1-error")).to_contain_text("one line of ordinary text")
    expect(page.locator("#address-city-error")).to_have_text("Required.")
    expect(page.locator("#address-country-error")).to_have_text("Choose a country from the list.")
    expect(page.locator("#address-postal_code-error")).to_have_count(0)
    expect(page).to_have_url(at(base_url, "/cart"))
    expect(page.locator("#cart-count")).to_have_text("1")
    assert _my_orders(base_url, email) == 0

    fill_address(page, **{"Address line 2": "Flat 3"})
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(ORDER_URL)
    match = ORDER_URL.search(page.url)
    assert match is not None
    order_id = int(match.group(1))
    expect(page.locator("#order-address")).to_contain_text("Flat 3")
    expect(page.locator("#order-address")).to_contain_text("United Kingdom")
    expect(page.locator(".order-line")).to_contain_text(["1 \u00d7 Network Switch 8-port"])
    expect(page.locator(".order-status")).to_have_text("pending")
    expect(page.locator(".order-event")).to_have_count(1)

    # An admin, in a browser of their own, finds it by part of the customer's email.
    admin_context = browser.new_context(base_url=base_url)
    admin = admin_context.new_page()
    try:
        log_in(admin, base_url, ADMIN_EMAIL, next_path="/admin/orders", password=ADMIN_PASSWORD)
        part = email.split("@")[0].split("-")[1].upper()  # any case
        admin.get_by_label("Search orders").fill(part)
        expect(admin).to_have_url(re.compile(rf"/admin/orders/?\?q={part}$"))
        rows = admin.locator("table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first.locator(".order-customer")).to_contain_text("Fulfil")
        expect(rows.first.locator(".order-customer")).to_contain_text(email)
        # Export CSV downloads exactly what the search shows.
        with admin.expect_download() as download_info:
            admin.get_by_role("button", name="Export CSV").click()
        exported = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
        assert len(exported) == 2, exported
        assert exported[1].startswith(f"{order_id},")
        assert email in exported[1]
        rows.first.get_by_role("link", name=f"Order {order_id}").click()
        expect(admin).to_have_url(at(base_url, f"/admin/orders/{order_id}"))
        expect(admin.locator("#order-address")).to_contain_text("Ada Shopper")

        admin.get_by_label("Add a note").fill("")
        admin.get_by_role("button", name="Add note").click()
        expect(admin.locator("#order-note-text-error")).to_have_text("Required.")
        admin.get_by_label("Add a note").fill("Fragile: pack it well.")
        admin.get_by_role("button", name="Add note").click()
        expect(_toast(admin, "Note added.")).to_be_visible()
        expect(admin.locator(".order-note")).to_contain_text(["Fragile: pack it well."])
        expect(admin.get_by_label("Add a note")).to_have_value("")

        admin.locator("#order-details").get_by_role("button", name="Ship").click()
        dialog = admin.get_by_role("alertdialog")
        expect(dialog).to_contain_text(f"order #{order_id}")
        dialog.get_by_role("button", name="Ship").click()
        expect(_toast(admin, f"Order #{order_id} is now shipped.")).to_be_visible()

        # The shopper's open page follows without a reload; the note stays internal.
        expect(page.locator(".order-status")).to_have_text("shipped", timeout=LIVE_MS)
        expect(page.locator(".order-event").last).to_contain_text("pending \u2192 shipped")
        expect(page.locator(".order-event").last).to_contain_text("by Administrator")
        expect(page.get_by_text("Fragile")).to_have_count(0)
        expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)

        # The customer's page: their figures and orders, each linking back.
        admin.locator("#order-customer").get_by_role("link").click()
        expect(admin.locator("#customer-email")).to_have_text(email)
        expect(admin.locator("#customer-order-count")).to_have_text("1")
        expect(admin.locator(f"#customer-order-{order_id}")).to_contain_text("shipped")
        admin.get_by_role("link", name=f"Order {order_id}").click()
        expect(admin).to_have_url(at(base_url, f"/admin/orders/{order_id}"))
    finally:
        admin_context.close()

    # The next checkout starts from this address.
    open_page(page, f"{base_url}/")
    add_to_cart(page, "Network Switch 8-port", 1)
    open_page(page, f"{base_url}/cart")
    expect(page.get_by_label("Full name", exact=True)).to_have_value("Ada Shopper")
    expect(page.get_by_label("Address line 2", exact=True)).to_have_value("Flat 3")
    expect(page.get_by_label("Country", exact=True)).to_have_value("GB")


def test_another_shopper_order_reads_as_not_found(page: Page, base_url: str) -> None:
    owner = api_token(base_url, api_register(base_url, "Owner"), PASSWORD)
    order_id = place_order(base_url, owner)
    log_in(page, base_url, api_register(base_url, "Nosy"), next_path="/orders")
    for path in (f"/orders/{order_id}", "/orders/99999999999", "/orders/abc"):
        open_page(page, base_url + path)
        expect(page.locator("#order-not-found")).to_be_visible()
        expect(page.get_by_role("navigation", name="Site")).to_be_visible()
        expect(page.locator("#order-details")).to_have_count(0)


def test_admin_order_filters_live_in_the_url(page: Page, base_url: str) -> None:
    log_in(page, base_url, ADMIN_EMAIL, next_path="/admin/orders", password=ADMIN_PASSWORD)
    shipped = page.get_by_role("checkbox", name="shipped")
    sort = page.get_by_label("Sort")

    shipped.click()
    expect(page).to_have_url(re.compile(r"/admin/orders/?\?status=shipped$"))
    sort.select_option("-total")
    expect(page).to_have_url(re.compile(r"\?status=shipped&sort=-total$"))

    # A start after the end is refused beside the filters; the address stays as it was.
    page.get_by_label("Placed from").fill("2026-02-01")
    expect(page).to_have_url(re.compile(r"&created_from=2026-02-01&sort=-total$"))
    page.get_by_label("Placed to").fill("2026-01-01")
    expect(page.locator("#order-filter-error")).to_have_text(
        "The first day must not be after the last day."
    )
    expect(page).to_have_url(re.compile(r"&created_from=2026-02-01&sort=-total$"))

    page.reload()
    expect(page.locator("[data-hydrated=true]")).to_be_attached()
    expect(shipped).to_be_checked()
    expect(sort).to_have_value("-total")
    expect(page.get_by_label("Placed from")).to_have_value("2026-02-01")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?status=shipped&sort=-total$"))
    expect(page.get_by_label("Placed from")).to_have_value("")
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?status=shipped$"))
    expect(sort).to_have_value("-created_at")
    page.go_back()
    expect(shipped).not_to_be_checked()

    # A link written by hand with a bad value says so, in plain words.
    open_page(page, f"{base_url}/admin/orders?status=lost")
    expect(page.locator("#order-filter-error")).to_contain_text("Choose statuses from")
