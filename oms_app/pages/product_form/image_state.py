"""The product image's state, for the dialog editing an existing product: the upload's progress,
the browser's and the server's refusals, and the image saved or removed at once, without Save.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.services import product_images

_MB = product_images.MAX_IMAGE_BYTES // 2**20
_SIDE = product_images.MAX_IMAGE_SIDE
IMAGE_RULES = f"JPEG, PNG or WebP, at most {_MB} MB and {_SIDE}\u00d7{_SIDE} pixels."
# What the browser's own check (react-dropzone) refused, said as the server would say it.
_REJECTED = {
    "file-too-large": f"The image is larger than {_MB} MB.",
    "file-invalid-type": "The file is not a JPEG, PNG or WebP image.",
    "too-many-files": "Choose one image.",
}


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


class ProductImage(rx.State, mixin=True):
    """Needs ProductForm's `editing_id`, the list state's `_actor` and `_failed`, and
    `_saved(created)`: the updates after a save (a list read again)."""

    # The edited product's image as it is on the server (its thumbnail), "" when none.
    image_preview: str = ""
    image_error: str = ""
    upload_percent: int = 0
    uploading: bool = False
    checking_image: bool = False

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
        `codes` are react-dropzone's reasons (see `_rejection_codes` in image.py)."""
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
