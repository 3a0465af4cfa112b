"""Slowing down password guessing: per email and per client address.

Failures are counted in a sliding window. Past a threshold every further failure locks the key
for twice as long as the one before (1 s, 2 s, 4 s … up to the window), so a person who mistypes
loses nothing and a guesser is slowed, then refused, with `Retry-After` telling when to come back.
A successful login clears the email's and the address's record. The counts and locks are
`counters`, so they hold across workers and instances.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from oms_app.core.errors import TooManyRequests
from oms_app.services import counters

WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Limit:
    kind: str
    free_failures: int  # failures allowed before any lock


EMAIL = Limit("email", free_failures=5)
# Many people can share one address (offices, mobile carriers): be more lenient per address.
ADDRESS = Limit("address", free_failures=20)
# Presenting unknown or revoked API keys, per client address: as lenient as logins per address.
KEY_ADDRESS = Limit("key-address", free_failures=20)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.encode(errors="replace")).hexdigest()[:32]
    return f"login:{limit.kind}:{digest}"


def _lock_seconds(limit: Limit, failures: int) -> int:
    excess = failures - limit.free_failures
    if excess <= 0:
        return 0
    return min(2 ** (excess - 1), WINDOW_SECONDS)


def check(email: str, address: str | None) -> None:
    """Raise TooManyRequests while either the email or the address is locked."""
    wait = max(
        counters.locked_for(_key(EMAIL, email)), counters.locked_for(_key(ADDRESS, address or ""))
    )
    if wait > 0:
        raise TooManyRequests(
            "Too many failed login attempts. Please wait before trying again.",
            retry_after=max(math.ceil(wait), 1),
        )


def record_failure(email: str, address: str | None) -> None:
    _fail(_key(EMAIL, email), EMAIL)
    if address:
        _fail(_key(ADDRESS, address), ADDRESS)


def record_success(email: str, address: str | None) -> None:
    counters.clear(_key(EMAIL, email), *([_key(ADDRESS, address)] if address else []))


def _fail(key: str, limit: Limit) -> None:
    failures = counters.hit(key, WINDOW_SECONDS).count
    if seconds := _lock_seconds(limit, failures):
        counters.lock(key, seconds)


def check_key_attempts(address: str | None) -> None:
    """Raise TooManyRequests while the address is locked for presenting bad API keys."""
    wait = counters.locked_for(_key(KEY_ADDRESS, address or ""))
    if wait > 0:
        raise TooManyRequests(
            "Too many invalid API keys from your address. Please wait before trying again.",
            retry_after=max(math.ceil(wait), 1),
        )


def record_key_failure(address: str | None) -> None:
    # Never cleared by a good key: one valid key must not wipe out the record of guessing.
    _fail(_key(KEY_ADDRESS, address or ""), KEY_ADDRESS)
