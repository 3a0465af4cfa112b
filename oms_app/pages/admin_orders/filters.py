"""The filters above the admin order list (search, dates, sort, statuses) and its Clear and
Export CSV buttons."""

from __future__ import annotations

import reflex as rx

from oms_app.components.admin import busy
from oms_app.components.forms import NATIVE_SELECT, field_label, inline_error
from oms_app.pages.admin_orders.state import STATUSES, OrdersAdminState
from oms_app.services.order_filter_query import SORT_LABELS
from oms_app.services.search import SEARCH_MAX_LENGTH


def _labelled(label: str, control_id: str, control: rx.Component, **props) -> rx.Component:
    return rx.flex(
        field_label(label, control_id), control, direction="column", spacing="1", **props
    )


def _status_filter() -> rx.Component:
    state = OrdersAdminState
    return rx.el.fieldset(
        rx.el.legend(rx.text("Status", as_="span", size="2", weight="medium")),
        rx.flex(
            *(
                rx.checkbox(
                    status,
                    checked=state.statuses.contains(status),
                    on_change=lambda on, status=status: state.toggle_status(status, on),
                    size="2",
                )
                for status in STATUSES
            ),
            spacing="3",
            wrap="wrap",
            padding_y="0.4em",
        ),
        id="order-status-filter",
        border="none",
        padding="0",
        margin="0",
        min_width="0",
    )


def toolbar() -> rx.Component:
    state = OrdersAdminState
    return rx.flex(
        rx.flex(
            _labelled(
                "Search orders",
                "order-search",
                rx.debounce_input(
                    rx.input(
                        rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
                        id="order-search",
                        type="search",
                        value=state.q,
                        on_change=state.set_q,
                        placeholder="Order number, customer email or name",
                        max_length=SEARCH_MAX_LENGTH,
                        width="100%",
                    ),
                    debounce_timeout=400,
                ),
                flex="1 1 16em",
            ),
            _labelled(
                "Placed from",
                "order-created-from",
                rx.input(
                    id="order-created-from",
                    type="date",
                    value=state.created_from,
                    on_change=state.set_created_from,
                ),
            ),
            _labelled(
                "Placed to",
                "order-created-to",
                rx.input(
                    id="order-created-to",
                    type="date",
                    value=state.created_to,
                    on_change=state.set_created_to,
                ),
            ),
            _labelled(
                "Sort",
                "order-sort",
                rx.el.select(
                    *(rx.el.option(label, value=sort.value) for sort, label in SORT_LABELS.items()),
                    id="order-sort",
                    value=state.sort,
                    on_change=state.set_sort,
                    style=NATIVE_SELECT,
                ),
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        rx.flex(
            _status_filter(),
            busy(state.loading),
            rx.spacer(),
            rx.button(
                "Clear filters",
                on_click=state.clear_filters,
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
            ),
            rx.button(
                rx.icon("download", size=16, aria_hidden="true"),
                "Export CSV",
                on_click=state.export_csv,
                loading=state.exporting,
                variant="outline",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        inline_error(state.filter_error, id="order-filter-error"),
        direction="column",
        spacing="3",
        width="100%",
        margin_bottom="1em",
    )
