"""/admin/integrations' webhooks in Chromium: create one (its secret shown once), see a real
delivery to a receiver started here, enable one the receiver had disabled (it says why), rotate
its secret, delete it through the confirm dialog; axe and a phone."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.test_accessibility import PHONE, _overflow, _problems, _settled
from tests.e2e.test_live import place_order
from tests.e2e.test_shop import PASSWORD, api_register, api_token, log_in
from tests.webhook_receiver import Answer, eventually, receiving

PATH = "/admin/integrations"


def _axe_problems(page: Page) -> list[str]:
    """axe once the toasts have gone: Sonner's success toast is judged on its own, app-wide."""
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    return _problems(page)


def test_create_see_a_delivery_and_delete(page: Page, base_url: str) -> None:
    with receiving() as receiver:
        log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
        _settled(page, base_url, PATH)
        assert _axe_problems(page) == []

        # Nothing chosen: said inline, nothing created.
        page.get_by_label("Endpoint URL").fill(receiver.url)
        for label in ("Order placed", "Order status changed", "Order cancelled"):
            page.get_by_role("checkbox", name=label).click()
        page.get_by_role("checkbox", name="Stock running low").click()
        page.get_by_role("button", name="Create webhook").click()
        expect(page.locator("#events-error")).to_have_text("Choose at least one event.")

        page.get_by_role("checkbox", name="Order placed").click()
        page.get_by_role("button", name="Create webhook").click()
        secret_box = page.get_by_label(f"Signing secret for {receiver.url}")
        expect(secret_box).to_have_value(re.compile(r"^whsec_"))
        expect(page.get_by_text("it will not be shown again")).to_be_visible()
        secret = secret_box.input_value()
        row = page.locator("tr", has_text=receiver.url)
        expect(row).to_contain_text("Order placed")
        expect(row).to_contain_text("Active")
        assert _axe_problems(page) == []

        page.get_by_role("button", name="Done").click()
        expect(secret_box).to_have_count(0)
        page.reload()
        expect(page.locator("tr", has_text=receiver.url)).to_be_visible()
        assert secret not in page.content()  # shown once, never again

        shopper = api_token(base_url, api_register(base_url, "Hooked"), PASSWORD)
        order_id = place_order(base_url, shopper)
        (request,) = receiver.wait_for(1, timeout=30)
        payload = request.verify(secret)
        assert payload["type"] == "order.created"
        assert payload["data"]["order"]["id"] == order_id

        page.locator("tr", has_text=receiver.url).get_by_role("button", name="Deliveries").click()
        deliveries = page.locator("#webhook-deliveries")
        delivered = deliveries.locator(".delivery-row").first
        expect(delivered).to_contain_text("order.created")
        expect(delivered).to_contain_text("succeeded")
        expect(delivered.locator(".delivery-response")).to_have_text("200")
        assert _axe_problems(page) == []

        page.locator("tr", has_text=receiver.url).get_by_role(
            "button", name="Delete webhook"
        ).click()
        dialog = page.get_by_role("alertdialog")
        expect(dialog).to_contain_text(receiver.url)
        dialog.get_by_role("button", name="Delete").click()
        expect(page.get_by_text("Webhook deleted.")).to_be_visible()
        expect(page.locator("tr", has_text=receiver.url)).to_have_count(0)
        expect(deliveries).to_have_count(0)


def test_a_webhook_the_receiver_disabled_is_enabled_again(page: Page, base_url: str) -> None:
    admin = api_token(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    with receiving() as receiver:
        receiver.script.append(Answer(status=410, body="gone"))
        created = httpx.post(
            f"{base_url}/api/v1/webhooks",
            json={"url": receiver.url, "events": ["order.created"]},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        hook_id, secret = created.json()["id"], created.json()["secret"]
        hook_url = f"{base_url}/api/v1/webhooks/{hook_id}"
        shopper = api_token(base_url, api_register(base_url, "Gone"), PASSWORD)
        place_order(base_url, shopper)
        receiver.wait_for(1, timeout=30)
        eventually(lambda: httpx.get(hook_url, headers=admin).json()["active"] is False)

        log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
        _settled(page, base_url, PATH)
        row = page.locator(f"#webhook-{hook_id}")
        expect(row).to_contain_text("Disabled")
        expect(row).to_contain_text("The receiver answered 410 Gone")  # and why
        assert _axe_problems(page) == []

        # Reversible, so no dialog: one click, then a toast and the badge say it worked.
        row.get_by_role("button", name="Enable webhook").click()
        expect(page.get_by_text("Webhook enabled. New events will be sent to it.")).to_be_visible()
        expect(row).to_contain_text("Active")
        expect(row).not_to_contain_text("410 Gone")
        expect(row.get_by_role("button", name="Enable webhook")).to_have_count(0)
        assert _axe_problems(page) == []

        order_id = place_order(base_url, shopper)

        def delivered() -> bool:
            payloads = [r.verify(secret) for r in receiver.received[1:]]
            return any(p["data"]["order"]["id"] == order_id for p in payloads)

        eventually(delivered, timeout=30)

        # A new secret: asked first (the receiver must be updated), then shown once.
        row.get_by_role("button", name="Rotate secret of webhook").click()
        dialog = page.get_by_role("alertdialog")
        expect(dialog).to_contain_text(receiver.url)
        expect(dialog).to_contain_text("24 hours")
        dialog.get_by_role("button", name="Rotate").click()
        expect(page.get_by_text("New secret made.")).to_be_visible()
        secret_box = page.get_by_label(f"Signing secret for {receiver.url}")
        expect(secret_box).to_have_value(re.compile(r"^whsec_"))
        rotated = secret_box.input_value()
        assert rotated != secret
        assert _axe_problems(page) == []

        seen = len(receiver.received)
        order_id = place_order(base_url, shopper)
        eventually(lambda: len(receiver.received) > seen, timeout=30)
        # Signed with the new secret, and with the old one beside it while receivers switch.
        assert receiver.received[-1].verify(rotated)["data"]["order"]["id"] == order_id
        assert receiver.received[-1].verify(secret)["data"]["order"]["id"] == order_id
        assert httpx.delete(hook_url, headers=admin).status_code == 204


def test_a_refused_url_is_said_inline(page: Page, base_url: str) -> None:
    log_in(page, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    _settled(page, base_url, PATH)
    page.get_by_label("Endpoint URL").fill("ftp://files.example/hook")
    page.get_by_role("button", name="Create webhook").click()
    expect(page.locator("#url-error")).to_contain_text("http:// or https://")
    expect(page.locator("#webhook-secret")).to_have_count(0)


@pytest.fixture
def phone(browser: Browser, base_url: str):
    context = browser.new_context(viewport=PHONE, base_url=base_url)
    yield context.new_page()
    context.close()


def test_the_section_fits_a_phone(phone: Page, base_url: str) -> None:
    log_in(phone, base_url, ADMIN_EMAIL, password=ADMIN_PASSWORD)
    _settled(phone, base_url, PATH)
    long_url = "http://127.0.0.1:9/" + "a-very-long-path-segment/" * 6
    phone.get_by_label("Endpoint URL").fill(long_url)
    phone.get_by_role("button", name="Create webhook").click()
    expect(phone.locator("#webhook-secret")).to_have_value(re.compile(r"^whsec_"))
    # Not dismissed, yet not shown again on the next visit: shown once means once.
    _settled(phone, base_url, PATH)
    expect(phone.locator("#webhook-secret")).to_have_count(0)
    row = phone.locator("tr", has_text="a-very-long-path-segment")
    expect(row).to_be_visible()
    assert _overflow(phone) <= 0
    button = row.get_by_role("button", name="Delete webhook")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert _axe_problems(phone) == []
    button.click()
    phone.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
