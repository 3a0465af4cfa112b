"""Where a webhook may be sent: public http(s) addresses only, checked after resolving the host.

A webhook URL is typed by an admin (or a key holder) and fetched by the server, so without this
check it would let them make the server call its own network: loopback services, the LAN, a
cloud's metadata address. The check runs when an endpoint is created and again before every
send (DNS answers change), and the send then connects to the very address that was checked, so
a name that resolves differently a moment later cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from oms_app.core.config import get_settings
from oms_app.core.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(InvalidInput):
    """The URL is not one OMS will send to; `message` says why in plain words."""


class UnresolvedHost(RefusedTarget):
    """The host name has no address right now (which may pass: a sender tries again)."""


@dataclass(frozen=True)
class Target:
    url: SplitResult
    host: str
    port: int
    address: str  # the checked IP address to connect to


def parse(url: str) -> SplitResult:
    """The URL's parts, when it is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise RefusedTarget("The URL is not valid") from None
    if parts.scheme not in {"http", "https"}:
        raise RefusedTarget("The URL must start with http:// or https://")
    if not parts.hostname:
        raise RefusedTarget("The URL must name a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedTarget("The URL must not carry a user name or password")
    return parts


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def resolve(url: str, allow_private: bool | None = None) -> Target:
    """The address to send `url` to, or RefusedTarget saying why not. `allow_private` defaults
    to WEBHOOK_ALLOW_PRIVATE_TARGETS."""
    parts = parse(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise UnresolvedHost(f"The host name {host!r} could not be resolved") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not addresses:
            raise UnresolvedHost(f"The host name {host!r} could not be resolved")
    if allow_private is None:
        allow_private = get_settings().webhook_allow_private_targets
    if not allow_private:
        # Every answer must be public: a name with one private address among public ones
        # could still be steered to the private one.
        for address in addresses:
            if not _is_public(address):
                raise RefusedTarget(
                    "The URL points to a private, loopback or link-local address, "
                    "which webhooks may not be sent to"
                )
    return Target(url=parts, host=host, port=port, address=str(addresses[0]))


def check(url: str) -> str:
    """`url`, when it may be used as a webhook target."""
    resolve(url)
    return url
