"""Sending one email through the server SMTP_URL names.

`smtp://user:password@host:port` speaks plain SMTP and upgrades with STARTTLS when the server
offers it; `smtps://…` is TLS from the first byte (port 465 by default). Certificates are
verified against the system's CAs (`SSL_CERT_FILE` points at a private one). User and password
are URL-encoded in the URL. Callers run this off the request path (see `core.offload`): it
blocks for as long as the server takes, up to the timeout.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from oms_app.core.config import get_settings

TIMEOUT_SECONDS = 10


def configured() -> bool:
    return get_settings().smtp_url is not None


def send(message: EmailMessage) -> None:
    """Deliver `message` (From is MAIL_FROM unless set); raises on any failure."""
    settings = get_settings()
    if settings.smtp_url is None:
        raise RuntimeError("SMTP_URL is not set")
    if "From" not in message:
        message["From"] = settings.mail_from
    url = urlsplit(settings.smtp_url)
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            url.hostname, url.port or 465, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        server = smtplib.SMTP(url.hostname, url.port or 25, timeout=TIMEOUT_SECONDS)
    with server:
        server.ehlo()
        if url.scheme == "smtp" and server.has_extn("starttls"):
            server.starttls(context=context)
            server.ehlo()
        if url.username:
            server.login(unquote(url.username), unquote(url.password or ""))
        server.send_message(message)
