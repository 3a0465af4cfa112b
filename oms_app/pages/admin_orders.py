"""/admin/orders: every order, filtered by status and paged; legal status moves; CSV export."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import admin_page, busy, data_table
from oms_app.components.format import moment, money
from oms_app.components.forms import field_label
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.core.errors import DomainError
from oms_app.models.common import PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.services import activity, auth, orders
from oms_app.state.admin import AdminState
from oms_app.state.pagination import PagedState
from oms_app.state.session import SessionState

PAGE_SIZE = 10
ALL = "all"
FILTERS = [ALL, *(s.value for s in OrderStatus)]
# The REST route that streams the CSV (api/routes/orders.py); the browser fetches it itself.
EXPORT_PATH = "/api/v1/orders/export.csv"
ACTION_LABELS = {
    OrderStatus.SHIPPED: "Ship",
    OrderStatus.DELIVERED: "Mark delivered",
    OrderStatus.CANCELLED: "Cancel order",
}


class StatusAction(BaseModel):
    status: str
    label: str


class OrderRow(BaseModel):
    id: int
    customer: str
    lines: list[str]
    total: str
    status: str
    created: str
    actions: list[StatusAction]

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
            actions=[
                StatusAction(status=s.value, label=ACTION_LABELS[s])
                for s in orders.next_statuses(order.status)
            ],
        )


class OrdersAdminState(PagedState, AdminState):
    status_filter: str = ALL
    rows: list[OrderRow] = []
    busy_id: int = 0
    exporting: bool = False

    def _status(self) -> OrderStatus | None:
        return None if self.status_filter == ALL else OrderStatus(self.status_filter)

    @rx.event
    async def load(self):
        self.loading = True
        yield
        try:
            actor = await self._actor()
            result = await run_in_threadpool(
                orders.list_orders,
                actor,
                PageParams(page=self.page, limit=PAGE_SIZE),
                self._status(),
            )
        except DomainError as exc:
            if not self._silent_on_load(exc):
                yield self._failed(exc)
            return
        finally:
            self.loading = False
        if not self._accept(result):
            yield OrdersAdminState.load
            return
        self.rows = [OrderRow.of(o) for o in result.data]

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value if value in FILTERS else ALL
        self.page = 1
        return OrdersAdminState.load

    @rx.event
    async def change_status(self, order_id: int, status: str):
        self.busy_id = order_id
        yield
        try:
            actor = await self._actor()
            changed = await run_in_threadpool(
                orders.change_status, actor, order_id, OrderStatus(status)
            )
        except (DomainError, ValueError) as exc:
            message = exc.message if isinstance(exc, DomainError) else f"Unknown status {status}"
            yield rx.toast.error(message)
        else:
            yield rx.toast.success(f"Order #{order_id} is now {changed.status.value}.")
            activity.order_status_changed(changed)
        finally:
            self.busy_id = 0
        yield OrdersAdminState.load

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
            await session.actor()  # refreshes an expired access token first
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


def _status_buttons(row: OrderRow) -> rx.Component:
    return rx.flex(
        rx.foreach(
            row.actions,
            lambda action: rx.button(
                action.label,
                on_click=OrdersAdminState.change_status(row.id, action.status),
                loading=OrdersAdminState.busy_id == row.id,
                color_scheme=rx.cond(action.status == "cancelled", "red", "indigo"),
                variant="soft",
                size="1",
            ),
        ),
        rx.cond(row.actions.length() == 0, rx.text("final", size="1", color_scheme="gray")),
        spacing="2",
        wrap="wrap",
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
        rx.table.cell(_status_buttons(row)),
        id=f"order-{row.id}",
    )


def _table() -> rx.Component:
    state = OrdersAdminState
    return data_table(
        ("Order", "Customer", "Lines", "Total", "Status", "Date", ""),
        state.rows,
        _row,
        empty=(state.rows.length() == 0) & ~state.loading,
        empty_message="No orders match.",
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
            rx.icon("download", size=16),
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


def _content() -> rx.Component:
    state = OrdersAdminState
    return rx.box(
        _toolbar(),
        _table(),
        pagination(state),
    )


@rx.page(
    route=routes.ADMIN_ORDERS,
    title="Orders · OMS admin",
    on_load=[SessionState.check_login, OrdersAdminState.load],
)
def page() -> rx.Component:
    return admin_page(_content(), title="Orders", route=routes.ADMIN_ORDERS)
