"""/admin/products: the catalogue, searched and paged server-side, each product with its
thumbnail; create, edit, delete, restore."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.admin import actions_cell, busy, data_table
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment, money
from oms_app.components.forms import search_input
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.products import picture
from oms_app.components.templates import admin_page
from oms_app.models.common import Page, PageParams
from oms_app.models.product import ProductPublic
from oms_app.models.user import User
from oms_app.pages.product_form.dialog import dialog, edit_button, new_button
from oms_app.pages.product_form.state import ProductForm, ProductRow
from oms_app.services import products, stock_levels
from oms_app.state.list_page import ListPageState, Updates


class ProductsAdminState(ProductForm, ListPageState, rx.State):
    rows: list[ProductRow] = []
    show_deleted: bool = False
    search: str = ""

    def _fetch(self, actor: User | None, params: PageParams) -> Page[ProductPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        if self.show_deleted:
            return products.list_deleted_products(actor, params, self.search)
        return products.list_products(params, self.search)

    def _row(self, item: ProductPublic) -> ProductRow:
        return ProductRow(
            id=item.id,
            name=item.name,
            description=item.description,
            price=money(item.price),
            price_value=f"{item.price:.2f}",
            stock=item.stock,
            low_stock=stock_levels.is_low(item.stock),
            updated=moment(item.updated_at),
            category_id=item.category.id if item.category else 0,
            category=item.category.name if item.category else "",
            thumbnail_url=item.thumbnail_url or "",
        )

    @rx.event
    def set_search(self, value: str):
        self.search = value[:1000]  # the service says what is too long; this only bounds memory
        return self._filtered()

    @rx.event
    def show_view(self, deleted: bool):
        self.show_deleted = deleted is True
        self.rows = []
        return self._filtered()

    @rx.event
    def delete(self, product_id: int, name: str):
        return self._act(
            product_id,
            lambda actor: products.delete_product(actor, product_id),
            lambda _: f"Deleted “{name[:255]}”. It can be restored from Deleted products.",
        )

    @rx.event
    def restore(self, product_id: int, name: str):
        return self._act(
            product_id,
            lambda actor: products.restore_product(actor, product_id),
            lambda restored: f"Restored “{restored.name}”: it is back in the catalogue.",
        )

    def _saved(self, created: bool) -> Updates:
        """After the dialog saved: a new product is the newest, at the head of the live list."""
        if created:
            self.show_deleted, self.search = False, ""
            return self._filtered()
        return self._reload()


def _row_actions(row: ProductRow) -> rx.Component:
    state = ProductsAdminState
    working = state.busy_id == row.id
    return rx.cond(
        state.show_deleted,
        actions_cell(
            rx.button(
                "Restore",
                on_click=state.restore(row.id, row.name),
                loading=working,
                size="1",
                variant="soft",
                high_contrast=True,
                color_scheme="green",
            )
        ),
        actions_cell(
            edit_button(state, row),
            confirm_button(
                "Delete",
                title="Delete “" + row.name + "”?",
                question="Shoppers will no longer see or order it. "
                "You can restore it from Deleted products.",
                confirm_label="Delete",
                on_confirm=state.delete(row.id, row.name),
                loading=working,
                size="1",
            ),
        ),
    )


def _row(row: ProductRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.id),
        rx.table.row_header_cell(
            rx.flex(
                # The name beside it says what it shows: nothing more for a reader to hear.
                rx.box(picture(row.thumbnail_url, "", lazy=True), width="3.5em", flex_shrink="0"),
                rx.box(
                    rx.text(row.name, weight="medium"),
                    rx.text(
                        row.description,
                        size="1",
                        color_scheme="gray",
                        trim="both",
                        max_width="28em",
                    ),
                    rx.cond(
                        row.category != "",
                        rx.badge(row.category, variant="surface", size="1", high_contrast=True),
                    ),
                ),
                spacing="3",
                align="start",
            ),
            min_width="15em",
        ),
        rx.table.cell(row.price, white_space="nowrap"),
        rx.table.cell(
            rx.badge(
                row.stock, color_scheme=rx.cond(row.low_stock, "amber", "gray"), variant="surface"
            )
        ),
        rx.table.cell(row.updated, white_space="nowrap"),
        _row_actions(row),
        data_product=row.name,
    )


def _toolbar() -> rx.Component:
    state = ProductsAdminState
    return rx.flex(
        search_input("admin-product-search", state.search, state.set_search, flex="1 1 16em"),
        rx.flex(
            rx.button(
                "Live products",
                on_click=state.show_view(False),
                variant=rx.cond(state.show_deleted, "soft", "solid"),
            ),
            rx.button(
                "Deleted products",
                on_click=state.show_view(True),
                variant=rx.cond(state.show_deleted, "solid", "soft"),
            ),
            busy(state.loading),
            spacing="2",
            align="center",
        ),
        new_button(state),
        spacing="3",
        align="end",
        wrap="wrap",
        width="100%",
        margin_bottom="1em",
    )


@admin_page(routes.ADMIN_PRODUCTS, "Products", on_load=ProductsAdminState.load)
def admin_products() -> rx.Component:
    state = ProductsAdminState
    return rx.box(
        _toolbar(),
        list_feedback(state),
        data_table(
            ("ID", "Name", "Price", "Stock", "Updated", ""),
            state.rows,
            _row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message=rx.cond(state.show_deleted, "No deleted products.", "No products match."),
        ),
        pagination(state),
        dialog(ProductsAdminState),
    )
