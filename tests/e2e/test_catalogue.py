"""Issue 11's pages in Chromium against the production server: an admin curates (a category, a
picture, the product put in it), a shopper browses by the URL (filter, sort, reload, Back), opens
the product's page and adds it to the cart; refusals are said in plain words on the page."""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_shop import api_token, log_in, open_page

API = "/api/v1"
UPLOAD_INPUT = "#product-image-upload input[type=file]"


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "PNG")
    return out.getvalue()


def _product(base_url: str, admin: dict[str, str], name: str, price: str, stock: int) -> dict:
    response = httpx.post(
        f"{base_url}{API}/products/",
        json={
            "name": name,
            "description": f"{name}, described in full.",
            "price": price,
            "stock": stock,
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _fetched(base_url: str, product_id: int) -> dict:
    response = httpx.get(f"{base_url}{API}/products/{product_id}")
    assert response.status_code == 200, response.text
    return response.json()


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _names(page: Page) -> Locator:
    return page.locator(".product-card .product-name")


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _toast(page: Page, text: str) -> Locator:
    return page.locator("[data-sonner-toast]").filter(has_text=text)


def test_admin_curates_and_a_shopper_browses_by_the_address(
    page: Page, browser: Browser, base_url: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    admin = api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    kettle = _product(base_url, admin, f"Kettle {tag}", "30.00", 3)
    teapot = _product(base_url, admin, f"Teapot {tag}", "40.00", 5)
    category = f"Kitchen {tag}"

    # --- the admin: a category, a picture (refused first), the product put in the category ---
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    open_page(page, f"{base_url}/admin/categories")
    page.get_by_role("button", name="New category").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(category)
    dialog.get_by_role("button", name="Save").click()
    expect(_toast(page, f"Created “{category}”")).to_be_visible()
    row = page.locator(".category-row").filter(has_text=category)
    expect(row).to_contain_text(f"kitchen-{tag}")
    # The same name in another case is refused beside the field.
    page.get_by_role("button", name="New category").click()
    dialog.get_by_label("Name").fill(category.upper())
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#category-name-error")).to_contain_text("already exists")
    dialog.get_by_role("button", name="Cancel").click()

    open_page(page, f"{base_url}/admin/products")
    page.get_by_label("Search products").fill(kettle["name"])
    # The search's answer re-renders the rows: click Edit once it has arrived, not before.
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.get_by_role("row").filter(has_text=kettle["name"]).get_by_role(
        "button", name="Edit"
    ).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#no-image")).to_be_visible()
    # A text file named .png: the server's refusal, inline; the product keeps no image.
    page.set_input_files(
        UPLOAD_INPUT,
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"just some notes\n"}],
    )
    expect(dialog.locator("#image-error")).to_have_text(
        "The file is not a JPEG, PNG or WebP image."
    )
    assert _fetched(base_url, kettle["id"])["image_url"] is None
    # A real PNG is taken at once, no Save needed, and previewed.
    page.set_input_files(
        UPLOAD_INPUT,
        files=[{"name": "kettle.png", "mimeType": "image/png", "buffer": _png((200, 60, 40))}],
    )
    expect(dialog.locator("#image-preview")).to_be_visible()
    expect(dialog.locator("#image-error")).to_have_count(0)
    uploaded = _fetched(base_url, kettle["id"])
    assert uploaded["image_url"]
    assert uploaded["thumbnail_url"]
    assert httpx.get(base_url + uploaded["thumbnail_url"]).status_code == 200
    # Over the limit: the browser says so without sending it.
    page.set_input_files(
        UPLOAD_INPUT,
        files=[{"name": "huge.png", "mimeType": "image/png", "buffer": b"\0" * (6 * 2**20)}],
    )
    expect(dialog.locator("#image-error")).to_have_text("The image is larger than 5 MB.")
    # Refused again: the image it had stays.
    page.set_input_files(
        UPLOAD_INPUT,
        files=[{"name": "page.png", "mimeType": "image/png", "buffer": b"<html></html>"}],
    )
    expect(dialog.locator("#image-error")).to_be_visible()
    assert _fetched(base_url, kettle["id"])["image_url"] == uploaded["image_url"]
    # Now the category, saved with the dialog.
    dialog.get_by_label("Category").click()
    page.get_by_role("option", name=category, exact=True).click()
    dialog.get_by_role("button", name="Save").click()
    expect(_toast(page, f"Saved “{kettle['name']}”")).to_be_visible()
    assert _fetched(base_url, kettle["id"])["category"]["name"] == category
    # The list shows the new picture's thumbnail beside the name (decorative: the name says it).
    thumbnail = page.get_by_role("row").filter(has_text=kettle["name"]).locator("img")
    expect(thumbnail).to_have_attribute("src", uploaded["thumbnail_url"])
    expect(thumbnail).to_have_attribute("alt", "")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    moved = httpx.put(
        f"{base_url}{API}/products/{teapot['id']}",
        json={"category_id": _fetched(base_url, kettle["id"])["category"]["id"]},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text

    # --- a visitor in another browser: filter, sort, reload, Back --------------------------
    shopper = browser.new_context(base_url=base_url)
    tab = shopper.new_page()
    open_page(tab, f"{base_url}/")
    _choose(tab, "Category", f"{category} (2)")
    expect(tab).to_have_url(re.compile(rf"category=kitchen-{tag}"))
    expect(_names(tab)).to_have_text([teapot["name"], kettle["name"]])  # newest first
    _choose(tab, "Sort by", "Price: low to high")
    expect(tab).to_have_url(re.compile(r"sort=price"))
    expect(_names(tab)).to_have_text([kettle["name"], teapot["name"]])
    assert _query(tab) == {"category": [f"kitchen-{tag}"], "sort": ["price"]}

    tab.reload()
    expect(tab.locator("[data-hydrated=true]")).to_be_attached()
    expect(_names(tab)).to_have_text([kettle["name"], teapot["name"]])
    expect(tab.get_by_label("Sort by", exact=True)).to_have_text("Price: low to high")
    expect(tab.get_by_label("Category", exact=True)).to_have_text(f"{category} (2)")

    tab.go_back()  # the sort is undone, the category stays
    expect(_names(tab)).to_have_text([teapot["name"], kettle["name"]])
    assert _query(tab) == {"category": [f"kitchen-{tag}"]}
    tab.go_forward()
    expect(_names(tab)).to_have_text([kettle["name"], teapot["name"]])

    # A price range narrows it; the thumbnail is lazy and says what it shows.
    tab.get_by_label("Min price").fill("35")
    tab.get_by_role("button", name="Apply prices").click()
    expect(_names(tab)).to_have_text([teapot["name"]])
    assert _query(tab)["min_price"] == ["35"]
    tab.go_back()
    expect(_names(tab)).to_have_text([kettle["name"], teapot["name"]])
    card = tab.locator(".product-card").filter(has_text=kettle["name"])
    thumbnail = card.get_by_role("img", name=kettle["name"])
    expect(thumbnail).to_have_attribute("loading", "lazy")
    expect(thumbnail).to_have_attribute("src", uploaded["thumbnail_url"])

    # --- the product's page: picture, description, the cart's stock rule -------------------
    card.get_by_role("link", name=kettle["name"]).click()
    expect(tab).to_have_url(re.compile(rf"/products/{kettle['id']}/?$"))
    expect(tab.get_by_role("heading", level=1)).to_have_text(kettle["name"])
    expect(tab.locator("#product-description")).to_have_text(kettle["description"])
    expect(tab.get_by_role("img", name=kettle["name"])).to_have_attribute(
        "src", uploaded["image_url"]
    )
    expect(tab.locator("#product-price")).to_have_text("$30.00")
    tab.get_by_label("Quantity").fill("5")
    tab.get_by_role("button", name="Add to cart").click()
    expect(_toast(tab, f"{kettle['name']}: Only 3 left.")).to_be_visible()
    tab.get_by_label("Quantity").fill("2")
    tab.get_by_role("button", name="Add to cart").click()
    expect(_toast(tab, f"Added 2 \u00d7 {kettle['name']} to your cart.")).to_be_visible()
    expect(tab.locator("#cart-count")).to_have_text("2")
    tab.go_back()  # back to the filtered, sorted catalogue it came from
    expect(_names(tab)).to_have_text([kettle["name"], teapot["name"]])
    assert _query(tab) == {"category": [f"kitchen-{tag}"], "sort": ["price"]}
    shopper.close()

    # --- the admin again: a rename follows into the address name; a delete in use is refused --
    open_page(page, f"{base_url}/admin/categories")
    row = page.locator(".category-row").filter(has_text=category)
    expect(row).to_contain_text("2")
    row.get_by_role("button", name=f"Rename {category}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#category-name-error")).to_have_text("Required.")
    dialog.get_by_label("Name").fill(f"Kitchenware {tag}")
    dialog.get_by_role("button", name="Save").click()
    expect(_toast(page, f"Renamed to “Kitchenware {tag}”")).to_be_visible()
    row = page.locator(".category-row").filter(has_text=f"Kitchenware {tag}")
    expect(row).to_contain_text(f"kitchenware-{tag}")
    row.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(
        _toast(page, f"Category 'Kitchenware {tag}' cannot be deleted: 2 products use it")
    ).to_be_visible()
    expect(row).to_have_count(1)


def test_wrong_addresses_are_said_plainly_inside_the_layout(page: Page, base_url: str) -> None:
    for query, message in [
        ("min_price=abc", "The lowest price must be a number"),
        ("min_price=50&max_price=10", "The lowest price must not be more than the highest."),
        ("sort=cheapest", "Sort by Newest, Price: low to high"),
        ("page=0", "The page must be a whole number of at least 1."),
    ]:
        open_page(page, f"{base_url}/?{query}")
        expect(page.locator(".list-error")).to_contain_text(message)
        expect(page.locator(".product-card")).to_have_count(0)
        expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    # A price typed wrong is refused beside the form, and the address does not move.
    open_page(page, f"{base_url}/")
    page.get_by_label("Max price").fill("12.345")
    page.get_by_role("button", name="Apply prices").click()
    expect(page.locator("#price-error")).to_contain_text("The highest price must be a number")
    assert urlsplit(page.url).query == ""
    # In stock only: the demo's sold-out router goes, and Back brings it again.
    open_page(page, f"{base_url}/?q=Wi-Fi+6+Router")
    expect(page.locator(".product-card")).to_contain_text(["Out of stock"])
    page.get_by_role("switch", name="In stock only").click()
    expect(page.locator("#no-products")).to_have_text("No products match your search and filters.")
    assert _query(page) == {"q": ["Wi-Fi 6 Router"], "in_stock": ["true"]}
    page.go_back()
    expect(page.locator(".product-card")).to_contain_text(["Out of stock"])
    expect(page.get_by_role("switch", name="In stock only")).not_to_be_checked()

    for path in ("/products/999999999", "/products/abc", "/products/0"):
        open_page(page, base_url + path)
        expect(page.locator("#product-missing")).to_be_visible()
        expect(page.get_by_role("navigation", name="Site")).to_be_visible()
    admin = api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    gone = _product(base_url, admin, f"Gone {uuid.uuid4().hex[:6]}", "3.00", 1)
    assert httpx.delete(f"{base_url}{API}/products/{gone['id']}", headers=admin).status_code in (
        200,
        204,
    )
    open_page(page, f"{base_url}/products/{gone['id']}")
    expect(page.locator("#product-missing")).to_be_visible()
