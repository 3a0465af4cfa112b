"""Forgotten passwords: a mailed single-use link, valid 30 minutes, that sets a new one.

Asking answers the same whatever the email: the caller only passes the throttle and queues a
job (`core.offload`), and that job, off the request path, looks the account up, stores the
token's digest and sends the mail. So neither the answer nor its timing says whether the account
exists, and a slow or dead mail server never delays or fails the request. Using the link sets
the password and ends every login of that account.

The REST routes and the Reflex pages call `request_password_reset` and `confirm_password_reset`
alike.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from functools import partial
from urllib.parse import urlencode

from sqlmodel import select

from oms_app import routes
from oms_app.core import mail, offload
from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.core.errors import NotAuthenticated, TooManyRequests
from oms_app.core.security import hash_password
from oms_app.models.one_time_token import TokenPurpose
from oms_app.models.user import PasswordResetConfirm, PasswordResetRequest, User
from oms_app.services import auth, counters, one_time_tokens

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=30)
WINDOW_SECONDS = 15 * 60
REQUESTS_PER_ADDRESS = 10  # then 429 until the window ends
MAILS_PER_EMAIL = 3  # then further requests are accepted and quietly not mailed
INVALID_LINK = "This reset link is invalid, used or expired. Ask for a new one."
_ORIGIN = re.compile(r"https?://(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?")


def request_password_reset(
    data: PasswordResetRequest, origin: str | None = None, client_address: str | None = None
) -> None:
    """Mail a reset link if an account has this email; the same quiet success if not.

    `origin` is where the request came from (scheme://host[:port]): the link points there
    unless PUBLIC_URL is set. Raises TooManyRequests when this client address asked too often.
    """
    if client_address:
        asked = counters.hit(_key("address", client_address), WINDOW_SECONDS)
        if asked.count > REQUESTS_PER_ADDRESS:
            raise TooManyRequests(
                "Too many password reset requests. Please wait before trying again.",
                retry_after=max(math.ceil(asked.resets_in), 1),
            )
    # Capped quietly, known email or not: the answer must read the same for every email.
    if counters.hit(_key("email", data.email), WINDOW_SECONDS).count > MAILS_PER_EMAIL:
        log.info("password reset mail limit reached for an email; not sending")
        return
    offload.submit(partial(_send_link, data.email, _link_base(origin)))


def confirm_password_reset(data: PasswordResetConfirm) -> None:
    """Set the new password with a reset link's token (spent here) and end every login."""
    with session_scope() as session:
        spent = one_time_tokens.spend(session, TokenPurpose.PASSWORD_RESET, data.token)
        user = None if spent is None else session.get(User, spent.user_id, with_for_update=True)
        if user is None:
            # The token is the credential here: a bad one is a 401, as anywhere else.
            raise NotAuthenticated(INVALID_LINK)
        auth.replace_password(session, user, hash_password(data.new_password))
        log.info("password reset", extra={"event": "password_reset", "user_id": user.id})


def _key(kind: str, value: str) -> str:
    return f"reset:{kind}:{hashlib.sha256(value.encode(errors='replace')).hexdigest()[:32]}"


def _link_base(origin: str | None) -> str | None:
    """Where the link points: PUBLIC_URL, else the request's origin when it can be trusted."""
    settings = get_settings()
    if settings.public_url:
        return settings.public_url
    origin = (origin or "").strip().lower().rstrip("/")
    if not _ORIGIN.fullmatch(origin):
        return None
    # Host and Origin headers are the caller's to choose, and a link to an attacker's host
    # would hand them the token: in production only an origin the operator listed will do.
    if settings.app_env == "production" and origin not in settings.allowed_origins:
        return None
    return origin


def _send_link(email: str, base: str | None) -> None:
    """The job behind a request: runs on the offload thread, after the caller has its answer."""
    if base is None:
        log.error("password reset link not sent: set PUBLIC_URL (the request's origin is unknown)")
        return
    if not mail.configured() and get_settings().app_env == "production":
        log.error("password reset link not sent: SMTP_URL is not set")
        return
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            return
        token = one_time_tokens.issue(session, TokenPurpose.PASSWORD_RESET, user.id, LINK_LIFETIME)
        user_id, name = user.id, user.name
    link = f"{base}{routes.RESET_PASSWORD}?{urlencode({'token': token})}"
    if not mail.configured():
        log.warning("SMTP_URL is not set; password reset link (development only): %s", link)
        return
    try:
        mail.send(_message(email, name, link))
    except (smtplib.SMTPException, OSError) as exc:
        log.error("password reset mail failed: %s", exc, extra={"user_id": user_id})
        return
    log.info("password reset mail sent", extra={"user_id": user_id})


def _message(email: str, name: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["To"] = email
    message["Subject"] = "Reset your OMS password"
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    message.set_content(
        f"Hello {name},\n\n"
        "Someone, hopefully you, asked to reset the password of your OMS account. Open this "
        f"link within {minutes} minutes to choose a new one:\n\n"
        f"{link}\n\n"
        "The link works once, and using it logs you out everywhere. If you did not ask for "
        "this, ignore this mail: your password stays as it is.\n"
    )
    return message
