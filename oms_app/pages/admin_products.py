"""/admin/products: the catalogue, searched and paged server-side; create, edit, delete, restore."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.admin import admin_page, busy, data_table
from oms_app.components.format import moment, money
from oms_app.components.forms import field_label, inline_error, labelled_input
from oms_app.components.pagination import pagination
from oms_app.core.errors import DomainError
from oms_app.models.common import PageParams
from oms_app.models.product import ProductCreate, ProductPublic, ProductUpdate
from oms_app.services import products
from oms_app.services.dashboard import LOW_STOCK_THRESHOLD
from oms_app.state.admin import AdminState
from oms_app.state.pagination import PagedState
from oms_app.state.session import SessionState

PAGE_SIZE = 10
FIELDS = ("name", "price", "stock", "description")

# Pydantic's wording, said the way a form says it.
_MESSAGES = {
    "missing": "Required",
    "string_too_short": "Required",
    "decimal_parsing": "Enter a number, like 9.99",
    "decimal_type": "Enter a number, like 9.99",
    "greater_than": "Must be greater than 0",
    "decimal_max_places": "At most 2 decimals",
    "decimal_max_digits": "Too large",
    "int_parsing": "Enter a whole number",
    "int_from_float": "Enter a whole number",
    "greater_than_equal": "Must be 0 or more",
    "less_than_equal": "Too large",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The first problem with each field, keyed by field name."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        message = _MESSAGES.get(error["type"])
        if message is None and error["type"] == "string_too_long":
            message = f"At most {error.get('ctx', {}).get('max_length')} characters"
        errors.setdefault(field, message or error["msg"])
    return errors


class ProductRow(BaseModel):
    id: int
    name: str
    description: str
    price: str
    price_value: str
    stock: int
    updated: str

    @classmethod
    def of(cls, product: ProductPublic) -> ProductRow:
        return cls(
            id=product.id,
            name=product.name,
            description=product.description,
            price=money(product.price),
            price_value=f"{product.price:.2f}",
            stock=product.stock,
            updated=moment(product.updated_at),
        )


class ProductsAdminState(PagedState, AdminState):
    show_deleted: bool = False
    search: str = ""
    rows: list[ProductRow] = []
    busy_id: int = 0

    dialog_open: bool = False
    editing_id: int = 0  # 0: a new product
    form_name: str = ""
    form_price: str = ""
    form_stock: str = "0"
    form_description: str = ""
    name_error: str = ""
    price_error: str = ""
    stock_error: str = ""
    description_error: str = ""
    form_error: str = ""
    saving: bool = False

    # --- the list ------------------------------------------------------------------------

    @rx.event
    async def load(self):
        self.loading = True
        yield
        params = PageParams(page=self.page, limit=PAGE_SIZE)
        try:
            if self.show_deleted:
                actor = await self._actor()
                result = await run_in_threadpool(
                    products.list_deleted_products, actor, params, self.search
                )
            else:
                result = await run_in_threadpool(products.list_products, params, self.search)
        except DomainError as exc:
            if not self._silent_on_load(exc):
                yield self._failed(exc)
            return
        finally:
            self.loading = False
        if not self._accept(result):
            yield ProductsAdminState.load
            return
        self.rows = [ProductRow.of(p) for p in result.data]

    @rx.event
    def set_search(self, value: str):
        self.search = value[:255]
        self.page = 1
        return ProductsAdminState.load

    @rx.event
    def show_view(self, deleted: bool):
        self.show_deleted = deleted
        self.page = 1
        self.rows = []
        return ProductsAdminState.load

    # --- delete and restore ----------------------------------------------------------------

    @rx.event
    async def delete(self, product_id: int, name: str):
        self.busy_id = product_id
        yield
        try:
            actor = await self._actor()
            await run_in_threadpool(products.delete_product, actor, product_id)
        except DomainError as exc:
            yield self._failed(exc)
        else:
            yield rx.toast.success(f"Deleted “{name}”. It can be restored from Deleted products.")
        finally:
            self.busy_id = 0
        yield ProductsAdminState.load

    @rx.event
    async def restore(self, product_id: int, name: str):
        self.busy_id = product_id
        yield
        try:
            actor = await self._actor()
            await run_in_threadpool(products.restore_product, actor, product_id)
        except DomainError as exc:
            yield self._failed(exc)
        else:
            yield rx.toast.success(f"Restored “{name}”: it is back in the catalogue.")
        finally:
            self.busy_id = 0
        yield ProductsAdminState.load

    # --- the create / edit dialog ----------------------------------------------------------

    def _open_form(self, editing_id: int, name: str, price: str, stock: str, description: str):
        self.editing_id = editing_id
        self.form_name, self.form_price = name, price
        self.form_stock, self.form_description = stock, description
        self.name_error = self.price_error = self.stock_error = ""
        self.description_error = self.form_error = ""
        self.dialog_open = True

    @rx.event
    def open_create(self):
        self._open_form(0, "", "", "0", "")

    @rx.event
    def open_edit(self, product_id: int):
        row = next((r for r in self.rows if r.id == product_id), None)
        if row is None:
            return rx.toast.error("That product is no longer on this page; reload and try again.")
        self._open_form(row.id, row.name, row.price_value, str(row.stock), row.description)
        return None

    @rx.event
    def set_dialog_open(self, is_open: bool):
        if not self.saving:
            self.dialog_open = is_open

    @rx.event
    async def save(self, form_data: dict[str, str]):
        values = {field: str(form_data.get(field, "")).strip() for field in FIELDS}
        # Keep what was typed, so a failed save does not wipe the form.
        self.form_name, self.form_price = values["name"], values["price"]
        self.form_stock, self.form_description = values["stock"], values["description"]
        errors: dict[str, str] = {}
        try:
            data: ProductCreate | ProductUpdate = (
                ProductUpdate.model_validate(values)
                if self.editing_id
                else ProductCreate.model_validate(values)
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        self.name_error = errors.get("name", "")
        self.price_error = errors.get("price", "")
        self.stock_error = errors.get("stock", "")
        self.description_error = errors.get("description", "")
        self.form_error = ""
        if errors:
            return
        self.saving = True
        yield
        try:
            actor = await self._actor()
            if self.editing_id:
                saved = await run_in_threadpool(
                    products.update_product, actor, self.editing_id, data
                )
            else:
                saved = await run_in_threadpool(products.create_product, actor, data)
        except DomainError as exc:
            self.form_error = exc.message
            return
        finally:
            self.saving = False
        self.dialog_open = False
        verb = "Saved" if self.editing_id else "Created"
        yield rx.toast.success(f"{verb} “{saved.name}”.")
        if not self.editing_id:
            # A new product is the newest: it heads the unfiltered live list.
            self.show_deleted, self.search, self.page = False, "", 1
        yield ProductsAdminState.load


def _product_form() -> rx.Component:
    state = ProductsAdminState
    return rx.form(
        rx.flex(
            labelled_input(
                "Name", "product-name", name="name", default_value=state.form_name, max_length=255
            ),
            inline_error(state.name_error, id="name-error"),
            rx.flex(
                rx.box(
                    labelled_input(
                        "Price",
                        "product-price",
                        name="price",
                        default_value=state.form_price,
                        input_mode="decimal",
                        placeholder="9.99",
                    ),
                    inline_error(state.price_error, id="price-error"),
                    flex="1",
                ),
                rx.box(
                    labelled_input(
                        "Stock",
                        "product-stock",
                        name="stock",
                        default_value=state.form_stock,
                        input_mode="numeric",
                    ),
                    inline_error(state.stock_error, id="stock-error"),
                    flex="1",
                ),
                spacing="3",
                width="100%",
            ),
            rx.flex(
                field_label("Description", "product-description"),
                rx.text_area(
                    id="product-description",
                    name="description",
                    default_value=state.form_description,
                    max_length=1000,
                    rows="4",
                    width="100%",
                ),
                direction="column",
                spacing="1",
                width="100%",
            ),
            inline_error(state.description_error, id="description-error"),
            inline_error(state.form_error, id="form-error"),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Save", type="submit", loading=state.saving),
                spacing="3",
                justify="end",
                width="100%",
            ),
            direction="column",
            spacing="3",
        ),
        on_submit=ProductsAdminState.save,
        # Re-mount per product, so the inputs' initial values are that product's.
        key=state.editing_id,
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(ProductsAdminState.editing_id == 0, "New product", "Edit product")
            ),
            rx.dialog.description(
                "Price in dollars with up to 2 decimals; stock is the number on hand.",
                size="2",
                color_scheme="gray",
                margin_bottom="1em",
            ),
            _product_form(),
            max_width="32em",
        ),
        open=ProductsAdminState.dialog_open,
        on_open_change=ProductsAdminState.set_dialog_open,
    )


def _row_actions(row: ProductRow) -> rx.Component:
    state = ProductsAdminState
    working = state.busy_id == row.id
    return rx.cond(
        state.show_deleted,
        rx.button(
            "Restore",
            on_click=state.restore(row.id, row.name),
            loading=working,
            size="1",
            variant="soft",
            color_scheme="green",
        ),
        rx.flex(
            rx.button("Edit", on_click=state.open_edit(row.id), size="1", variant="soft"),
            rx.button(
                "Delete",
                on_click=state.delete(row.id, row.name),
                loading=working,
                size="1",
                variant="soft",
                color_scheme="red",
            ),
            spacing="2",
        ),
    )


def _row(row: ProductRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.id),
        rx.table.row_header_cell(
            rx.text(row.name, weight="medium"),
            rx.text(row.description, size="1", color_scheme="gray", trim="both", max_width="28em"),
            min_width="12em",
        ),
        rx.table.cell(row.price, white_space="nowrap"),
        rx.table.cell(
            rx.badge(
                row.stock,
                color_scheme=rx.cond(row.stock <= LOW_STOCK_THRESHOLD, "amber", "gray"),
                variant="soft",
            )
        ),
        rx.table.cell(row.updated, white_space="nowrap"),
        rx.table.cell(_row_actions(row)),
        data_product=row.name,
    )


def _table() -> rx.Component:
    state = ProductsAdminState
    return data_table(
        ("ID", "Name", "Price", "Stock", "Updated", ""),
        state.rows,
        _row,
        empty=(state.rows.length() == 0) & ~state.loading,
        empty_message=rx.cond(state.show_deleted, "No deleted products.", "No products match."),
    )


def _toolbar() -> rx.Component:
    state = ProductsAdminState
    return rx.flex(
        rx.flex(
            field_label("Search products", "admin-product-search"),
            rx.debounce_input(
                rx.input(
                    id="admin-product-search",
                    value=state.search,
                    on_change=state.set_search,
                    placeholder="Name contains…",
                    max_length=255,
                    width="100%",
                ),
                debounce_timeout=300,
            ),
            direction="column",
            spacing="1",
            flex="1 1 16em",
        ),
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
        rx.button(rx.icon("plus", size=16), "New product", on_click=state.open_create),
        spacing="3",
        align="end",
        wrap="wrap",
        width="100%",
        margin_bottom="1em",
    )


def _content() -> rx.Component:
    state = ProductsAdminState
    return rx.box(
        _toolbar(),
        _table(),
        pagination(state),
        _dialog(),
    )


@rx.page(
    route=routes.ADMIN_PRODUCTS,
    title="Products · OMS admin",
    on_load=[SessionState.check_login, ProductsAdminState.load],
)
def page() -> rx.Component:
    return admin_page(_content(), title="Products", route=routes.ADMIN_PRODUCTS)
