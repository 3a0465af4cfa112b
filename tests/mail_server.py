"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import ssl
import threading
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.redis_process import free_port


class MailServer:
    """`hold=True` makes the server sit on every message until `release()`: a slow server."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        credentials: tuple[str, str] | None = None,
        hold: bool = False,
    ) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        self._credentials = credentials
        self._arrived = threading.Condition()
        self._gate = threading.Event()
        if not hold:
            self._gate.set()
        smtp_options = {}
        if credentials is not None:
            smtp_options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, ssl_context=tls, **smtp_options
        )

    def url(self, scheme: str = "smtp", userinfo: str = "") -> str:
        return f"{scheme}://{userinfo + '@' if userinfo else ''}127.0.0.1:{self.port}"

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._gate.set()
        self._controller.stop()

    def release(self) -> None:
        self._gate.set()

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{len(self.messages)} of {count} messages arrived"
                self._arrived.wait(remaining)
            return list(self.messages)

    def wait_for_mail_to(self, address: str, timeout: float = 30) -> EmailMessage:
        """The first message to `address`, once it has arrived (several tests share a server)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for message in self.messages:
                    if message["To"] == address:
                        return message
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no message to {address} arrived"
                self._arrived.wait(remaining)

    def sent_to(self, address: str) -> list[EmailMessage]:
        with self._arrived:
            return [message for message in self.messages if message["To"] == address]

    # aiosmtpd's handler hooks
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        await asyncio.get_running_loop().run_in_executor(None, self._gate.wait, 60)
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self._arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == self._credentials)
