"""The create/edit product dialog of /admin/products: its state (mixed into the page's list
state, so a save reads the list again) and its components."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app.components.forms import field_error, field_label, labelled_input
from oms_app.core.errors import DomainError
from oms_app.models.product import ProductCreate, ProductUpdate
from oms_app.services import products
from oms_app.state.form import FormState

FIELDS = ("name", "price", "stock", "description")


class ProductRow(BaseModel):
    id: int
    name: str
    description: str
    price: str
    price_value: str
    stock: int
    low_stock: bool
    updated: str


class ProductForm(FormState, mixin=True):
    """Needs the list state's `rows` and `_actor`, and `_saved(created)`: the updates after a
    save (a list read again)."""

    dialog_open: bool = False
    editing_id: int = 0  # 0: a new product
    values: dict[str, str] = {}

    def _open(self, editing_id: int, values: dict[str, str]) -> None:
        self.editing_id, self.values, self.errors = editing_id, values, {}
        self.dialog_open = True

    @rx.event
    def open_create(self):
        self._open(0, {"name": "", "price": "", "stock": "0", "description": ""})

    @rx.event
    def open_edit(self, product_id: int):
        row = next((r for r in self.rows if r.id == product_id), None)
        if row is None:
            return rx.toast.error("That product is no longer on this page; reload and try again.")
        values = {"name": row.name, "price": row.price_value, "stock": str(row.stock)}
        self._open(row.id, {**values, "description": row.description})
        return None

    @rx.event
    def set_dialog_open(self, is_open: bool):
        if not self.submitting:
            self.dialog_open = is_open is True

    @rx.event
    async def save(self, form_data: dict[str, str]):
        # Keep what was typed, so a failed save does not wipe the form.
        self.values = {field: str(form_data.get(field, ""))[:2000].strip() for field in FIELDS}
        creating = self.editing_id == 0
        data = self._parse(ProductCreate if creating else ProductUpdate, self.values)
        if data is None:
            return
        self.submitting = True
        yield
        try:
            actor = await self._actor()
            if creating:
                saved = await run_in_threadpool(products.create_product, actor, data)
            else:
                saved = await run_in_threadpool(
                    products.update_product, actor, self.editing_id, data
                )
        except DomainError as exc:
            self._fail(exc.message)
            return
        finally:
            self.submitting = False
        self.dialog_open = False
        yield rx.toast.success(f"{'Created' if creating else 'Saved'} “{saved.name}”.")
        async for update in self._saved(creating):
            yield update


def edit_button(state: type[ProductForm], row: rx.Var[ProductRow]) -> rx.Component:
    return rx.button(
        "Edit",
        on_click=state.open_edit(row.id),
        size="1",
        variant="soft",
        aria_label="Edit " + row.name,
    )


def new_button(state: type[ProductForm]) -> rx.Component:
    return rx.button(
        rx.icon("plus", size=16, aria_hidden="true"), "New product", on_click=state.open_create
    )


def _form(state: type[ProductForm]) -> rx.Component:
    errors, values = state.errors, state.values
    return rx.form(
        rx.flex(
            labelled_input(
                "Name", "product-name", name="name", default_value=values["name"], max_length=255
            ),
            field_error(errors, "name", id="name-error"),
            rx.flex(
                rx.box(
                    labelled_input(
                        "Price",
                        "product-price",
                        name="price",
                        default_value=values["price"],
                        input_mode="decimal",
                        placeholder="9.99",
                    ),
                    field_error(errors, "price", id="price-error"),
                    flex="1",
                ),
                rx.box(
                    labelled_input(
                        "Stock",
                        "product-stock",
                        name="stock",
                        default_value=values["stock"],
                        input_mode="numeric",
                    ),
                    field_error(errors, "stock", id="stock-error"),
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
                    default_value=values["description"],
                    max_length=1000,
                    rows="4",
                    width="100%",
                ),
                direction="column",
                spacing="1",
                width="100%",
            ),
            field_error(errors, "description", id="description-error"),
            field_error(errors, "form", id="form-error"),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Save", type="submit", loading=state.submitting),
                spacing="3",
                justify="end",
                width="100%",
            ),
            direction="column",
            spacing="3",
        ),
        on_submit=state.save,
        # Re-mount per product, so the inputs' initial values are that product's.
        key=state.editing_id,
    )


def dialog(state: type[ProductForm]) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(state.editing_id == 0, "New product", "Edit product")),
            rx.dialog.description(
                "Price in dollars with up to 2 decimals; stock is the number on hand.",
                size="2",
                color_scheme="gray",
                margin_bottom="1em",
            ),
            _form(state),
            max_width="32em",
        ),
        open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )
