"""The webhook sender: runs in every worker, sends what the outbox holds, never twice at once.

Each worker's sender claims due deliveries (services/webhook_claims.py), sends them
(services/webhook_http.py) and records the outcomes, in batches. A sender that dies mid-send
records nothing: its deliveries fall due again when their lease runs out, and another sender
sends them with the same webhook-id. It also sweeps away history past WEBHOOK_RETENTION_DAYS
(services/webhook_retention.py).

Sending never blocks a request: the services only write rows, and each worker's sender runs on
a thread and event loop of its own (the app's loop never queues behind it), with at most
WEBHOOK_CONCURRENCY sends at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
from collections.abc import AsyncIterator

import httpx
from sqlalchemy.engine import Engine

from oms_app.core.config import Settings, get_settings
from oms_app.core.db import get_engine
from oms_app.services import webhook_outbox, webhook_retention
from oms_app.services.webhook_claims import Claimed, Outcome, claim_due, record_many
from oms_app.services.webhook_http import post, resolve

log = logging.getLogger(__name__)

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
            jitter = random.uniform(0.9, 1.1)  # noqa: S311 - spreading, not secrecy
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
