"""/admin/orders: every order, found by number or customer, narrowed by status and dates,
sorted, paged and kept live; legal status moves (each confirmed first); CSV export of exactly
what is shown.

The filters live in the URL query (the REST API's names and rules, services/order_filter_query.py):
a change navigates to the new address and the page reads its filters from there, so a reload
keeps them, Back undoes them and the address can be shared.
"""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment, money
from oms_app.components.forms import NATIVE_SELECT, field_label, inline_error
from oms_app.components.lists import list_feedback, live_updates
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import admin_page
from oms_app.core.errors import DomainError, InvalidInput
from oms_app.models.common import Page, PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.models.order_filters import OrderFilters, OrderSort
from oms_app.models.user import User
from oms_app.services import activity, auth, live, orders, statuses
from oms_app.services.order_filter_query import SORT_LABELS, filters_from_query, query_of
from oms_app.services.search import SEARCH_MAX_LENGTH
from oms_app.state.list_page import ListPageState
from oms_app.state.session import SessionState

STATUSES = [s.value for s in OrderStatus]
# The REST route that streams the CSV (api/routes/orders.py); the browser fetches it itself.
EXPORT_PATH = "/api/v1/orders/export.csv"


class StatusMove(BaseModel):
    status: str
    label: str
    consequence: str
    danger: bool


class OrderRow(BaseModel):
    id: int
    customer: str
    email: str
    lines: list[str]
    total: str
    status: str
    created: str
    moves: list[StatusMove]

    @classmethod
    def of(cls, order: OrderPublic) -> OrderRow:
        customer = order.customer
        return cls(
            id=order.id,
            customer=customer.name if customer else "deleted account",
            email=customer.email if customer else "",
            lines=[f"{i.quantity} x {i.product_name}" for i in order.items],
            total=money(order.total),
            status=order.status.value,
            created=moment(order.created_at),
            # The service's state machine decides what is offered; nothing else is.
            moves=[
                StatusMove(
                    status=target.value,
                    label=label,
                    consequence=statuses.MOVE_CONSEQUENCES[target],
                    danger=target == OrderStatus.CANCELLED,
                )
                for target, label in statuses.moves(order.status)
            ],
        )


def _at(query: str) -> str:
    return f"{routes.ADMIN_ORDERS}?{query}" if query else routes.ADMIN_ORDERS


class OrdersAdminState(ListPageState, rx.State):
    rows: list[OrderRow] = []
    # The filters as the inputs show them; the URL query is where they really live.
    q: str = ""
    statuses: list[str] = []
    created_from: str = ""
    created_to: str = ""
    sort: str = OrderSort.NEWEST.value
    filter_error: str = ""
    exporting: bool = False
    # The query of the rows shown: validated, in services/order_filter_query.py's form.
    _query: str = ""

    def _fetch(self, actor: User | None, params: PageParams) -> Page[OrderPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return orders.list_orders(actor, params, filters=filters_from_query(self._query))

    def _topic(self, actor: User) -> str:
        return live.all_orders_topic(actor)

    def _row(self, item: OrderPublic) -> OrderRow:
        return OrderRow.of(item)

    def _show(self, filters: OrderFilters) -> None:
        if self.q.strip() != (filters.q or ""):
            # Only when it differs: the search box is still being typed in ("Ada |"), and
            # its spaces must survive the page reading its own address.
            self.q = filters.q or ""
        self.statuses = [s.value for s in OrderStatus if s in set(filters.status)]
        self.created_from = filters.created_from.isoformat() if filters.created_from else ""
        self.created_to = filters.created_to.isoformat() if filters.created_to else ""
        self.sort = filters.sort.value

    @rx.event
    def open(self):
        """on_load, also after every filter change and Back: the filters the URL names."""
        query = self.router.url.query
        try:
            filters = filters_from_query(query)
        except InvalidInput as exc:
            # A hand-edited or stale link: say what is wrong, and show nothing it did not ask.
            self.filter_error = f"{exc.message}."
            self.rows, self.total, self.total_pages, self.loaded = [], 0, 0, True
            return None
        self._show(filters)
        self.filter_error = ""
        canonical = query_of(filters)
        if canonical != self._query:
            self._query, self.page = canonical, 1
        return self._reload()

    def _go(self):
        """Navigate to the filters the inputs now show; a filter that cannot be run is said
        beside the filters (the inputs keep what was chosen), and nothing else changes."""
        pairs = [
            ("q", self.q),
            *(("status", status) for status in self.statuses),
            ("created_from", self.created_from),
            ("created_to", self.created_to),
            ("sort", self.sort),
        ]
        try:
            filters = filters_from_query(urlencode(pairs))
        except InvalidInput as exc:
            self.filter_error = f"{exc.message}."
            return None
        self.filter_error = ""
        return rx.redirect(_at(query_of(filters)))

    @rx.event
    def set_q(self, value: object):
        # The service says what is too long; this only bounds what the state holds.
        self.q = str(value)[: SEARCH_MAX_LENGTH * 4]
        return self._go()

    @rx.event
    def toggle_status(self, status: object, on: object = False):
        if status not in STATUSES:
            return None
        self.statuses = [
            s
            for s in STATUSES
            if (s == status and on is True) or (s != status and s in self.statuses)
        ]
        return self._go()

    @rx.event
    def set_created_from(self, value: object):
        self.created_from = str(value)[:32]
        return self._go()

    @rx.event
    def set_created_to(self, value: object):
        self.created_to = str(value)[:32]
        return self._go()

    @rx.event
    def set_sort(self, value: object):
        self.sort = str(value)[:32]
        return self._go()

    @rx.event
    def clear_filters(self):
        self.filter_error = ""
        return rx.redirect(routes.ADMIN_ORDERS)

    @rx.event
    def change_status(self, order_id: int, status: str):
        if status not in STATUSES or type(order_id) is not int:  # not a bool, nor text
            return rx.toast.error("That is not an order status.")
        target = OrderStatus(status)
        return self._act(
            order_id,
            lambda actor: orders.change_status(actor, order_id, target),
            lambda changed: f"Order #{order_id} is now {changed.status.value}.",
            after=activity.order_status_changed,
        )

    @rx.event
    async def export_csv(self):
        """Hand the browser a link to the streaming export of the filters shown, signed with
        a one-minute token.

        The browser downloads straight from the API, so the file never passes through this
        state (or memory) however many orders there are.
        """
        self.exporting = True
        yield
        try:
            session = await self.get_state(SessionState)
            await session._actor()  # refreshes an expired access token first
            token = await run_in_threadpool(auth.issue_download_token, session.access_token)
        except DomainError as exc:
            yield self._failed(exc)
            return
        finally:
            self.exporting = False
        query = "&".join(
            part for part in (self._query, urlencode({"download_token": token})) if part
        )
        name = "-".join(self.statuses) or "all"
        yield rx.download(url=f"{EXPORT_PATH}?{query}", filename=f"orders-{name}.csv")
        yield rx.toast.info("Export started: the CSV is downloading.")


def _move_button(row: OrderRow, move: StatusMove) -> rx.Component:
    return confirm_button(
        move.label,
        title=move.label + ": order #" + row.id.to_string() + "?",
        question=move.consequence,
        confirm_label=move.label,
        on_confirm=OrdersAdminState.change_status(row.id, move.status),
        color_scheme=rx.cond(move.danger, "red", "indigo"),
        loading=OrdersAdminState.busy_id == row.id,
        size="1",
    )


def _row(row: OrderRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                "#" + row.id.to_string(),
                href="/admin/orders/" + row.id.to_string(),
                weight="medium",
                underline="always",
                aria_label="Order " + row.id.to_string(),
            )
        ),
        rx.table.cell(
            rx.text(row.customer, size="2", weight="medium"),
            rx.text(row.email, size="1", color_scheme="gray", high_contrast=True),
            class_name="order-customer",
        ),
        rx.table.cell(
            rx.foreach(row.lines, lambda line: rx.text(line, size="2")),
            min_width="12em",
        ),
        rx.table.cell(row.total, white_space="nowrap"),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(row.created, white_space="nowrap"),
        actions_cell(
            rx.foreach(row.moves, lambda move: _move_button(row, move)),
            rx.cond(row.moves.length() == 0, rx.text("final", size="1", color_scheme="gray")),
        ),
        id=f"order-{row.id}",
    )


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


def _toolbar() -> rx.Component:
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


@admin_page(routes.ADMIN_ORDERS, "Orders", on_load=OrdersAdminState.open)
def admin_orders() -> rx.Component:
    state = OrdersAdminState
    return rx.box(
        live_updates(state),
        _toolbar(),
        list_feedback(state),
        data_table(
            ("Order", "Customer", "Lines", "Total", "Status", "Date", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No orders match.",
        ),
        pagination(state),
    )
