"""The API keys section of /admin/integrations: mint a key with its scopes (its secret shown
once, with a Copy button), list the keys in use, revoke one after confirming."""

from __future__ import annotations

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
from oms_app.models.api_key import MAX_KEY_NAME, ApiKeyCreate, ApiKeyPublic, Scope
from oms_app.models.common import Page, PageParams
from oms_app.models.user import User
from oms_app.services import api_keys
from oms_app.state.form import FormState, form_text
from oms_app.state.form_errors import FORM
from oms_app.state.list_page import ListPageState

# What each scope lets a key do, in the words the form shows beside its checkbox.
SCOPE_HELP = {
    Scope.PRODUCTS_READ: "See deleted products",
    Scope.PRODUCTS_WRITE: "Create, edit, delete and restore products, images and categories",
    Scope.ORDERS_READ: "List, read and export orders",
    Scope.ORDERS_WRITE: "Place orders for customers, change status, address and notes",
    Scope.USERS_READ: "List and read user accounts",
    Scope.WEBHOOKS_MANAGE: "Manage webhook endpoints",
}


class KeyRow(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created: str
    last_used: str


class KeysState(ListPageState, FormState, rx.State):
    rows: list[KeyRow] = []
    # The secret of the key just created: shown until dismissed, then gone from everywhere.
    new_secret: str = ""
    new_name: str = ""
    form_key: int = 0  # a new value renders a fresh, empty form

    def _fetch(self, actor: User | None, params: PageParams) -> Page[ApiKeyPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return api_keys.list_keys(actor, params)

    def _row(self, item: ApiKeyPublic) -> KeyRow:
        return KeyRow(
            id=item.id,
            name=item.name,
            prefix=item.prefix,
            scopes=[scope.value for scope in item.scopes],
            created=moment(item.created_at),
            last_used="never" if item.last_used_at is None else moment(item.last_used_at),
        )

    @rx.event
    def open_page(self):
        """on_load: no secret of an earlier visit is shown again."""
        self.new_secret = self.new_name = ""
        self.errors = {}
        return self._reload()

    @rx.event
    async def create(self, form: dict[str, str]):
        scopes = [scope.value for scope in Scope if form_text(form, f"scope-{scope.value}").strip()]
        values = {"name": form_text(form, "name", MAX_KEY_NAME + 100).strip(), "scopes": scopes}
        data = self._parse(ApiKeyCreate, values)
        if data is None:
            if "scopes" in self.errors:
                self.errors = {**self.errors, "scopes": "Choose at least one scope."}
            return
        self.submitting = True
        yield
        try:
            actor = await self._actor()
            created = await run_in_threadpool(api_keys.create_key, actor, data)
        except DomainError as exc:
            self._fail(exc.message, FORM)
            yield self._failed(exc)
            return
        finally:
            self.submitting = False
        self.new_secret, self.new_name = created.secret, created.name
        self.form_key += 1
        yield rx.toast.success(f"Created the key {created.name}. Copy its secret now.")
        async for update in self._reload():
            yield update

    @rx.event
    def dismiss_secret(self):
        self.new_secret = self.new_name = ""
        return rx.toast.info("The secret is no longer shown anywhere.")

    @rx.event
    def revoke(self, key_id: int, name: str):
        return self._act(
            key_id,
            lambda actor: api_keys.revoke_key(actor, key_id),
            lambda _: f"Revoked {str(name)[:MAX_KEY_NAME]}. It no longer works.",
        )


def _scope_choice(scope: Scope) -> rx.Component:
    control_id = f"scope-{scope.value.replace(':', '-')}"
    return rx.flex(
        rx.el.input(
            type="checkbox",
            name=f"scope-{scope.value}",
            value="on",
            id=control_id,
            aria_describedby=f"{control_id}-help",
            style={"width": "1.1em", "height": "1.1em", "margin_top": "0.2em", "flex_shrink": "0"},
        ),
        rx.box(
            rx.el.label(
                rx.text(scope.value, as_="span", weight="medium", size="2"), html_for=control_id
            ),
            rx.text(SCOPE_HELP[scope], size="1", id=f"{control_id}-help"),
        ),
        spacing="2",
        align="start",
    )


def _create_form() -> rx.Component:
    state = KeysState
    return rx.form(
        rx.flex(
            labelled_input(
                "Key name",
                "api-key-name",
                name="name",
                placeholder="e.g. Warehouse ERP",
                max_length=MAX_KEY_NAME,
                required=True,
            ),
            field_error(state.errors, "name"),
            rx.el.fieldset(
                rx.el.legend(rx.text("Scopes", size="2", weight="medium")),
                rx.grid(
                    *(_scope_choice(scope) for scope in Scope),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="2",
                ),
                style={"border": "none", "padding": "0", "margin": "0"},
            ),
            field_error(state.errors, "scopes"),
            field_error(state.errors, FORM),
            rx.button("Create key", type="submit", loading=state.submitting, width="fit-content"),
            direction="column",
            spacing="3",
        ),
        key=state.form_key,
        on_submit=state.create,
        reset_on_submit=False,
    )


def _row(row: KeyRow) -> rx.Component:
    state = KeysState
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row.name, weight="medium")),
        rx.table.cell(rx.code(row.prefix + "…"), white_space="nowrap"),
        rx.table.cell(
            rx.flex(
                rx.foreach(row.scopes, lambda s: rx.badge(s, variant="surface")),
                spacing="1",
                wrap="wrap",
            ),
            min_width="10em",
        ),
        rx.table.cell(row.created, white_space="nowrap"),
        rx.table.cell(row.last_used, white_space="nowrap"),
        actions_cell(
            confirm_button(
                "Revoke",
                title="Revoke API key",
                question=rx.text(
                    "Revoke ",
                    rx.text.strong(row.name),
                    "? Every system using it is refused from now on. This cannot be undone.",
                ),
                confirm_label="Revoke",
                on_confirm=state.revoke(row.id, row.name),
                loading=state.busy_id == row.id,
                size="1",
            ),
        ),
        id=f"api-key-{row.id}",
    )


def keys_section() -> rx.Component:
    state = KeysState
    return rx.el.section(
        rx.flex(
            rx.heading("API keys", as_="h2", size="5"),
            busy(state.loading),
            spacing="3",
            align="center",
        ),
        rx.text(
            "Keys let other systems use the REST API (X-API-Key or Authorization: Bearer), "
            "each limited to its scopes. They never log in to these pages.",
            size="2",
            margin_y="0.5em",
        ),
        _create_form(),
        secret_shown_once(
            state.new_secret,
            label="Secret of " + state.new_name,
            control_id="api-key-secret",
            explanation=(
                "Only its start is kept to recognise it; a lost key must be revoked and replaced."
            ),
            on_done=state.dismiss_secret,
            callout_id="api-key-secret-callout",
        ),
        list_feedback(state),
        data_table(
            ("Name", "Prefix", "Scopes", "Created", "Last used", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No API keys yet.",
            margin_top="1em",
        ),
        pagination(state),
        aria_label="API keys",
        margin_bottom="2em",
    )
