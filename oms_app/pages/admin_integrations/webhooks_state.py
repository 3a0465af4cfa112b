"""The state behind /admin/integrations' webhooks section: the endpoints listed, the secret of
the one just created (shown once), and one endpoint's recent deliveries.

Every handler acts through services/webhooks.py, which decides who may do what; a handler only
reads what the browser sent (any client can send anything) and shapes the answer into rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app.components.format import moment
from oms_app.core.errors import DomainError
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.models.user import User
from oms_app.models.webhook import (
    MAX_URL_LENGTH,
    DeliveryPublic,
    EventType,
    WebhookCreate,
    WebhookPublic,
    WebhookWithSecret,
)
from oms_app.services import webhooks
from oms_app.services.webhooks import ROTATION_OVERLAP
from oms_app.state.form import FormState
from oms_app.state.list_page import ListPageState

EVENT_LABELS = {
    EventType.ORDER_CREATED: "Order placed",
    EventType.ORDER_STATUS_CHANGED: "Order status changed",
    EventType.ORDER_CANCELLED: "Order cancelled",
    EventType.PRODUCT_STOCK_LOW: "Stock running low",
}
RECENT_DELIVERIES = 10
T = TypeVar("T")
OVERLAP_HOURS = int(ROTATION_OVERLAP.total_seconds() // 3600)


class WebhookRow(BaseModel):
    id: int
    url: str
    events: str
    active: bool
    disabled_reason: str  # "" when there is none to show
    created: str


class DeliveryRow(BaseModel):
    id: int
    event_id: str
    type: str
    status: str
    response: str  # the last attempt's code, or what went wrong
    attempts: int
    when: str
    can_retry: bool


def _text(form_data: Any, field: str, limit: int) -> str:
    """One field of a submitted form as text; anything a crafted event sends is tolerated."""
    value = form_data.get(field, "") if isinstance(form_data, dict) else ""
    return value[:limit].strip() if isinstance(value, str) else ""


def _row_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_INT32:
        return value
    return None


def _delivery_row(delivery: DeliveryPublic) -> DeliveryRow:
    last = delivery.attempts[-1] if delivery.attempts else None
    if last is None:
        response = "Not sent yet"
    elif last.response_status is not None:
        response = str(last.response_status)
    else:
        response = last.error or "No answer"
    in_flight = delivery.status == "pending" and not delivery.attempts
    return DeliveryRow(
        id=delivery.id,
        event_id=delivery.event_id,
        type=delivery.type.value,
        status=delivery.status.value,
        response=response,
        attempts=len(delivery.attempts),
        when=moment(last.at if last else delivery.created_at),
        can_retry=not in_flight,
    )


class WebhooksState(ListPageState, FormState, rx.State):
    rows: list[WebhookRow] = []
    # The secret of the endpoint just created: shown until dismissed, never again.
    new_secret: str = ""
    new_secret_url: str = ""
    # The endpoint whose deliveries are shown (0: none) and those deliveries.
    selected_id: int = 0
    selected_url: str = ""
    deliveries: list[DeliveryRow] = []
    deliveries_loading: bool = False

    def _fetch(self, actor: User | None, params: PageParams) -> Page[WebhookPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return webhooks.list_webhooks(actor, params)

    def _row(self, item: WebhookPublic) -> WebhookRow:
        return WebhookRow(
            id=item.id,
            url=item.url,
            events=", ".join(EVENT_LABELS[e] for e in item.events),
            active=item.active,
            disabled_reason=item.disabled_reason or "",
            created=moment(item.created_at),
        )

    @rx.event
    async def create(self, form_data: dict[str, str]):
        url = _text(form_data, "url", MAX_URL_LENGTH + 1)
        chosen = [e.value for e in EventType if _text(form_data, f"event-{e.value}", 8)]
        data = self._parse(WebhookCreate, {"url": url, "events": chosen})
        if not chosen:
            self._fail("Choose at least one event.", "events")
        if data is None:
            return
        self.submitting = True
        yield
        try:
            actor = await self._actor()
            created = await run_in_threadpool(webhooks.create_webhook, actor, data)
        except DomainError as exc:
            self._fail(exc.message, "url")
            return
        finally:
            self.submitting = False
        self._show_secret(created)
        yield rx.toast.success("Webhook created. Copy its secret now.")
        async for update in self._reload():
            yield update

    @rx.event
    def open_page(self):
        """on_load: no secret of an earlier visit is shown again (the state outlives a reload
        and a visit elsewhere)."""
        self.new_secret = self.new_secret_url = ""
        self.errors = {}
        return self._reload()

    @rx.event
    def dismiss_secret(self):
        self.new_secret = self.new_secret_url = ""

    def _show_secret(self, endpoint: WebhookWithSecret) -> None:
        self.new_secret, self.new_secret_url = endpoint.secret, endpoint.url

    @rx.event
    def delete(self, endpoint_id: int):
        if _row_id(endpoint_id) == self.selected_id:
            self.selected_id, self.selected_url, self.deliveries = 0, "", []
        return self._on_endpoint(
            endpoint_id,
            webhooks.delete_webhook,
            lambda _: "Webhook deleted. Nothing more will be sent to it.",
        )

    @rx.event
    def enable(self, endpoint_id: int):
        return self._on_endpoint(
            endpoint_id,
            webhooks.enable_webhook,
            lambda _: "Webhook enabled. New events will be sent to it.",
        )

    @rx.event
    def rotate_secret(self, endpoint_id: int):
        return self._on_endpoint(
            endpoint_id,
            webhooks.rotate_secret,
            lambda _: f"New secret made. The old one signs beside it for {OVERLAP_HOURS} hours.",
            after=self._show_secret,
        )

    def _on_endpoint(
        self,
        endpoint_id: Any,
        action: Callable[[User, int], T],
        done: Callable[[T], str],
        after: Callable[[T], None] | None = None,
    ):
        """A service action on one listed endpoint, whose id the browser sent (any client can
        send anything: an id that cannot be one does nothing)."""
        endpoint_id_ = _row_id(endpoint_id)
        if endpoint_id_ is None:
            return None
        return self._act(endpoint_id_, lambda actor: action(actor, endpoint_id_), done, after)

    @rx.event
    async def show_deliveries(self, endpoint_id: int):
        row = next((r for r in self.rows if r.id == _row_id(endpoint_id)), None)
        if row is None:
            return
        self.selected_id, self.selected_url, self.deliveries = row.id, row.url, []
        async for update in self._load_deliveries():
            yield update

    @rx.event
    async def refresh_deliveries(self):
        async for update in self._load_deliveries():
            yield update

    @rx.event
    async def retry(self, delivery_id: int):
        delivery_id_ = _row_id(delivery_id)
        if delivery_id_ is None or self.selected_id == 0:
            return
        try:
            actor = await self._actor()
            await run_in_threadpool(webhooks.retry_delivery, actor, self.selected_id, delivery_id_)
        except DomainError as exc:
            yield self._failed(exc)
            return
        yield rx.toast.success("The delivery will be sent again in a moment.")
        async for update in self._load_deliveries():
            yield update

    async def _load_deliveries(self):
        if self.selected_id == 0:
            return
        self.deliveries_loading = True
        yield
        try:
            actor = await self._actor()
            page = await run_in_threadpool(
                webhooks.list_deliveries,
                actor,
                self.selected_id,
                PageParams(page=1, limit=RECENT_DELIVERIES),
            )
        except DomainError as exc:
            self.selected_id, self.deliveries = 0, []
            yield self._failed(exc)
            return
        finally:
            self.deliveries_loading = False
        self.deliveries = [_delivery_row(d) for d in page.data]
