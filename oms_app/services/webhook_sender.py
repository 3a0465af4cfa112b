"""The webhook sender: runs in every worker, sends what the outbox holds, never twice at once.

A sender claims due deliveries with `FOR UPDATE SKIP LOCKED` (senders in other workers skip the
rows it is claiming) and stamps each with a lease: `next_attempt_at` moves to the end of the
lease and `claim_token` names this claim. It then signs and POSTs each one (Standard Webhooks
1.0), bounded in time by WEBHOOK_TIMEOUT_SECONDS, which is shorter than the lease, so no other
sender can take the delivery while it is being sent. The outcome is recorded only if the claim
is still this sender's. A sender that dies mid-send records nothing: its delivery falls due
again when the lease runs out, and another sender sends it with the same webhook-id.

Sending never blocks a request: the services only write rows, and each worker's sender runs on
a thread and event loop of its own (the app's loop never queues behind it), with at most
WEBHOOK_CONCURRENCY sends at a time.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import importlib.util
import ipaddress
import logging
import random
import secrets
import sys
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlunsplit

import httpx
from sqlalchemy import DateTime, Integer, String, column, insert, update, values
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from oms_app.core.config import Settings, get_settings
from oms_app.core.db import get_engine
from oms_app.models.common import utcnow
from oms_app.models.webhook import (
    RESPONSE_EXCERPT_BYTES,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from oms_app.services import webhook_outbox, webhook_retention, webhook_targets

log = logging.getLogger(__name__)

# httpcore asks for `sniffio` several times per request, and where it is not installed Python
# searches sys.path for it again every time (a failed import is not remembered): profiled under
# load, that search was three quarters of the sender's CPU. Remember its absence once.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

# Waits after the 1st, 2nd, … failed attempt (Standard Webhooks' schedule, ending at a day);
# after the last one the delivery has failed.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 24 * 3600)
JITTER = 0.1  # ± this share of each wait, so retries after an outage do not arrive in a herd
RETRY_STATUSES = frozenset({408, 429})
GONE = 410
USER_AGENT = "OMS-Webhooks/1.0"


def retry_delay(attempts: int) -> float | None:
    """Seconds to wait after `attempts` failed attempts, or None when it is time to give up."""
    if attempts > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[attempts - 1]
    return base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter, not secrecy


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">` keyed by the decoded secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    token: str
    event_id: str
    body: str
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]  # every secret that signs now: the current one first
    active: bool
    attempt_count: int


@dataclass(frozen=True)
class Outcome:
    response_status: int | None
    duration_ms: int
    excerpt: str | None = None
    error: str | None = None
    retryable: bool = False

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300


# --- database work (run in threads) --------------------------------------------------------


def claim_due(engine: Engine, limit: int, lease_seconds: float) -> list[Claimed]:
    """Claim up to `limit` due deliveries for one lease."""
    with Session(engine) as session, session.begin():
        now = utcnow()
        ids = list(
            session.exec(
                select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
        )
        if not ids:
            return []
        token = secrets.token_hex(8)
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids))
            .values(next_attempt_at=now + timedelta(seconds=lease_seconds), claim_token=token)
        )
        rows = session.exec(
            select(WebhookDelivery, WebhookEvent.body, WebhookEndpoint)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        ).all()
        return [
            Claimed(
                delivery_id=delivery.id,
                token=token,
                event_id=delivery.event_id,
                body=body,
                endpoint_id=endpoint.id,
                url=endpoint.url,
                secrets=_signing_secrets(endpoint, now),
                active=endpoint.active,
                attempt_count=delivery.attempt_count,
            )
            for delivery, body, endpoint in rows
        ]


def aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and aware(expires) > now:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


def record(engine: Engine, claimed: Claimed, outcome: Outcome | None) -> DeliveryStatus | None:
    """Write the attempt and what follows from it, if the claim is still ours. `None` as the
    outcome: the endpoint was disabled meanwhile, so the delivery fails unsent."""
    return record_many(engine, [(claimed, outcome)])[0]


def record_many(
    engine: Engine, results: list[tuple[Claimed, Outcome | None]]
) -> list[DeliveryStatus | None]:
    """`record` for a batch, in one transaction: on PostgreSQL one UPDATE for every delivery
    and one INSERT for every attempt, however large the batch."""
    now = utcnow()
    planned = [
        (claimed, outcome, *_next_step(claimed, outcome, now)) for claimed, outcome in results
    ]
    with Session(engine) as session, session.begin():
        ours = _update_deliveries(session, planned)
        attempts = [
            {
                "delivery_id": claimed.delivery_id,
                "at": now,
                "response_status": outcome.response_status,
                "duration_ms": outcome.duration_ms,
                "response_excerpt": outcome.excerpt,
                "error": outcome.error,
            }
            for claimed, outcome, _, _, _ in planned
            if outcome is not None and claimed.delivery_id in ours
        ]
        if attempts:
            session.execute(insert(WebhookAttempt), attempts)
        gone = {
            claimed.endpoint_id
            for claimed, outcome, _, _, _ in planned
            if outcome is not None
            and outcome.response_status == GONE
            and claimed.delivery_id in ours
        }
        for endpoint_id in sorted(gone):
            _disable(session, endpoint_id, "The receiver answered 410 Gone")
    return [status if claimed.delivery_id in ours else None for claimed, _, status, _, _ in planned]


Planned = tuple[Claimed, "Outcome | None", DeliveryStatus, datetime, int]


def _next_step(
    claimed: Claimed, outcome: Outcome | None, now: datetime
) -> tuple[DeliveryStatus, datetime, int]:
    """The delivery's status after this outcome, when it is next due, and its attempt count."""
    attempts = claimed.attempt_count + (0 if outcome is None else 1)
    delay = None
    if outcome is None:  # the endpoint was disabled meanwhile: fails unsent
        status = DeliveryStatus.FAILED
    elif outcome.succeeded:
        status = DeliveryStatus.SUCCEEDED
    elif outcome.retryable and (delay := retry_delay(attempts)) is not None:
        status = DeliveryStatus.PENDING
    else:
        status = DeliveryStatus.FAILED
    return status, now + timedelta(seconds=delay or 0), attempts


def _update_deliveries(session: Session, planned: list[Planned]) -> set[int]:
    """Set each delivery's next step where the claim is still ours; the ids that were."""
    if not planned:
        return set()
    if session.get_bind().dialect.name != "postgresql":  # SQLite: one statement each
        ours: set[int] = set()
        for claimed, _, status, due, attempts in planned:
            changed = session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == claimed.delivery_id,
                    WebhookDelivery.claim_token == claimed.token,
                )
                .values(
                    status=status, next_attempt_at=due, claim_token=None, attempt_count=attempts
                )
            ).rowcount
            if changed:
                ours.add(claimed.delivery_id)
        return ours
    steps = values(
        column("id", Integer),
        column("token", String),
        column("status", String),
        column("due", DateTime(timezone=True)),
        column("attempts", Integer),
        name="steps",
    ).data(
        [
            (claimed.delivery_id, claimed.token, status.value, due, attempts)
            for claimed, _, status, due, attempts in planned
        ]
    )
    rows = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == steps.c.id, WebhookDelivery.claim_token == steps.c.token)
        .values(
            status=steps.c.status,
            next_attempt_at=steps.c.due,
            claim_token=None,
            attempt_count=steps.c.attempts,
        )
        .returning(WebhookDelivery.id)
    )
    return set(rows.scalars())


def _disable(session: Session, endpoint_id: int, reason: str) -> None:
    """Stop sending to an endpoint: it says it is gone, so what waits for it fails."""
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(active=False, disabled_reason=reason)
    )
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.claim_token.is_(None),
        )
        .values(status=DeliveryStatus.FAILED, next_attempt_at=utcnow())
    )


# --- sending ------------------------------------------------------------------------------


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


# After a wake-up, wait this long for more commits, so one claim and one write serve several.
COALESCE_SECONDS = 0.1
# How often each worker sweeps away finished deliveries past WEBHOOK_RETENTION_DAYS (jittered,
# so the workers of a deployment do not all sweep at once).
SWEEP_SECONDS = 3600.0


class Sender:
    """Claims and sends until cancelled. One per worker; any number may share one outbox.

    Work goes in batches: one transaction claims what is due (up to the free concurrency), each
    endpoint's address is resolved once, the batch is sent concurrently, and one transaction
    records every outcome."""

    def __init__(
        self,
        engine: Engine | None = None,
        settings: Settings | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._engine = engine
        self._settings = settings or get_settings()
        self._sweep_seconds = sweep_seconds
        self._wake = asyncio.Event()
        self._batches: set[asyncio.Task[None]] = set()
        self._sending = 0  # deliveries in the batches under way

    @property
    def engine(self) -> Engine:
        return self._engine or get_engine()

    def wake_soon(self) -> None:
        """From any thread: look for due deliveries now rather than at the next poll."""
        self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        settings = self._settings
        webhook_outbox.on_new_events(self.wake_soon)
        # Proxies from the environment are not used: the address checked is the one sent to.
        async with httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            timeout=settings.webhook_timeout_seconds,
            limits=httpx.Limits(max_connections=settings.webhook_concurrency),
        ) as client:
            sweeper = asyncio.create_task(self._sweep_forever())
            try:
                await self._loop_forever(client)
            finally:
                sweeper.cancel()
                await asyncio.gather(sweeper, return_exceptions=True)
                webhook_outbox.forget(self.wake_soon)
                for task in list(self._batches):
                    task.cancel()
                await asyncio.gather(*self._batches, return_exceptions=True)

    async def _loop_forever(self, client: httpx.AsyncClient) -> None:
        settings = self._settings
        failing = False
        while True:
            self._wake.clear()
            free = settings.webhook_concurrency - self._sending
            if free > 0:
                try:
                    claimed = await asyncio.to_thread(
                        claim_due, self.engine, free, settings.webhook_lease_seconds
                    )
                    failing = False
                except Exception:
                    # The database is down or not migrated yet: say so once, keep polling.
                    if not failing:
                        log.warning("webhook sender cannot claim deliveries", exc_info=True)
                    failing = True
                    claimed = []
                if claimed:
                    self._sending += len(claimed)
                    task = asyncio.create_task(self._deliver(client, claimed))
                    self._batches.add(task)
                    task.add_done_callback(self._finished)
                if claimed and len(claimed) == free:
                    continue  # more may be due; the next turn waits if no slot is free
            woken = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), settings.webhook_poll_seconds)
                woken = True
            if woken:
                await asyncio.sleep(COALESCE_SECONDS)

    async def _sweep_forever(self) -> None:
        """Delete what has been finished for longer than it is kept: at start, then every
        sweep_seconds. A task of its own, so a long backlog never holds up sending."""
        failing = False
        while True:
            try:
                await self.sweep()
                failing = False
            except Exception:
                if not failing:
                    log.warning("webhook sender cannot sweep old deliveries", exc_info=True)
                failing = True
            jitter = random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - spreading, not secrecy
            await asyncio.sleep(self._sweep_seconds * jitter)

    async def sweep(self) -> webhook_retention.Swept:
        """One sweep, step by bounded step (each its own transaction, on a worker thread)."""
        before = webhook_retention.cutoff(self._settings.webhook_retention_days)
        swept = webhook_retention.Swept()
        while done := await asyncio.to_thread(webhook_retention.step, self.engine, before):
            swept += done
        if swept:
            log.info(
                "webhook history swept",
                extra={"deliveries": swept.deliveries, "events": swept.events},
            )
        return swept

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._batches.discard(task)
        self._wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook delivery crashed", exc_info=task.exception())

    async def _deliver(self, client: httpx.AsyncClient, batch: list[Claimed]) -> None:
        settings = self._settings
        try:
            active = [c for c in batch if c.active]
            urls = sorted({c.url for c in active})
            resolved = await asyncio.gather(
                *(
                    resolve(
                        url,
                        settings.webhook_allow_private_targets,
                        settings.webhook_timeout_seconds,
                    )
                    for url in urls
                )
            )
            targets = dict(zip(urls, resolved, strict=True))

            async def attempt(claimed: Claimed) -> Outcome | None:
                if not claimed.active:
                    return None  # disabled meanwhile: fails unsent
                target = targets[claimed.url]
                if isinstance(target, Outcome):
                    return target
                return await post(client, claimed, target, settings.webhook_timeout_seconds)

            outcomes = await asyncio.gather(*(attempt(c) for c in batch))
            results = list(zip(batch, outcomes, strict=True))
            statuses = await asyncio.to_thread(record_many, self.engine, results)
        finally:
            self._sending -= len(batch)
        for (claimed, outcome), status in zip(results, statuses, strict=True):
            failed = outcome is None or not outcome.succeeded
            log.log(
                logging.INFO if failed else logging.DEBUG,
                "webhook delivery attempted",
                extra={
                    "delivery_id": claimed.delivery_id,
                    "event_id": claimed.event_id,
                    "response_status": outcome.response_status if outcome else None,
                    "outcome": status.value if status else "lost-claim",
                },
            )


class SenderThread:
    """A sender on its own thread and event loop, so the app's loop (pages, the API, live
    pushes) never queues behind deliveries, nor they behind it."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender
        self._loop = asyncio.new_event_loop()
        self._task: asyncio.Task[None] | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._main, name="webhook-sender", daemon=True)

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._task = self._loop.create_task(self.sender.run())
        self._started.set()
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("the webhook sender stopped")
        finally:
            self._loop.close()

    def start(self) -> SenderThread:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self, timeout: float = 10) -> None:
        """Cancel the sender and wait for its thread; what it had claimed is sent again by
        whichever sender finds it once the lease has run out."""
        task = self._task
        if task is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(task.cancel)
        self._thread.join(timeout)


@contextlib.asynccontextmanager
async def webhook_sender() -> AsyncIterator[None]:
    """Lifespan task: this worker sends webhooks while the app runs."""
    runner = SenderThread(Sender()).start()
    try:
        yield
    finally:
        await asyncio.to_thread(runner.stop)
