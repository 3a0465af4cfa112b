"""/admin/orders: every order, filtered by status and paged, kept live; legal status moves
(each confirmed first); CSV export."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment, money
from oms_app.components.forms import field_label
from oms_app.components.lists import list_feedback, live_updates
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import admin_page
from oms_app.core.errors import DomainError
from oms_app.models.common import Page, PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.models.user import User
from oms_app.services import activity, auth, live, orders, statuses
from oms_app.state.list_page import ListPageState
from oms_app.state.session import SessionState

ALL = "all"
FILTERS = [ALL, *(s.value for s in OrderStatus)]
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
    lines: list[str]
    total: str
    status: str
    created: str
    moves: list[StatusMove]

    @classmethod
    def of(cls, order: OrderPublic) -> OrderRow:
        return cls(
            id=order.id,
            customer="deleted user" if order.user_id is None else f"#{order.user_id}",
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


class OrdersAdminState(ListPageState, rx.State):
    rows: list[OrderRow] = []
    status_filter: str = ALL
    exporting: bool = False

    def _status(self) -> OrderStatus | None:
        return None if self.status_filter == ALL else OrderStatus(self.status_filter)

    def _fetch(self, actor: User | None, params: PageParams) -> Page[OrderPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return orders.list_orders(actor, params, self._status())

    def _topic(self, actor: User) -> str:
        return live.all_orders_topic(actor)

    def _row(self, item: OrderPublic) -> OrderRow:
        return OrderRow.of(item)

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value if value in FILTERS else ALL
        return self._filtered()

    @rx.event
    def change_status(self, order_id: int, status: str):
        if status not in FILTERS[1:]:
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
        """Hand the browser a link to the streaming export, signed with a one-minute token.

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
        query = {"download_token": token}
        if self.status_filter != ALL:
            query["status"] = self.status_filter
        yield rx.download(
            url=f"{EXPORT_PATH}?{urlencode(query)}", filename=f"orders-{self.status_filter}.csv"
        )
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
        rx.table.row_header_cell(rx.text("#", row.id, weight="medium")),
        rx.table.cell(row.customer),
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


def _toolbar() -> rx.Component:
    state = OrdersAdminState
    return rx.flex(
        rx.flex(
            field_label("Status", "order-status-filter"),
            rx.select(
                FILTERS,
                value=state.status_filter,
                on_change=state.set_status_filter,
                id="order-status-filter",
            ),
            direction="column",
            spacing="1",
        ),
        busy(state.loading),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=16, aria_hidden="true"),
            "Export CSV",
            on_click=state.export_csv,
            loading=state.exporting,
            variant="outline",
        ),
        spacing="3",
        align="end",
        wrap="wrap",
        width="100%",
        margin_bottom="1em",
    )


@admin_page(routes.ADMIN_ORDERS, "Orders", on_load=OrdersAdminState.load)
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
