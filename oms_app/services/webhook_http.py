"""One webhook delivery over HTTP: the target resolved and checked, the body signed
(Standard Webhooks 1.0) and POSTed to the checked address, and what came of it as an Outcome.
Nothing here touches the database.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib.util
import ipaddress
import sys
import time
from urllib.parse import urlunsplit

import httpx

from oms_app.models.webhook import RESPONSE_EXCERPT_BYTES
from oms_app.services import webhook_targets
from oms_app.services.webhook_claims import Claimed, Outcome

# httpcore asks for `sniffio` several times per request, and where it is not installed Python
# searches sys.path for it again every time (a failed import is not remembered): profiled under
# load, that search was three quarters of the sender's CPU. Remember its absence once.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

RETRY_STATUSES = frozenset({408, 429})  # besides 5xx and no answer at all
USER_AGENT = "OMS-Webhooks/1.0"


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">` keyed by the decoded secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _pinned_url(target: webhook_targets.Target) -> str:
    """The URL with its host replaced by the checked address, so the connection goes where
    the check looked (the Host header and TLS keep the name)."""
    address = target.address
    if isinstance(ipaddress.ip_address(address), ipaddress.IPv6Address):
        address = f"[{address}]"
    parts = target.url
    return urlunsplit(
        (parts.scheme, f"{address}:{target.port}", parts.path or "/", parts.query, "")
    )


def _host_header(target: webhook_targets.Target) -> str:
    parts = target.url
    default = 443 if parts.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


async def resolve(
    url: str, allow_private: bool, timeout: float
) -> webhook_targets.Target | Outcome:
    """Where to send `url`, checked; or the outcome of not sending (refused, or unresolved)."""
    started = time.monotonic()
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(webhook_targets.resolve, url, allow_private), timeout
        )
    except TimeoutError:
        error = "The host name could not be resolved in time"
        return Outcome(None, _since(started), error=error, retryable=True)
    except webhook_targets.UnresolvedHost as exc:
        return Outcome(None, _since(started), error=exc.message[:200], retryable=True)
    except webhook_targets.RefusedTarget as exc:
        return Outcome(None, _since(started), error=exc.message[:200])


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def post(
    client: httpx.AsyncClient, claimed: Claimed, target: webhook_targets.Target, timeout: float
) -> Outcome:
    """One signed POST to a checked address; what came of it. Never raises for anything the
    receiver does."""
    started = time.monotonic()
    timestamp = int(time.time())
    signature = " ".join(
        sign(secret, claimed.event_id, timestamp, claimed.body) for secret in claimed.secrets
    )
    headers = {
        "host": _host_header(target),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": claimed.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    try:
        async with asyncio.timeout(timeout):
            request = client.build_request(
                "POST",
                _pinned_url(target),
                content=claimed.body.encode(),
                headers=headers,
                extensions=extensions,
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = await _excerpt(response)
            finally:
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        error = f"No answer within {timeout:g} s"
        return Outcome(None, _since(started), error=error, retryable=True)
    except httpx.HTTPError as exc:
        return Outcome(None, _since(started), error=_describe(exc), retryable=True)
    code = response.status_code
    return Outcome(
        code, _since(started), excerpt=excerpt, retryable=code >= 500 or code in RETRY_STATUSES
    )


async def _excerpt(response: httpx.Response) -> str:
    """The first KB of the answer; the rest is never read."""
    taken = bytearray()
    async for chunk in response.aiter_bytes():
        taken.extend(chunk)
        if len(taken) >= RESPONSE_EXCERPT_BYTES:
            break
    return bytes(taken[:RESPONSE_EXCERPT_BYTES]).decode("utf-8", errors="replace")


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "Could not connect to the receiver"
    return f"The request failed ({type(exc).__name__})"
