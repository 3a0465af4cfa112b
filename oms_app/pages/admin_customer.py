"""/admin/users/{id}: one customer as an admin sees them: the profile, how many orders and what
they have spent, and their orders, paged, each linking to its page."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import busy, data_table
from oms_app.components.format import moment, money
from oms_app.components.layout import link_button, loading
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import admin_page
from oms_app.core.errors import DomainError, NotFound
from oms_app.models.common import Page, PageParams
from oms_app.models.order import OrderPublic
from oms_app.models.order_filters import OrderFilters
from oms_app.models.user import User
from oms_app.services import customers, orders
from oms_app.state.list_page import ListPageState
from oms_app.state.paging import id_in_path


class CustomerOrderRow(BaseModel):
    id: int
    lines: str
    total: str
    status: str
    placed: str


class Profile(BaseModel):
    id: int = 0
    name: str = ""
    email: str = ""
    role: str = ""
    joined: str = ""
    order_count: int = 0
    lifetime_spend: str = ""
    last_order: str = ""


class CustomerState(ListPageState, rx.State):
    rows: list[CustomerOrderRow] = []
    profile: Profile = Profile()
    missing: bool = False
    _customer_id: int = 0

    def _fetch(self, actor: User | None, params: PageParams) -> Page[OrderPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        filters = OrderFilters(customer_id=self._customer_id)
        return orders.list_orders(actor, params, filters=filters)

    def _row(self, item: OrderPublic) -> CustomerOrderRow:
        return CustomerOrderRow(
            id=item.id,
            lines=", ".join(f"{i.quantity} x {i.product_name}" for i in item.items),
            total=money(item.total),
            status=item.status.value,
            placed=moment(item.created_at),
        )

    @rx.event
    async def open(self):
        """on_load: the customer in the address, then the first page of their orders."""
        user_id = id_in_path(self.router.url.path)
        if user_id != self._customer_id:
            self.rows, self.page, self.loaded = [], 1, False
        self.profile, self.missing = Profile(), False
        if user_id is None:
            self.missing = True
            return None
        try:
            actor = await self._actor()
            seen = await run_in_threadpool(customers.customer_overview, actor, user_id)
        except NotFound:
            self.missing = True
            return None
        except DomainError as exc:
            return self._failed(exc, on_load=True)
        self._customer_id = user_id
        self.profile = Profile(
            id=seen.profile.id,
            name=seen.profile.name,
            email=seen.profile.email,
            role=seen.profile.role.value,
            joined=moment(seen.profile.created_at),
            order_count=seen.order_count,
            lifetime_spend=money(seen.lifetime_spend),
            last_order=moment(seen.last_order_at) if seen.last_order_at else "never",
        )
        return self._reload()


def _figure(label: str, value: rx.Var, figure_id: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2"),
        rx.text(value, size="5", weight="bold", id=figure_id),
        flex="1 1 10em",
    )


def _profile() -> rx.Component:
    profile = CustomerState.profile
    return rx.flex(
        rx.flex(
            rx.heading(profile.name, as_="h2", size="5", id="customer-name"),
            rx.badge(profile.role, variant="surface"),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.text(profile.email, id="customer-email"),
        rx.text("Joined " + profile.joined, size="2", color_scheme="gray", high_contrast=True),
        rx.flex(
            _figure("Orders", profile.order_count, "customer-order-count"),
            _figure("Lifetime spend", profile.lifetime_spend, "customer-spend"),
            _figure("Last order", profile.last_order, "customer-last-order"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        direction="column",
        spacing="2",
        width="100%",
    )


def _order_row(row: rx.Var[CustomerOrderRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                "#" + row.id.to_string(),
                href="/admin/orders/" + row.id.to_string(),
                underline="always",
                weight="medium",
                aria_label="Order " + row.id.to_string(),
            )
        ),
        rx.table.cell(row.lines, min_width="12em"),
        rx.table.cell(row.total, white_space="nowrap"),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(row.placed, white_space="nowrap"),
        id="customer-order-" + row.id.to_string(),
    )


def _orders() -> rx.Component:
    state = CustomerState
    return rx.flex(
        rx.flex(
            rx.heading("Orders", as_="h2", size="4"),
            busy(state.loading),
            align="center",
            spacing="3",
        ),
        list_feedback(state),
        data_table(
            ("Order", "Lines", "Total", "Status", "Placed"),
            state.rows,
            _order_row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No orders yet.",
            actions=False,
        ),
        pagination(state),
        direction="column",
        spacing="3",
        width="100%",
    )


@admin_page(routes.ADMIN_USER, "Customer", on_load=CustomerState.open)
def admin_customer() -> rx.Component:
    state = CustomerState
    return rx.cond(
        state.missing,
        rx.flex(
            rx.callout("There is no user with this id.", icon="search-x", id="customer-not-found"),
            link_button("All users", routes.ADMIN_USERS, variant="soft", align_self="start"),
            direction="column",
            spacing="3",
        ),
        rx.cond(
            state.profile.id > 0,
            rx.flex(_profile(), _orders(), direction="column", spacing="5", width="100%"),
            rx.cond(state.error == "", loading()),
        ),
    )
