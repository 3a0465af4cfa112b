"""Every page passes axe-core's WCAG 2.1 A/AA rules with no serious or critical violation, and
fits a 390 px wide phone: no sideways scrolling, the navigation collapsed into a menu, and the
admin tables' row actions in view."""

from __future__ import annotations

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_live import place_order
from tests.e2e.test_shop import (
    PASSWORD,
    add_to_cart,
    api_register,
    api_token,
    log_in,
    open_page,
)

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
VISITOR_PAGES = [
    "/",
    "/?category=furniture&sort=-price&in_stock=true",
    "/?min_price=abc",
    "/products/1",
    "/products/999999",
    "/login",
    "/register",
    "/cart",
    "/reset-password",
    "/reset-password?token=from-a-mail",
    "/no-such-page",
]
SHOPPER_PAGES = ["/orders", "/cart"]
ADMIN_PAGES = ["/admin", "/admin/products", "/admin/categories", "/admin/orders", "/admin/users"]
PHONE = {"width": 390, "height": 844}


def _order_pages(base_url: str, email: str) -> tuple[list[str], list[str]]:
    """A fresh order of this shopper's: the pages that show one thing, (its owner's, an
    admin's), so every page with a dynamic address is checked too."""
    order_id = place_order(base_url, api_token(base_url, email, PASSWORD))
    me = httpx.get(f"{base_url}/api/v1/users/me", headers=api_token(base_url, email, PASSWORD))
    assert me.status_code == 200, me.text
    return [f"/orders/{order_id}"], [f"/admin/orders/{order_id}", f"/admin/users/{me.json()['id']}"]


_axe = Axe()


def _problems(page: Page) -> list[str]:
    # Colours are judged as painted: a dialog still fading in would read as low contrast.
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    results = _axe.run(page, options=WCAG_21_AA)
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _settled(page: Page, base_url: str, path: str) -> None:
    open_page(page, base_url + path)
    expect(page.locator(".rt-Spinner")).to_have_count(0, timeout=15_000)


def _check_pages(page: Page, base_url: str, paths: list[str]) -> list[str]:
    problems: list[str] = []
    for path in paths:
        _settled(page, base_url, path)
        problems += _problems(page)
    return problems


def test_visitor_pages_pass_axe(page: Page, base_url: str) -> None:
    assert _check_pages(page, base_url, VISITOR_PAGES) == []


def test_shopper_pages_pass_axe(page: Page, base_url: str) -> None:
    email = api_register(base_url, "Axe")
    mine, _ = _order_pages(base_url, email)
    log_in(page, base_url, email)
    add_to_cart(page, "Network Switch 8-port", 1)
    page.get_by_role("button", name="Place order").count()  # the cart is not empty now
    problems = _check_pages(page, base_url, [*mine, *SHOPPER_PAGES])  # the cart last
    # The checkout's inline errors, as a shopper who sent it empty sees them.
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#address-city-error")).to_be_visible()
    problems += _problems(page)
    assert problems == [], "\n".join(problems)


def test_admin_pages_and_the_confirm_dialog_pass_axe(page: Page, base_url: str) -> None:
    _, admins = _order_pages(base_url, api_register(base_url, "Axe"))
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    problems = _check_pages(page, base_url, [*admins, *ADMIN_PAGES])  # users last
    page.get_by_role("row").nth(1).get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    problems += _problems(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    # The product dialog with its category select and image upload.
    _settled(page, base_url, "/admin/products")
    page.get_by_role("row").nth(1).get_by_role("button", name="Edit").click()
    expect(page.get_by_role("dialog").get_by_role("heading", name="Image")).to_be_visible()
    problems += _problems(page)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def phone(browser: Browser, base_url: str):
    context = browser.new_context(viewport=PHONE, base_url=base_url)
    yield context.new_page()
    context.close()


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("who", ["visitor", "shopper", "admin"])
def test_every_page_fits_a_phone(phone: Page, base_url: str, who: str) -> None:
    paths = VISITOR_PAGES
    if who == "shopper":
        email = api_register(base_url, "Phone")
        mine, _ = _order_pages(base_url, email)
        log_in(phone, base_url, email)
        add_to_cart(phone, "Network Switch 8-port", 1)  # the cart with its address form
        paths = [*SHOPPER_PAGES, *mine]
    elif who == "admin":
        _, admins = _order_pages(base_url, api_register(base_url, "Phone"))
        log_in(phone, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
        paths = [*ADMIN_PAGES, *admins]
    wide = []
    for path in paths:
        _settled(phone, base_url, path)
        if _overflow(phone) > 0:
            wide.append((path, _overflow(phone)))
    assert wide == []


def test_the_navigation_collapses_into_a_menu_on_a_phone(phone: Page, base_url: str) -> None:
    email = api_register(base_url, "Menu")
    log_in(phone, base_url, email)
    expect(phone.get_by_role("button", name="Log out")).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="My orders").click()
    expect(phone.locator("#no-orders")).to_be_visible()
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("button", name="Log out").click()
    expect(phone.get_by_label("Email")).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/admin/products", "/admin/categories", "/admin/orders", "/admin/users"]
)
def test_admin_row_actions_are_in_view_on_a_phone(phone: Page, base_url: str, path: str) -> None:
    # The newest row heads each list, and a new user, product or pending order has actions.
    place_order(base_url, api_token(base_url, api_register(base_url, "Rows"), PASSWORD))
    log_in(phone, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    _settled(phone, base_url, path)
    actions = phone.locator("table tbody tr").first.get_by_role("button")
    box = actions.first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
