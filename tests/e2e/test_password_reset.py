"""A forgotten password, in Chromium against the production server, with the mail delivered to
a real SMTP server the suite starts (conftest's `mail_server`): ask on /login, read the mail,
open its link, choose a new password, log in with it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from oms_app.pages.reset_password import LINK_SENT
from tests.e2e.test_accessibility import _problems
from tests.e2e.test_shop import PASSWORD, api_register, at, open_page, unique_email
from tests.mail_server import MailServer

NEW_PASSWORD = "chosen-anew-456"
_LINK = re.compile(r"https?://\S+")


def _ask_for_link(page: Page, base_url: str, email: str) -> str:
    """From /login's "Forgot password?" to the answer the page gives; returns its text."""
    open_page(page, f"{base_url}/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(at(base_url, "/reset-password"))
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    answer = page.locator("#link-sent")
    expect(answer).to_be_visible()
    return answer.inner_text()


def _log_in_attempt(page: Page, email: str, password: str) -> None:
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()


def test_a_shopper_resets_a_forgotten_password(
    page: Page, base_url: str, mail_server: MailServer
) -> None:
    email = api_register(base_url, "Forgetful")
    nobody = unique_email("nobody")

    # An unknown email is asked for first: the offload queue mails in order, so once the
    # shopper's mail has arrived, any mail to the unknown address would have too.
    unknown_answer = _ask_for_link(page, base_url, nobody)
    known_answer = _ask_for_link(page, base_url, email)
    assert unknown_answer == known_answer
    assert LINK_SENT in known_answer
    assert _problems(page) == []

    mail = mail_server.wait_for_mail_to(email)
    assert mail_server.sent_to(nobody) == []
    links = _LINK.findall(mail.get_content())
    assert len(links) == 1
    link = links[0]
    assert link.startswith(f"{base_url}/reset-password?token=")

    open_page(page, link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD[:-1])
    page.get_by_role("button", name="Set new password").click()
    expect(page.locator("#reset-confirm-password-error")).to_have_text(
        "The two passwords are not the same."
    )
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.locator("#reset-new-password-error")).to_have_text("At least 8 characters.")
    assert _problems(page) == []

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page).to_have_url(at(base_url, "/login"))
    expect(page.get_by_text("Your password has been changed")).to_be_visible()

    _log_in_attempt(page, email, PASSWORD)
    expect(page.locator("#login-error")).to_have_text("Incorrect email or password")
    _log_in_attempt(page, email, NEW_PASSWORD)
    expect(page).to_have_url(at(base_url, "/"))
    expect(page.get_by_text("Welcome back, Forgetful!")).to_be_visible()


def test_a_used_or_made_up_link_says_so_and_offers_a_new_one(page: Page, base_url: str) -> None:
    open_page(page, f"{base_url}/reset-password?token=made-up-token")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("alert")).to_contain_text("invalid, used or expired")
    assert _problems(page) == []
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page).to_have_url(at(base_url, "/reset-password"))
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_role("button", name="Send reset link")).to_be_visible()
