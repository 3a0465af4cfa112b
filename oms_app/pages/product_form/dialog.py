"""The product dialog: its New product and Edit buttons, and the form of the product's fields,
with the image section below it once the product exists."""

from __future__ import annotations

import reflex as rx

from oms_app.components.forms import dialog_actions, field_error, field_label, labelled_input
from oms_app.pages.product_form.image import image_later, image_section
from oms_app.pages.product_form.state import NO_CATEGORY, ProductForm, ProductRow


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
            rx.flex(
                field_label("Category", "product-category"),
                rx.select.root(
                    rx.select.trigger(id="product-category", width="100%"),
                    rx.select.content(
                        rx.select.item("No category", value=NO_CATEGORY),
                        rx.foreach(
                            state.category_choices,
                            lambda c: rx.select.item(c.label, value=c.value),
                        ),
                    ),
                    name="category_id",
                    default_value=values["category_id"],
                ),
                direction="column",
                spacing="1",
                width="100%",
            ),
            field_error(errors, "category_id", id="category-error"),
            field_error(errors, "form", id="form-error"),
            dialog_actions(state.submitting),
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
            rx.cond(state.editing_id != 0, image_section(state), image_later()),
            max_width="32em",
        ),
        open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )
