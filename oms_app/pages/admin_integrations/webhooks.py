"""The webhooks section of /admin/integrations: create an endpoint (its secret shown once),
list, enable again and delete endpoints, and see one endpoint's recent deliveries, retrying one
if need be.

Every change goes through services/webhooks.py, which decides who may make it.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment
from oms_app.components.forms import field_error, labelled_input
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.secret_once import secret_shown_once
from oms_app.core.errors import DomainError
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.models.user import User
from oms_app.models.webhook import (
    MAX_URL_LENGTH,
    DeliveryPublic,
    EventType,
    WebhookCreate,
    WebhookPublic,
)
from oms_app.services import webhooks
from oms_app.state.form import FormState
from oms_app.state.list_page import ListPageState

EVENT_LABELS = {
    EventType.ORDER_CREATED: "Order placed",
    EventType.ORDER_STATUS_CHANGED: "Order status changed",
    EventType.ORDER_CANCELLED: "Order cancelled",
    EventType.PRODUCT_STOCK_LOW: "Stock running low",
}
RECENT_DELIVERIES = 10


class WebhookRow(BaseModel):
    id: int
    url: str
    events: str
    active: bool
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
        self.new_secret, self.new_secret_url = created.secret, created.url
        yield rx.toast.success("Webhook created. Copy its secret now.")
        async for update in self._reload():
            yield update

    @rx.event
    def dismiss_secret(self):
        self.new_secret = self.new_secret_url = ""

    @rx.event
    def delete(self, endpoint_id: int):
        endpoint_id_ = _row_id(endpoint_id)
        if endpoint_id_ is None:
            return None
        if endpoint_id_ == self.selected_id:
            self.selected_id, self.selected_url, self.deliveries = 0, "", []
        return self._act(
            endpoint_id_,
            lambda actor: webhooks.delete_webhook(actor, endpoint_id_),
            lambda _: "Webhook deleted. Nothing more will be sent to it.",
        )

    @rx.event
    def enable(self, endpoint_id: int):
        endpoint_id_ = _row_id(endpoint_id)
        if endpoint_id_ is None:
            return None
        return self._act(
            endpoint_id_,
            lambda actor: webhooks.enable_webhook(actor, endpoint_id_),
            lambda _: "Webhook enabled. New events will be sent to it.",
        )

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


# --- components ----------------------------------------------------------------------------


def _create_form() -> rx.Component:
    state = WebhooksState
    return rx.form(
        rx.flex(
            labelled_input(
                "Endpoint URL",
                "webhook-url",
                name="url",
                placeholder="https://erp.example.com/oms-events",
                max_length=MAX_URL_LENGTH,
                type="url",
                aria_describedby="url-error",
            ),
            field_error(state.errors, "url", id="url-error"),
            rx.el.fieldset(
                rx.el.legend(rx.text("Events to send", size="2", weight="medium")),
                rx.flex(
                    *(
                        rx.checkbox(
                            label, name=f"event-{event.value}", default_checked=True, value="on"
                        )
                        for event, label in EVENT_LABELS.items()
                    ),
                    direction="column",
                    spacing="2",
                    margin_top="0.5em",
                ),
                style={"border": "none", "padding": "0", "margin": "0"},
            ),
            field_error(state.errors, "events", id="events-error"),
            field_error(state.errors, "form", id="webhook-form-error"),
            rx.flex(
                rx.button("Create webhook", type="submit", loading=state.submitting),
                justify="start",
            ),
            direction="column",
            spacing="3",
        ),
        on_submit=state.create,
        reset_on_submit=False,
    )


def _status_badge(active: rx.Var[bool]) -> rx.Component:
    return rx.badge(
        rx.cond(active, "Active", "Disabled"),
        color_scheme=rx.cond(active, "green", "gray"),
        variant="surface",
        high_contrast=True,
    )


def _endpoint_row(row: WebhookRow) -> rx.Component:
    state = WebhooksState
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row.url, word_break="break-all"), min_width="14em"),
        rx.table.cell(row.events, min_width="10em"),
        rx.table.cell(_status_badge(row.active)),
        rx.table.cell(row.created, white_space="nowrap"),
        actions_cell(
            rx.button(
                "Deliveries",
                on_click=state.show_deliveries(row.id),
                size="1",
                variant="soft",
                aria_label="Deliveries to " + row.url,
            ),
            # Enabling ends nothing and loses nothing, so it asks nothing first.
            rx.cond(
                ~row.active,
                rx.button(
                    "Enable",
                    on_click=state.enable(row.id),
                    loading=state.busy_id == row.id,
                    size="1",
                    variant="soft",
                    color_scheme="green",
                    high_contrast=True,
                    aria_label="Enable webhook " + row.url,
                ),
            ),
            confirm_button(
                "Delete",
                title="Delete webhook",
                question=rx.text(
                    "Stop sending events to ",
                    rx.text.strong(row.url),
                    "? Its delivery history goes too.",
                ),
                confirm_label="Delete",
                on_confirm=state.delete(row.id),
                loading=state.busy_id == row.id,
                size="1",
                aria_label="Delete webhook " + row.url,
            ),
        ),
        id=f"webhook-{row.id}",
    )


def _delivery_status(status: rx.Var[str]) -> rx.Component:
    return rx.badge(
        status,
        color_scheme=rx.match(status, ("succeeded", "green"), ("failed", "red"), "amber"),
        variant="surface",
        high_contrast=True,
    )


def _delivery_row_view(row: DeliveryRow) -> rx.Component:
    state = WebhooksState
    return rx.table.row(
        rx.table.row_header_cell(row.type, white_space="nowrap"),
        rx.table.cell(_delivery_status(row.status)),
        rx.table.cell(row.response, class_name="delivery-response"),
        rx.table.cell(row.attempts),
        rx.table.cell(row.when, white_space="nowrap"),
        actions_cell(
            rx.cond(
                row.can_retry,
                rx.button(
                    "Retry",
                    on_click=state.retry(row.id),
                    size="1",
                    variant="soft",
                    aria_label="Retry delivery " + row.event_id,
                ),
            )
        ),
        class_name="delivery-row",
    )


def _deliveries() -> rx.Component:
    state = WebhooksState
    return rx.cond(
        state.selected_id != 0,
        rx.box(
            rx.flex(
                rx.heading("Recent deliveries", as_="h3", size="3"),
                rx.button(
                    rx.icon("refresh-cw", size=14, aria_hidden="true"),
                    "Refresh",
                    on_click=state.refresh_deliveries,
                    size="1",
                    variant="soft",
                ),
                busy(state.deliveries_loading),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text("To ", rx.text.strong(state.selected_url), size="2", word_break="break-all"),
            data_table(
                ("Event", "Status", "Response", "Attempts", "Last activity", ""),
                state.deliveries,
                _delivery_row_view,
                empty=(state.deliveries.length() == 0) & ~state.deliveries_loading,
                empty_message="Nothing sent to this webhook yet.",
                margin_top="0.75em",
            ),
            id="webhook-deliveries",
            margin_top="1.5em",
        ),
    )


def webhooks_section() -> rx.Component:
    """The section as a page places it; its on_load is `WebhooksState.load`."""
    state = WebhooksState
    return rx.el.section(
        rx.flex(
            rx.heading("Webhooks", as_="h2", size="5", id="webhooks-heading"),
            busy(state.loading),
            spacing="3",
            align="center",
        ),
        rx.text(
            "OMS sends signed events (Standard Webhooks) to these URLs when orders are placed, "
            "change status or are cancelled, and when stock runs low.",
            size="2",
            margin_bottom="1em",
        ),
        rx.card(_create_form(), margin_bottom="1em"),
        secret_shown_once(
            state.new_secret,
            label="Signing secret for " + state.new_secret_url,
            control_id="webhook-secret",
            explanation="Receivers check every delivery's signature with it.",
            on_done=state.dismiss_secret,
            callout_id="webhook-secret-callout",
        ),
        list_feedback(state),
        rx.box(
            data_table(
                ("URL", "Events", "Status", "Created", ""),
                state.rows,
                _endpoint_row,
                empty=(state.rows.length() == 0) & ~state.loading,
                empty_message="No webhooks yet.",
            ),
            margin_top="1em",
        ),
        pagination(state),
        _deliveries(),
        aria_labelledby="webhooks-heading",
    )
