"""/admin/users: every account, paged; promote or demote, and delete after a confirmation."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import admin_page, busy, data_table
from oms_app.components.format import moment
from oms_app.components.pagination import pagination
from oms_app.core.errors import DomainError
from oms_app.models.common import PageParams
from oms_app.models.user import UserPublic
from oms_app.services import users
from oms_app.state.admin import AdminState
from oms_app.state.pagination import PagedState
from oms_app.state.session import SessionState

PAGE_SIZE = 10


class UserRow(BaseModel):
    id: int
    name: str
    email: str
    role: str
    joined: str

    @classmethod
    def of(cls, user: UserPublic) -> UserRow:
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role.value,
            joined=moment(user.created_at),
        )


class UsersAdminState(PagedState, AdminState):
    rows: list[UserRow] = []
    busy_id: int = 0
    confirm_id: int = 0
    confirm_name: str = ""

    @rx.event
    async def load(self):
        self.loading = True
        yield
        try:
            actor = await self._actor()
            result = await run_in_threadpool(
                users.list_users, actor, PageParams(page=self.page, limit=PAGE_SIZE)
            )
        except DomainError as exc:
            if not self._silent_on_load(exc):
                yield self._failed(exc)
            return
        finally:
            self.loading = False
        if not self._accept(result):
            yield UsersAdminState.load
            return
        self.rows = [UserRow.of(u) for u in result.data]

    @rx.event
    async def toggle_role(self, user_id: int):
        self.busy_id = user_id
        yield
        try:
            actor = await self._actor()
            changed = await run_in_threadpool(users.toggle_role, actor, user_id)
        except DomainError as exc:
            yield self._failed(exc)
            return
        finally:
            self.busy_id = 0
        yield rx.toast.success(
            f"{changed.name} is now {'an admin' if changed.role == 'admin' else 'a shopper'}."
        )
        if changed.id == actor.id:
            # Stepping down takes effect here at once: the guard re-reads the role.
            yield SessionState.check_login
        yield UsersAdminState.load

    @rx.event
    def ask_delete(self, user_id: int, name: str):
        self.confirm_id, self.confirm_name = user_id, name

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_id, self.confirm_name = 0, ""

    @rx.event
    async def delete_confirmed(self):
        user_id, name = self.confirm_id, self.confirm_name
        self.confirm_id, self.confirm_name = 0, ""
        self.busy_id = user_id
        yield
        try:
            actor = await self._actor()
            await run_in_threadpool(users.delete_user, actor, user_id)
        except DomainError as exc:
            yield self._failed(exc)
            return
        finally:
            self.busy_id = 0
        yield rx.toast.success(f"Deleted {name}. Their orders are kept.")
        if user_id == actor.id:
            # The account behind this login is gone; the login goes with it.
            yield SessionState.logout
            return
        yield UsersAdminState.load


def _row(row: UserRow) -> rx.Component:
    state = UsersAdminState
    is_admin = row.role == "admin"
    return rx.table.row(
        rx.table.cell(row.id),
        rx.table.row_header_cell(
            rx.flex(
                rx.text(row.name, weight="medium"),
                rx.cond(row.id == SessionState.user_id, rx.badge("you", variant="outline")),
                spacing="2",
                align="center",
            ),
            white_space="nowrap",
        ),
        rx.table.cell(row.email),
        rx.table.cell(
            rx.badge(row.role, color_scheme=rx.cond(is_admin, "purple", "gray"), variant="soft")
        ),
        rx.table.cell(row.joined, white_space="nowrap"),
        rx.table.cell(
            rx.flex(
                rx.button(
                    rx.cond(is_admin, "Remove admin", "Make admin"),
                    on_click=state.toggle_role(row.id),
                    loading=state.busy_id == row.id,
                    size="1",
                    variant="soft",
                ),
                rx.button(
                    "Delete",
                    on_click=state.ask_delete(row.id, row.name),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                ),
                spacing="2",
            )
        ),
        id=f"user-{row.id}",
    )


def _confirm_dialog() -> rx.Component:
    state = UsersAdminState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete user"),
            rx.alert_dialog.description(
                "Delete ",
                rx.text.strong(state.confirm_name),
                "? They can no longer log in. Their orders stay in the history.",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Delete", color_scheme="red", on_click=state.delete_confirmed)
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="28em",
        ),
        open=state.confirm_id != 0,
        on_open_change=state.set_confirm_open,
    )


def _content() -> rx.Component:
    state = UsersAdminState
    return rx.box(
        rx.flex(
            rx.text(
                "Admins manage the shop; shoppers place orders. "
                "The last admin can be neither demoted nor deleted.",
                size="2",
                color_scheme="gray",
            ),
            busy(state.loading),
            spacing="3",
            align="center",
            margin_bottom="1em",
        ),
        data_table(
            ("ID", "Name", "Email", "Role", "Joined", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No users.",
        ),
        pagination(state),
        _confirm_dialog(),
    )


@rx.page(
    route=routes.ADMIN_USERS,
    title="Users · OMS admin",
    on_load=[SessionState.check_login, UsersAdminState.load],
)
def page() -> rx.Component:
    return admin_page(_content(), title="Users", route=routes.ADMIN_USERS)
