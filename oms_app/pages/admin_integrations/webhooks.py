"""The webhooks section of /admin/integrations: create an endpoint (its secret shown once),
list endpoints (a disabled one says why), enable one again, rotate its secret (shown once
too) and delete it, and see one endpoint's recent deliveries, retrying one
if need be. Its state is in webhooks_state.py.
"""

from __future__ import annotations

import reflex as rx

from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.forms import field_error, labelled_input
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.secret_once import secret_shown_once
from oms_app.models.webhook import MAX_URL_LENGTH
from oms_app.pages.admin_integrations.webhooks_state import (
    EVENT_LABELS,
    OVERLAP_HOURS,
    DeliveryRow,
    WebhookRow,
    WebhooksState,
)


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
        rx.table.cell(
            rx.flex(
                _status_badge(row.active),
                rx.cond(row.disabled_reason != "", rx.text(row.disabled_reason, size="1")),
                direction="column",
                align="start",
                spacing="1",
            ),
            min_width="8em",
        ),
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
                "Rotate secret",
                title="Rotate signing secret",
                question=rx.text(
                    "Make a new signing secret for ",
                    rx.text.strong(row.url),
                    f"? It is shown once. The current secret keeps signing beside it for "
                    f"{OVERLAP_HOURS} hours, so update the receiver before then.",
                ),
                confirm_label="Rotate",
                on_confirm=state.rotate_secret(row.id),
                loading=state.busy_id == row.id,
                size="1",
                color_scheme="gray",
                aria_label="Rotate secret of webhook " + row.url,
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
    """The section as a page places it; its on_load is `WebhooksState.open_page`."""
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
