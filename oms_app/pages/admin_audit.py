"""/admin/audit: who changed what, newest first. Its filters live in the URL query (shareable;
Back undoes them), and each change reads "field: before → after"."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app import routes
from oms_app.components.admin import busy, data_table
from oms_app.components.forms import field_error, field_label, labelled_input
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.templates import admin_page
from oms_app.models.audit import ActorKind, AuditEntryPublic, AuditFilters
from oms_app.models.common import Page, PageParams
from oms_app.models.user import User
from oms_app.services import audit
from oms_app.state.form import FormState, form_text
from oms_app.state.form_errors import FORM, field_errors
from oms_app.state.list_page import ListPageState

ANY = "any"
ENTITY_TYPES = [ANY, "product", "category", "user", "api_key", "webhook"]
ACTOR_KINDS = [ANY, *(kind.value for kind in ActorKind)]
# The URL query's names: the REST API's filters, so a link and an API call read alike.
QUERY_FIELDS = ("entity_type", "entity_id", "action", "actor_kind", "actor_id")
DATE_FIELDS = ("created_from", "created_to")
MAX_SHOWN = 120  # characters of one value in a change


class ChangeLine(BaseModel):
    field: str
    before: str
    after: str


class AuditRow(BaseModel):
    id: int
    when: str
    actor: str
    actor_kind: str
    actor_link: str
    action: str
    entity: str
    entity_link: str
    changes: list[ChangeLine]
    request_id: str
    client_address: str


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _link(**query: object) -> str:
    return f"{routes.ADMIN_AUDIT}?{urlencode(query)}"


def _plain_errors(exc: ValidationError) -> dict[str, str]:
    errors = field_errors(exc)
    if FORM in errors:  # the one rule across fields: the dates' order
        errors[FORM] = "The From date must not be after the To date."
    return errors


class AuditState(ListPageState, FormState, rx.State):
    rows: list[AuditRow] = []
    # The filters as the URL query has them (strings, "" for none), also the form's values.
    filters: dict[str, str] = {}
    page_size = 20

    def _filters(self) -> AuditFilters:
        return AuditFilters.model_validate({k: v for k, v in self.filters.items() if v})

    def _fetch(self, actor: User | None, params: PageParams) -> Page[AuditEntryPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return audit.list_entries(actor, params, self._filters())

    def _row(self, item: AuditEntryPublic) -> AuditRow:
        kind = item.actor.kind.value
        return AuditRow(
            id=item.id,
            when=item.created_at.strftime("%d %b %Y, %H:%M:%S UTC"),
            actor=item.actor.name + (" (API key)" if kind == ActorKind.API_KEY else ""),
            actor_kind=kind,
            actor_link=_link(actor_kind=kind, actor_id=item.actor.id or ""),
            action=item.action,
            entity=f"{item.entity_type} #{item.entity_id}" if item.entity_id else item.entity_type,
            entity_link=_link(entity_type=item.entity_type, entity_id=item.entity_id or ""),
            changes=[
                ChangeLine(field=field, before=_shown(pair[0]), after=_shown(pair[1]))
                for field, pair in item.changes.items()
                if isinstance(pair, list) and len(pair) == 2
            ],
            request_id=item.request_id or "",
            client_address=item.client_address or "",
        )

    @rx.event
    def open_page(self):
        """on_load: the filters come from the URL query; bad ones are said, not applied."""
        query = self.router.url.query_parameters
        self.filters = {
            field: str(query.get(field, ""))[:200] for field in (*QUERY_FIELDS, *DATE_FIELDS)
        }
        self.page = 1
        try:
            self._filters()
        except ValidationError as exc:
            self.errors = _plain_errors(exc)
            self.rows, self.total, self.total_pages = [], 0, 0
            self.loaded = True
            return rx.toast.error("Some filters in the address are not valid; fix them below.")
        self.errors = {}
        return self._reload()

    @rx.event
    def apply(self, form: dict[str, str]):
        """The filter form: checked here, then put in the URL, whose page load applies it."""
        values = {
            field: form_text(form, field, 200).strip() for field in (*QUERY_FIELDS, *DATE_FIELDS)
        }
        for field in ("entity_type", "actor_kind"):
            if values[field] == ANY:
                values[field] = ""
        self.filters = values
        try:
            AuditFilters.model_validate({k: v for k, v in values.items() if v})
        except ValidationError as exc:
            self.errors = _plain_errors(exc)
            return rx.toast.error("Check the filters marked below.")
        self.errors = {}
        return rx.redirect(_link(**{k: v for k, v in values.items() if v}))

    @rx.event
    def clear(self):
        return rx.redirect(routes.ADMIN_AUDIT)


def _select(label: str, field: str, options: list[str]) -> rx.Component:
    control_id = f"audit-{field.replace('_', '-')}"
    value = AuditState.filters.get(field, "")
    return rx.flex(
        field_label(label, control_id),
        rx.el.select(
            *(rx.el.option(option, value=option) for option in options),
            name=field,
            id=control_id,
            key=value,
            default_value=rx.cond(value == "", ANY, value),
            style={
                "min_height": "2.25em",
                "padding": "0 0.5em",
                "border": "1px solid var(--gray-a8)",
                "border_radius": "var(--radius-2)",
                "background": "var(--color-surface)",
                "color": "var(--gray-12)",
            },
        ),
        field_error(AuditState.errors, field),
        direction="column",
        spacing="1",
    )


def _input(label: str, field: str, **props: Any) -> rx.Component:
    value = AuditState.filters.get(field, "")
    return rx.box(
        labelled_input(
            label,
            f"audit-{field.replace('_', '-')}",
            name=field,
            default_value=value,
            key=value,
            size="2",
            **props,
        ),
        field_error(AuditState.errors, field),
    )


def _filter_form() -> rx.Component:
    return rx.form(
        rx.grid(
            _select("Entity type", "entity_type", ENTITY_TYPES),
            _input("Entity ID", "entity_id", max_length=64),
            _input("Action", "action", placeholder="e.g. product.update", max_length=64),
            _select("Actor kind", "actor_kind", ACTOR_KINDS),
            _input("Actor ID", "actor_id", inputmode="numeric", max_length=10),
            _input("From", "created_from", type="date"),
            _input("To", "created_to", type="date"),
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="3",
            width="100%",
        ),
        field_error(AuditState.errors, FORM),
        rx.flex(
            rx.button("Apply filters", type="submit"),
            rx.button("Clear filters", type="button", variant="soft", on_click=AuditState.clear),
            busy(AuditState.loading),
            spacing="2",
            align="center",
            margin_top="0.75em",
        ),
        on_submit=AuditState.apply,
        reset_on_submit=False,
        margin_bottom="1em",
    )


def _change(line: rx.Var[ChangeLine]) -> rx.Component:
    return rx.text(
        rx.text.strong(line.field),
        ": ",
        line.before,
        " → ",
        line.after,
        size="2",
        class_name="audit-change",
    )


def _row(row: AuditRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.when, white_space="nowrap"),
        rx.table.cell(rx.link(row.actor, href=row.actor_link)),
        rx.table.row_header_cell(rx.code(row.action)),
        rx.table.cell(rx.link(row.entity, href=row.entity_link), white_space="nowrap"),
        rx.table.cell(
            rx.foreach(row.changes, _change),
            rx.cond(row.changes.length() == 0, rx.text("—", size="2")),
            min_width="16em",
        ),
        rx.table.cell(
            rx.text(row.client_address, size="1"),
            rx.text(row.request_id, size="1", class_name="audit-request-id"),
        ),
        id=f"audit-{row.id}",
    )


@admin_page(routes.ADMIN_AUDIT, "Audit log", on_load=AuditState.open_page)
def admin_audit() -> rx.Component:
    state = AuditState
    return rx.box(
        rx.text(
            "Every change admins and API keys made to products, categories, users and keys, "
            "newest first. Click an actor or an entity to see only theirs.",
            size="2",
            margin_bottom="1em",
        ),
        _filter_form(),
        list_feedback(state),
        data_table(
            ("When", "Who", "Action", "What", "Changes", "From"),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No entries match.",
            actions=False,
        ),
        pagination(state),
    )
