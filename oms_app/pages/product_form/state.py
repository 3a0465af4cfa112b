"""The product dialog's state: opened for a new product or a row of the list, and saved through
the products service. The image has its own mixin (image_state.py)."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app.core.errors import DomainError
from oms_app.models.product import ProductCreate, ProductUpdate
from oms_app.pages.product_form.image_state import ProductImage
from oms_app.services import categories, products
from oms_app.state.form import DialogFormState

FIELDS = ("name", "price", "stock", "description")
NO_CATEGORY = "none"  # the select's "no category" (a select item's value cannot be empty)


class CategoryChoice(BaseModel):
    value: str  # the id, as text
    label: str


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


class ProductForm(ProductImage, DialogFormState, mixin=True):
    """Needs the list state's `rows` and `_actor`, and `_saved(created)`: the updates after a
    save (a list read again)."""

    editing_id: int = 0  # 0: a new product
    values: dict[str, str] = {}
    category_choices: list[CategoryChoice] = []

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
