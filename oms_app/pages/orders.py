"""My orders, newest first, kept live: an admin's status change shows up without a reload.

Live updates come from a background event started by the page's on_load. Every couple of seconds
it asks the service when the user's orders last changed (one indexed aggregate) and re-reads
the page of orders only when that moment moved. Reflex 0.10 cancels a page-load chain, this
watcher included, when the browser navigates elsewhere or disconnects; the loop also checks for
itself (still on /orders, still the newest watcher, socket still connected) and gives up after a
maximum lifetime, so no watcher outlives its page.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

import reflex as rx
from pydantic import BaseModel
from reflex.utils import prerequisites
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.format import moment, money
from oms_app.components.layout import layout, loading, require_login
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.core.errors import DomainError
from oms_app.models.common import PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.services import activity, orders
from oms_app.state.session import SessionState

PAGE_SIZE = 10
POLL_SECONDS = 2.0
# A tab left open all day should not poll all day; a reload starts a fresh watcher.
WATCH_LIFETIME_SECONDS = 60 * 60


class OrderLineRow(BaseModel):
    name: str
    quantity: int
    unit_price_label: str
    line_total_label: str


class OrderRow(BaseModel):
    id: int
    status: str
    total_label: str
    placed_label: str
    can_cancel: bool
    lines: list[OrderLineRow]


def _row(order: OrderPublic) -> OrderRow:
    return OrderRow(
        id=order.id,
        status=order.status.value,
        total_label=money(order.total),
        placed_label=moment(order.created_at),
        can_cancel=OrderStatus.CANCELLED in orders.next_statuses(order.status),
        lines=[
            OrderLineRow(
                name=item.product_name,
                quantity=item.quantity,
                unit_price_label=money(item.unit_price),
                line_total_label=money(item.unit_price * item.quantity),
            )
            for item in order.items
        ],
    )


def _stamp(changed: datetime | None) -> str:
    return changed.isoformat() if changed else ""


def _browser_connected(client_token: str) -> bool:
    namespace = prerequisites.get_and_validate_app().app.event_namespace
    return namespace is None or client_token in namespace.token_to_sid


class MyOrdersState(rx.State):
    orders: list[OrderRow] = []
    page: int = 1
    total: int = 0
    total_pages: int = 0
    loading: bool = False
    loaded: bool = False
    cancelling_id: int = 0

    # Backend-only: what the watcher compares against, and which watcher is the current one.
    _user_id: int = 0
    _seen_change: str = ""
    _watch_generation: int = 0

    async def _reload(self) -> None:
        """Re-read the current page for the logged-in user; raises DomainError if logged out."""
        session = await self.get_state(SessionState)
        actor = await session.actor()
        # Stamp first: a change landing mid-read then only causes one extra harmless reload.
        self._seen_change = _stamp(await run_in_threadpool(orders.latest_change, actor.id))
        result = await run_in_threadpool(
            orders.list_my_orders, actor, PageParams(page=self.page, limit=PAGE_SIZE)
        )
        if not result.data and self.page > 1:
            self.page = max(result.total_pages, 1)
            result = await run_in_threadpool(
                orders.list_my_orders, actor, PageParams(page=self.page, limit=PAGE_SIZE)
            )
        self._user_id = actor.id
        self.orders = [_row(order) for order in result.data]
        self.total, self.total_pages = result.total, result.total_pages
        self.loaded = True

    async def _load_with_feedback(self):
        self.loading = True
        yield
        try:
            await self._reload()
        except DomainError as exc:
            yield rx.toast.error(exc.message)
        finally:
            self.loading = False

    @rx.event
    async def open_page(self):
        """on_load, after SessionState.check_login: first page, then start watching."""
        session = await self.get_state(SessionState)
        if session.user_id <= 0:
            return  # check_login is already sending the visitor to /login
        # Never show the previous user's orders of this tab, even for a moment.
        self.page, self.orders, self.loaded = 1, [], False
        async for update in self._load_with_feedback():
            yield update
        self._watch_generation += 1
        yield MyOrdersState.watch(self._watch_generation)

    @rx.event
    async def next_page(self):
        if self.page < self.total_pages:
            self.page += 1
            async for update in self._load_with_feedback():
                yield update

    @rx.event
    async def previous_page(self):
        if self.page > 1:
            self.page -= 1
            async for update in self._load_with_feedback():
                yield update

    @rx.event
    async def cancel(self, order_id: int):
        self.cancelling_id = order_id
        yield
        session = await self.get_state(SessionState)
        try:
            actor = await session.actor()
            cancelled = await run_in_threadpool(orders.cancel_order, actor, order_id)
            await self._reload()
        except DomainError as exc:
            yield rx.toast.error(exc.message)
            # Show what the order really is now (an admin may have shipped it meanwhile).
            async for update in self._load_with_feedback():
                yield update
            return
        finally:
            self.cancelling_id = 0
        yield rx.toast.success(f"Order #{order_id} cancelled; its items are back in stock.")
        activity.order_status_changed(cancelled)

    def _is_current_watcher(self, generation: int) -> bool:
        return (
            generation == self._watch_generation
            and self.router.url.path.rstrip("/") == routes.ORDERS
        )

    @rx.event(background=True)
    async def watch(self, generation: int):
        deadline = time.monotonic() + WATCH_LIFETIME_SECONDS
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if not self._is_current_watcher(generation):
                    return
                user_id, seen = self._user_id, self._seen_change
                client_token = self.router.session.client_token
            if not _browser_connected(client_token):
                return
            try:
                changed = _stamp(await run_in_threadpool(orders.latest_change, user_id))
            except SQLAlchemyError:
                continue  # a database hiccup must not end live updates; try again next tick
            if changed == seen:
                continue
            async with self:
                if not self._is_current_watcher(generation):
                    return
                try:
                    await self._reload()
                except DomainError:
                    return  # logged out meanwhile; the next action sends them to /login


def order_line(line: rx.Var[OrderLineRow]) -> rx.Component:
    return rx.flex(
        rx.flex(
            rx.text(line.quantity.to_string() + " \u00d7 " + line.name, size="2"),
            rx.text(line.unit_price_label + " each", size="1", color_scheme="gray"),
            direction="column",
        ),
        rx.spacer(),
        rx.text(line.line_total_label, size="2", weight="medium"),
        align="center",
        spacing="3",
        width="100%",
    )


def order_lines(order: rx.Var[OrderRow]) -> rx.Component:
    return rx.flex(
        rx.foreach(order.lines, order_line),
        direction="column",
        spacing="2",
        width="100%",
    )


def order_card(order: rx.Var[OrderRow]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading("Order #" + order.id.to_string(), size="4"),
                status_badge(order.status, class_name="order-status"),
                rx.spacer(),
                rx.text(order.placed_label, size="2", color_scheme="gray"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.separator(size="4"),
            order_lines(order),
            rx.flex(
                rx.text("Total: ", rx.text.strong(order.total_label), size="3"),
                rx.spacer(),
                rx.cond(
                    order.can_cancel,
                    rx.button(
                        "Cancel order",
                        on_click=MyOrdersState.cancel(order.id),
                        loading=MyOrdersState.cancelling_id == order.id,
                        color_scheme="red",
                        variant="soft",
                        size="2",
                    ),
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            direction="column",
            spacing="3",
        ),
        id="order-" + order.id.to_string(),
        class_name="order-card",
        width="100%",
    )


def orders_list() -> rx.Component:
    return rx.cond(
        MyOrdersState.loaded,
        rx.cond(
            MyOrdersState.orders.length() > 0,
            rx.flex(
                rx.foreach(MyOrdersState.orders, order_card),
                pagination(MyOrdersState),
                direction="column",
                spacing="3",
                width="100%",
            ),
            rx.callout(
                rx.flex(
                    rx.text("You have not placed any orders yet."),
                    rx.link("Browse the catalogue", href=routes.CATALOGUE),
                    spacing="2",
                    wrap="wrap",
                ),
                icon="package",
                id="no-orders",
            ),
        ),
        loading(),
    )


@rx.page(
    route=routes.ORDERS,
    title="My orders · OMS",
    on_load=[SessionState.check_login, MyOrdersState.open_page],
)
def orders_page() -> rx.Component:
    return layout(
        require_login(orders_list()),
        title="My orders",
    )
