"""/admin/users: every account, paged; promote or demote, and delete, each after confirming."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel

from oms_app import routes
from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.templates import admin_page
from oms_app.models.common import Page, PageParams
from oms_app.models.user import Role, User, UserPublic
from oms_app.services import users
from oms_app.state.list_page import ListPageState
from oms_app.state.session import SessionState


class UserRow(BaseModel):
    id: int
    name: str
    email: str
    role: str
    joined: str


class UsersAdminState(ListPageState, rx.State):
    rows: list[UserRow] = []

    def _fetch(self, actor: User | None, params: PageParams) -> Page[UserPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return users.list_users(actor, params)

    def _row(self, item: UserPublic) -> UserRow:
        return UserRow(
            id=item.id,
            name=item.name,
            email=item.email,
            role=item.role.value,
            joined=moment(item.created_at),
        )

    @rx.event
    async def toggle_role(self, user_id: int):
        me = (await self.get_state(SessionState)).user_id
        return self._act(
            user_id,
            lambda actor: users.toggle_role(actor, user_id),
            lambda changed: (
                f"{changed.name} is now "
                + ("an admin." if changed.role == Role.ADMIN else "a shopper.")
            ),
            # Stepping down takes effect here at once: the guard re-reads the role.
            after=lambda changed: SessionState.check_login if changed.id == me else None,
        )

    @rx.event
    def delete(self, user_id: int, name: str):
        # Deleting one's own account ends this login: the reload after it finds no user and
        # sends the browser to /login.
        return self._act(
            user_id,
            lambda actor: users.delete_user(actor, user_id),
            lambda _: f"Deleted {name[:255]}. Their orders are kept.",
        )


def _row(row: UserRow) -> rx.Component:
    state = UsersAdminState
    is_admin = row.role == "admin"
    return rx.table.row(
        rx.table.cell(row.id),
        rx.table.row_header_cell(
            rx.flex(
                rx.link(
                    row.name,
                    href="/admin/users/" + row.id.to_string(),
                    weight="medium",
                    underline="always",
                ),
                rx.cond(row.id == SessionState.user_id, rx.badge("you", variant="outline")),
                spacing="2",
                align="center",
            ),
            white_space="nowrap",
        ),
        rx.table.cell(row.email),
        rx.table.cell(
            rx.badge(row.role, color_scheme=rx.cond(is_admin, "purple", "gray"), variant="surface")
        ),
        rx.table.cell(row.joined, white_space="nowrap"),
        actions_cell(
            confirm_button(
                rx.cond(is_admin, "Remove admin", "Make admin"),
                title=rx.cond(is_admin, "Remove admin rights?", "Make admin?"),
                question=rx.cond(
                    is_admin,
                    row.name + " will no longer manage the shop.",
                    row.name + " will manage products, orders and users.",
                ),
                confirm_label=rx.cond(is_admin, "Remove admin", "Make admin"),
                on_confirm=state.toggle_role(row.id),
                color_scheme="indigo",
                loading=state.busy_id == row.id,
                size="1",
            ),
            confirm_button(
                "Delete",
                title="Delete user",
                question=rx.text(
                    "Delete ",
                    rx.text.strong(row.name),
                    "? They can no longer log in. Their orders stay in the history.",
                ),
                confirm_label="Delete",
                on_confirm=state.delete(row.id, row.name),
                size="1",
            ),
        ),
        id=f"user-{row.id}",
    )


@admin_page(routes.ADMIN_USERS, "Users", on_load=UsersAdminState.load)
def admin_users() -> rx.Component:
    state = UsersAdminState
    return rx.box(
        rx.flex(
            rx.text(
                "Admins manage the shop; shoppers place orders. "
                "The last admin can be neither demoted nor deleted.",
                size="2",
            ),
            busy(state.loading),
            spacing="3",
            align="center",
            margin_bottom="1em",
        ),
        list_feedback(state),
        data_table(
            ("ID", "Name", "Email", "Role", "Joined", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No users.",
        ),
        pagination(state),
    )
