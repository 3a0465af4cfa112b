"""Product images: an upload is judged by decoding it, never by its name or declared type.

Accepted: JPEG, PNG or WebP, at most 5 MB and 4096x4096 pixels. What is kept is not the upload
but a re-encoding of its pixels (WebP, upright, sRGB, no metadata: EXIF, GPS and colour profiles
are gone) and a thumbnail whose longest side is 400 px, both under random names in the upload
directory. The product row points at them only once both are written; the files an image
replaces are removed after the change commits, so a failed upload leaves everything as it was.

Decoding and encoding are CPU work and block: call these functions from a worker thread (REST
routes are plain `def`s; Reflex handlers use `run_in_threadpool`), never on the event loop.
"""

from __future__ import annotations

import io
import logging
import secrets
import threading
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from oms_app.core.db import session_scope
from oms_app.core.errors import InvalidInput, PayloadTooLarge
from oms_app.core.uploads import upload_dir
from oms_app.models.api_key import Scope
from oms_app.models.common import utcnow
from oms_app.models.product import ProductPublic
from oms_app.services import audit
from oms_app.services.catalogue_cache import invalidate
from oms_app.services.permissions import Actor, require
from oms_app.services.products import load_live

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
THUMBNAIL_SIDE = 400
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
IMAGE_FOLDER = "products"
# A 4096x4096 image takes 64 MB decoded: a few at a time per process, however many arrive.
_DECODING = threading.BoundedSemaphore(2)
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class EncodedImage:
    full: bytes
    thumbnail: bytes
    width: int
    height: int


def set_product_image(actor: Actor, product_id: int, data: bytes) -> ProductPublic:
    """Give a product this image (replacing any other). Blocking: see the module's note."""
    require(actor, Scope.PRODUCTS_WRITE)
    with session_scope() as session:  # a missing product is refused before any decoding
        load_live(session, product_id)
    return attach_image(product_id, data, actor)


def set_product_image_from_file(actor: Actor, product_id: int, file: BinaryIO) -> ProductPublic:
    """`set_product_image` reading an upload, never more than one byte past the limit."""
    require(actor, Scope.PRODUCTS_WRITE)
    return set_product_image(actor, product_id, file.read(MAX_IMAGE_BYTES + 1))


def remove_product_image(actor: Actor, product_id: int) -> ProductPublic:
    """Take a product's image away (nothing happens when it has none)."""
    require(actor, Scope.PRODUCTS_WRITE)
    return _replace_paths(product_id, None, None, actor)


def attach_image(product_id: int, data: bytes, actor: Actor | None = None) -> ProductPublic:
    """The work behind `set_product_image`, without the permission check: without an `actor`
    for start-up work (the demo catalogue) only, which the audit log does not record.
    Anything else goes through `set_product_image`."""
    encoded = encode_image(data)
    full, thumbnail = _write(encoded)
    try:
        return _replace_paths(product_id, full, thumbnail, actor)
    except BaseException:
        _remove(full, thumbnail)
        raise


def encode_image(data: bytes) -> EncodedImage:
    """Check an upload and re-encode it, or raise InvalidInput / PayloadTooLarge saying why."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(f"The image is larger than {MAX_IMAGE_BYTES // 2**20} MB")
    if not data:
        raise InvalidInput("The file is empty")
    with _DECODING:
        image = _decode(data)
        try:
            return _encode(image)
        finally:
            image.close()


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise InvalidInput(
            "The image declares far more pixels than its file holds (a decompression bomb); "
            f"the largest accepted is {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE}"
        ) from None
    except UnidentifiedImageError:
        raise InvalidInput("The file is not a JPEG, PNG or WebP image") from None
    except Exception as exc:  # an untrusted file may trip any decoder error
        log.info("unreadable image header: %r", exc)
        raise InvalidInput("The file is not a readable JPEG, PNG or WebP image") from None
    width, height = image.size
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        image.close()
        raise InvalidInput(
            f"The image is {width}x{height} pixels; "
            f"the largest accepted is {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE}"
        )
    try:
        image.load()  # the first frame only: an animation's other frames are never decoded
    except Exception as exc:
        image.close()
        log.info("unreadable image data: %r", exc)
        raise InvalidInput("The image is damaged or incomplete and cannot be read") from None
    return image


def _encode(image: Image.Image) -> EncodedImage:
    upright = ImageOps.exif_transpose(image) or image  # EXIF is about to go: apply its rotation
    pixels = _to_srgb(upright)
    pixels.info = {}  # nothing of the upload's metadata may reach the output
    thumbnail = pixels.resize(_thumbnail_size(pixels.size), Image.Resampling.LANCZOS)
    return EncodedImage(
        full=_webp(pixels, 85),
        thumbnail=_webp(thumbnail, 80),
        width=pixels.width,
        height=pixels.height,
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    mode = "RGBA" if _has_alpha(image) else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in {"RGB", "RGBA", "CMYK"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            log.info("colour profile ignored: %r", exc)  # a broken profile: take the raw pixels
    return image.convert(mode)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info


def _thumbnail_size(size: tuple[int, int]) -> tuple[int, int]:
    """The longest side becomes THUMBNAIL_SIDE, the other keeps the aspect (at least 1 px)."""
    width, height = size
    scale = THUMBNAIL_SIDE / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


# --- files and the product row -------------------------------------------------------------


def _write(encoded: EncodedImage) -> tuple[str, str]:
    folder = upload_dir() / IMAGE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    full, thumbnail = f"{IMAGE_FOLDER}/{name}.webp", f"{IMAGE_FOLDER}/{name}-thumb.webp"
    (folder / f"{name}.webp").write_bytes(encoded.full)
    (folder / f"{name}-thumb.webp").write_bytes(encoded.thumbnail)
    return full, thumbnail


def _replace_paths(
    product_id: int, full: str | None, thumbnail: str | None, actor: Actor | None
) -> ProductPublic:
    with session_scope() as session:
        product = load_live(session, product_id, lock=True)
        replaced = (product.image_path, product.thumbnail_path)
        if replaced == (full, thumbnail):  # removing an image that is not there
            return ProductPublic.model_validate(product)
        product.image_path, product.thumbnail_path = full, thumbnail
        product.updated_at = utcnow()
        session.flush()
        if actor is not None:
            audit.record(
                session,
                actor,
                "product.image_remove" if full is None else "product.image_set",
                "product",
                product_id,
                {"image": (_file_name(replaced[0]), _file_name(full))},
            )
        result = ProductPublic.model_validate(product)
    _remove(*replaced)
    invalidate([product_id])
    return result


def _file_name(relative_path: str | None) -> str | None:
    return None if relative_path is None else relative_path.rsplit("/", 1)[-1]


def _remove(*relative_paths: str | None) -> None:
    """Delete files of the image folder; a path that leads anywhere else is left alone."""
    folder = (upload_dir() / IMAGE_FOLDER).resolve()
    for relative in filter(None, relative_paths):
        path = (upload_dir() / relative).resolve()
        if path.parent != folder:
            log.warning("not removing %s: outside the image folder", relative)
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s: %s", relative, exc)
