"""The create/edit product dialog of /admin/products: its state (mixed into the page's list
state, so a save reads the list again) and its components.

An existing product's image is uploaded as soon as it is chosen (dropped or picked), without
Save: the browser posts it to Reflex's upload endpoint (whose body the hardening middleware
caps), and `upload_image` hands it to services/product_images.py, which reads at most one byte
past its limit and decodes in a worker thread.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import reflex_adapter
from oms_app.components.confirm import confirm_button
from oms_app.components.forms import (
    dialog_actions,
    field_error,
    field_label,
    inline_error,
    labelled_input,
)
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.models.product import ProductCreate, ProductUpdate
from oms_app.services import categories, product_images, products
from oms_app.state.form import FormState

FIELDS = ("name", "price", "stock", "description")
NO_CATEGORY = "none"  # the select's "no category" (a select item's value cannot be empty)
UPLOAD_ID = "product-image-upload"
ACCEPTED = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
_MB = product_images.MAX_IMAGE_BYTES // 2**20
_SIDE = product_images.MAX_IMAGE_SIDE
IMAGE_RULES = f"JPEG, PNG or WebP, at most {_MB} MB and {_SIDE}\u00d7{_SIDE} pixels."
# What the browser's own check (react-dropzone) refused, said as the server would say it.
_REJECTED = {
    "file-too-large": f"The image is larger than {_MB} MB.",
    "file-invalid-type": "The file is not a JPEG, PNG or WebP image.",
    "too-many-files": "Choose one image.",
}


class CategoryChoice(BaseModel):
    value: str  # the id, as text
    label: str


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


class ProductRow(BaseModel):
    id: int
    name: str
    description: str
    price: str
    price_value: str
    stock: int
    low_stock: bool
    updated: str
    category_id: int = 0  # 0: none
    category: str = ""
    thumbnail_url: str = ""


class ProductForm(FormState, mixin=True):
    """Needs the list state's `rows` and `_actor`, and `_saved(created)`: the updates after a
    save (a list read again)."""

    dialog_open: bool = False
    editing_id: int = 0  # 0: a new product
    values: dict[str, str] = {}
    category_choices: list[CategoryChoice] = []
    # The edited product's image as it is on the server (its thumbnail), "" when none.
    image_preview: str = ""
    image_error: str = ""
    upload_percent: int = 0
    uploading: bool = False
    checking_image: bool = False

    async def _open(self, editing_id: int, values: dict[str, str], preview: str = "") -> None:
        self.editing_id, self.values, self.errors = editing_id, values, {}
        self.image_preview, self.image_error = preview, ""
        self.uploading, self.checking_image, self.upload_percent = False, False, 0
        try:
            found = await run_in_threadpool(categories.all_categories)
        except DomainError:
            found = []
        self.category_choices = [CategoryChoice(value=str(c.id), label=c.name) for c in found]
        self.dialog_open = True

    @rx.event
    async def open_create(self):
        await self._open(
            0,
            {
                "name": "",
                "price": "",
                "stock": "0",
                "description": "",
                "category_id": NO_CATEGORY,
            },
        )

    @rx.event
    async def open_edit(self, product_id: int):
        row = next((r for r in self.rows if r.id == product_id), None)
        if row is None:
            return rx.toast.error("That product is no longer on this page; reload and try again.")
        values = {"name": row.name, "price": row.price_value, "stock": str(row.stock)}
        category = str(row.category_id) if row.category_id else NO_CATEGORY
        await self._open(
            row.id,
            {**values, "description": row.description, "category_id": category},
            row.thumbnail_url,
        )
        return None

    @rx.event
    def set_dialog_open(self, is_open: bool):
        if not self.submitting:
            self.dialog_open = is_open is True

    @rx.event
    async def save(self, form_data: dict[str, str]):
        # Keep what was typed, so a failed save does not wipe the form.
        form = form_data if isinstance(form_data, dict) else {}
        self.values = {field: str(form.get(field, ""))[:2000].strip() for field in FIELDS}
        category = str(form.get("category_id", NO_CATEGORY))[:20].strip()
        self.values["category_id"] = category
        creating = self.editing_id == 0
        fields: dict[str, object] = {f: self.values[f] for f in FIELDS}
        # "No category" is null: an edit takes the product out of its category.
        fields["category_id"] = None if category in ("", NO_CATEGORY) else category
        data = self._parse(ProductCreate if creating else ProductUpdate, fields)
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

    # --- the image ------------------------------------------------------------------------------

    @rx.event
    def upload_progress(self, progress: dict):
        """The browser's upload progress ({loaded, total, progress} with progress 0..1)."""
        value = progress.get("progress") if isinstance(progress, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            return
        self.upload_percent = round(min(max(float(value), 0.0), 1.0) * 100)
        # These arrive over the socket while the file goes over HTTP, so the last of them may
        # land after `upload_image` has answered: only a part-way one may change what is shown.
        self.uploading = self.upload_percent < 100
        if self.uploading:
            self.image_error = ""

    @rx.event
    def image_rejected(self, codes: list):
        """The browser refused the file before sending it (too large, not an image type);
        `codes` are react-dropzone's reasons (see `_rejection_codes`)."""
        given = [c for c in (codes if isinstance(codes, list) else [])[:10] if isinstance(c, str)]
        self.uploading = False
        self.image_error = next(
            (_REJECTED[c] for c in given if c in _REJECTED), "This file cannot be used."
        )

    @rx.event
    async def upload_image(self, files: list[rx.UploadFile]):
        """An image was chosen for the product being edited: it replaces the product's image
        at once, or the server's refusal is shown and the product keeps the one it had."""
        self.uploading, self.upload_percent = False, 0
        if isinstance(files, list) and not files:
            # react-dropzone calls this with nothing when it refused the file itself;
            # `image_rejected` says why.
            return
        product_id = self.editing_id
        chosen = _one_file(files)
        if product_id == 0 or chosen is None:
            self.image_error = (
                "Save the product first, then add its image."
                if product_id == 0
                else "Choose one image."
            )
            return
        self.image_error, self.checking_image = "", True
        yield
        try:
            actor = await self._actor()
            saved = await run_in_threadpool(
                product_images.set_product_image_from_file, actor, product_id, chosen
            )
        except NotAuthenticated as exc:
            yield self._failed(exc)
            return
        except DomainError as exc:
            self.image_error = _sentence(exc.message)
            return
        finally:
            self.checking_image = False
        if self.editing_id == product_id:
            self.image_preview = saved.thumbnail_url or ""
        yield rx.toast.success(f"Image of “{saved.name}” saved.")
        async for update in self._saved(False):
            yield update

    @rx.event
    async def remove_image(self):
        product_id = self.editing_id
        if product_id == 0:
            return
        try:
            actor = await self._actor()
            saved = await run_in_threadpool(product_images.remove_product_image, actor, product_id)
        except NotAuthenticated as exc:
            yield self._failed(exc)
            return
        except DomainError as exc:
            self.image_error = _sentence(exc.message)
            return
        self.image_preview, self.image_error = "", ""
        yield rx.toast.success(f"Image of “{saved.name}” removed.")
        async for update in self._saved(False):
            yield update


def _one_file(files: Any) -> Any:
    """The one uploaded file's binary stream; None for anything else (no file, several, or
    what a crafted event sends in place of an upload)."""
    if not isinstance(files, list) or len(files) != 1:
        return None
    stream = getattr(files[0], "file", None)
    return stream if callable(getattr(stream, "read", None)) else None


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
            rx.cond(state.editing_id != 0, _image_section(state), _image_later()),
            max_width="32em",
        ),
        open=state.dialog_open,
        on_open_change=state.set_dialog_open,
    )


def _image_later() -> rx.Component:
    return rx.text(
        "Save the product first; then open Edit to add its image.",
        size="2",
        color_scheme="gray",
        high_contrast=True,
        margin_top="1em",
    )


def _image_section(state: type[ProductForm]) -> rx.Component:
    """The product's image: what it is now, and a drop zone that replaces it when a file is
    dropped or picked."""
    return rx.flex(
        rx.separator(size="4"),
        rx.heading("Image", as_="h3", size="3"),
        rx.flex(
            rx.cond(
                state.image_preview != "",
                rx.image(
                    src=state.image_preview,
                    alt="Current image of " + state.values["name"],
                    width="6em",
                    height="6em",
                    object_fit="contain",
                    background="var(--gray-a2)",
                    border_radius="var(--radius-2)",
                    id="image-preview",
                ),
                rx.center(
                    rx.text("No image", size="1", color_scheme="gray", high_contrast=True),
                    width="6em",
                    height="6em",
                    background="var(--gray-a3)",
                    border_radius="var(--radius-2)",
                    id="no-image",
                ),
            ),
            reflex_adapter.label_file_input(
                _drop_zone(state), "Product image: JPEG, PNG or WebP file"
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.cond(
            state.uploading & ~state.checking_image,
            rx.flex(
                rx.progress(value=state.upload_percent, max=100, aria_label="Upload progress"),
                rx.text("Uploading… ", state.upload_percent, "%", size="1"),
                direction="column",
                spacing="1",
                role="status",
            ),
        ),
        rx.cond(
            state.checking_image,
            rx.flex(
                rx.spinner(size="2", aria_hidden="true"),
                rx.text("Checking the image…", size="2"),
                spacing="2",
                align="center",
                role="status",
            ),
        ),
        inline_error(state.image_error, id="image-error"),
        rx.cond(
            state.image_preview != "",
            rx.box(
                confirm_button(
                    "Remove image",
                    title="Remove the image?",
                    question="Shoppers will see the product without a picture.",
                    confirm_label="Remove image",
                    on_confirm=state.remove_image,
                    size="1",
                ),
            ),
        ),
        direction="column",
        spacing="3",
        margin_top="1em",
    )


def _drop_zone(state: type[ProductForm]) -> rx.Component:
    """Drop a file here, or press "Choose image": either uploads it at once."""
    return rx.upload.root(
        rx.flex(
            rx.icon("image-up", size=20, aria_hidden="true"),
            rx.text("Drop an image here, or", size="2"),
            rx.button("Choose image", type="button", variant="soft", size="2"),
            rx.text(IMAGE_RULES, size="1", color_scheme="gray", high_contrast=True),
            direction="column",
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept=ACCEPTED,
        multiple=False,
        max_files=1,
        max_size=product_images.MAX_IMAGE_BYTES,
        # The button inside is the keyboard's way in (the zone itself is no button).
        no_keyboard=True,
        on_drop=state.upload_image(
            rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=state.upload_progress)
        ),
        on_drop_rejected=lambda rejected: state.image_rejected(_rejection_codes(rejected)),
        border="1px dashed var(--gray-a8)",
        border_radius="var(--radius-3)",
        padding="0.75em",
        flex="1",
        cursor="pointer",
    )


def _rejection_codes(rejected: rx.Var) -> rx.Var:
    """Only the reasons of react-dropzone's refusals go to the server: each refusal also holds
    the File, which the socket would otherwise carry along, whatever its size."""
    return rx.Var(f"{rejected}.flatMap((r) => (r.errors || []).map((e) => String(e.code)))").to(
        list[str]
    )
