"""/admin/categories: the categories shoppers filter by, with how many live products each has;
create, rename (in one dialog) and delete (after confirming; refused while products use it)."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.forms import dialog_actions, field_error, labelled_input
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.templates import admin_page
from oms_app.core.errors import Conflict, DomainError
from oms_app.models.category import MAX_CATEGORY_NAME, CategoryPublic, CategoryWrite
from oms_app.models.common import Page, PageParams
from oms_app.models.user import User
from oms_app.services import categories
from oms_app.state.form import DialogFormState, form_text
from oms_app.state.list_page import ListPageState


class CategoryRow(BaseModel):
    id: int
    name: str
    slug: str
    product_count: int


class CategoriesAdminState(DialogFormState, ListPageState, rx.State):
    rows: list[CategoryRow] = []
    editing_id: int = 0  # 0: a new category
    name_value: str = ""

    page_size = 20

    def _fetch(self, actor: User | None, params: PageParams) -> Page[CategoryPublic]:
        return categories.list_categories(params)

    def _row(self, item: CategoryPublic) -> CategoryRow:
        return CategoryRow(
            id=item.id, name=item.name, slug=item.slug, product_count=item.product_count
        )

    def _open(self, editing_id: int, name: str) -> None:
        self.editing_id, self.name_value, self.errors = editing_id, name, {}
        self.dialog_open = True

    @rx.event
    def open_create(self):
        self._open(0, "")

    @rx.event
    def open_rename(self, category_id: int):
        row = next((r for r in self.rows if r.id == category_id), None)
        if row is None:
            return rx.toast.error("That category is no longer on this page; reload and try again.")
        self._open(row.id, row.name)
        return None

    @rx.event
    async def save(self, form: dict):
        self.name_value = form_text(form, "name", MAX_CATEGORY_NAME * 4).strip()
        data = self._parse(CategoryWrite, {"name": self.name_value})
        if data is None:
            return
        creating, category_id = self.editing_id == 0, self.editing_id
        self.submitting = True
        yield
        try:
            actor = await self._actor()
            if creating:
                saved = await run_in_threadpool(categories.create_category, actor, data)
            else:
                saved = await run_in_threadpool(
                    categories.update_category, actor, category_id, data
                )
        except Conflict as exc:  # the name is taken (any case), or would share its address
            self._fail(exc.message, "name")
            return
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        self.dialog_open = False
        yield rx.toast.success(
            f"Created “{saved.name}”." if creating else f"Renamed to “{saved.name}”."
        )
        async for update in self._reload():
            yield update

    @rx.event
    def delete(self, category_id: int, name: str):
        return self._act(
            category_id,
            lambda actor: categories.delete_category(actor, category_id),
            lambda _: f"Deleted the category “{str(name)[:MAX_CATEGORY_NAME]}”.",
        )


def _row(row: CategoryRow) -> rx.Component:
    state = CategoriesAdminState
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row.name, weight="medium"), min_width="10em"),
        rx.table.cell(rx.code(row.slug, variant="ghost")),
        rx.table.cell(row.product_count),
        actions_cell(
            rx.button(
                "Rename",
                on_click=state.open_rename(row.id),
                size="1",
                variant="soft",
                aria_label="Rename " + row.name,
            ),
            confirm_button(
                "Delete",
                title="Delete the category “" + row.name + "”?",
                question=rx.cond(
                    row.product_count > 0,
                    "Products still use it: move them to another category first, "
                    "or the delete is refused.",
                    "Shoppers will no longer be able to filter by it. This cannot be undone.",
                ),
                confirm_label="Delete",
                on_confirm=state.delete(row.id, row.name),
                loading=state.busy_id == row.id,
                size="1",
            ),
        ),
        class_name="category-row",
        data_category=row.name,
    )


def _dialog() -> rx.Component:
    state = CategoriesAdminState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(state.editing_id == 0, "New category", "Rename category")),
            rx.dialog.description(
                f"1 to {MAX_CATEGORY_NAME} characters; no two categories share a name, "
                "in any case. Its address name follows the name.",
                size="2",
                color_scheme="gray",
                margin_bottom="1em",
            ),
            rx.form(
                rx.flex(
                    labelled_input(
                        "Name",
                        "category-name",
                        name="name",
                        default_value=state.name_value,
                        max_length=MAX_CATEGORY_NAME * 2,
                        auto_focus=True,
                    ),
                    field_error(state.errors, "name", id="category-name-error"),
                    field_error(state.errors, "form", id="category-form-error"),
                    dialog_actions(state.submitting),
                    direction="column",
                    spacing="3",
                ),
                on_submit=state.save,
                key=state.editing_id,
            ),
            max_width="28em",
        ),
        open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )


@admin_page(routes.ADMIN_CATEGORIES, "Categories", on_load=CategoriesAdminState.load)
def admin_categories() -> rx.Component:
    state = CategoriesAdminState
    return rx.box(
        rx.flex(
            rx.text("Shoppers filter the catalogue by these.", size="2"),
            busy(state.loading),
            rx.spacer(),
            rx.button(
                rx.icon("plus", size=16, aria_hidden="true"),
                "New category",
                on_click=state.open_create,
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            margin_bottom="1em",
        ),
        list_feedback(state),
        data_table(
            ("Name", "Address name", "Products", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No categories yet.",
        ),
        pagination(state),
        _dialog(),
    )
