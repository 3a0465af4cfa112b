"""Product images over REST, with real files made here: what is accepted, how it is stored, and
every refusal (which must say why and leave the product as it was)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from oms_app.api.hardening import MAX_UPLOAD_BODY_BYTES
from oms_app.services.product_images import MAX_IMAGE_BYTES

EXIF_MAKE, EXIF_ORIENTATION, EXIF_GPS = 0x010F, 0x0112, 0x8825


@pytest.fixture(autouse=True)
def uploads(monkeypatch, tmp_path) -> Path:
    """A fresh upload directory per test, so what it holds is what this test left."""
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(tmp_path))
    return tmp_path


def picture(size=(800, 600), mode="RGB", fmt="PNG", **save) -> bytes:
    """A drawing (not a flat colour, so encoders have work to do)."""
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 8, size[1] // 8, size[0] // 2, size[1] // 2), fill="navy")
    draw.ellipse((size[0] // 3, size[1] // 3, size[0] - 5, size[1] - 5), fill="orange")
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def noise(size=(1000, 700)) -> bytes:
    """Random pixels: a PNG that cannot be compressed (about 3 bytes a pixel)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """20000x20000 pixels (400 million) in about 50 KB."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def product(make_product) -> dict:
    return make_product(name="Lamp")


@pytest.fixture
def upload(client, admin_headers):
    def _upload(product_id: int, data: bytes, name="photo.png", content_type="image/png"):
        return client.put(
            f"/api/v1/products/{product_id}/image",
            files={"file": (name, data, content_type)},
            headers=admin_headers,
        )

    return _upload


def stored(uploads: Path, url: str) -> Image.Image:
    assert url.startswith("/_upload/products/")
    return Image.open(uploads / url.removeprefix("/_upload/"))


def files(uploads: Path) -> set[str]:
    folder = uploads / "products"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_png_becomes_a_webp_and_a_400px_thumbnail(client, upload, product, uploads):
    response = upload(product["id"], picture((800, 600)))
    assert response.status_code == 200, response.text
    body = response.json()
    full, thumbnail = stored(uploads, body["image_url"]), stored(uploads, body["thumbnail_url"])
    assert (full.format, full.size) == ("WEBP", (800, 600))
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (400, 300))
    assert files(uploads) == {Path(body["image_url"]).name, Path(body["thumbnail_url"]).name}
    assert client.get(f"/api/v1/products/{product['id']}").json()["image_url"] == body["image_url"]


def test_names_are_random_whatever_the_upload_was_called(upload, product):
    first = upload(product["id"], picture(), name="../../etc/passwd.png").json()
    second = upload(product["id"], picture(), name="../../etc/passwd.png").json()
    assert "passwd" not in first["image_url"]
    assert first["image_url"] != second["image_url"]


def test_a_tall_image_keeps_its_aspect_and_a_small_one_grows_to_400(upload, make_product, uploads):
    tall = upload(make_product(name="Tall")["id"], picture((300, 1200))).json()
    assert stored(uploads, tall["thumbnail_url"]).size == (100, 400)
    small = upload(make_product(name="Small")["id"], picture((100, 50))).json()
    assert stored(uploads, small["thumbnail_url"]).size == (400, 200)


def test_jpeg_metadata_is_gone_and_its_rotation_applied(upload, product, uploads):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    exif[EXIF_ORIENTATION] = 6  # stored sideways: shown rotated by 90 degrees
    exif.get_ifd(EXIF_GPS)[2] = (51.0, 30.0, 0.0)
    data = picture((800, 600), fmt="JPEG", exif=exif, quality=90)
    assert Image.open(io.BytesIO(data)).getexif()[EXIF_MAKE] == "SpyCam 3000"
    body = upload(product["id"], data, name="photo.jpg", content_type="image/jpeg").json()
    for url in (body["image_url"], body["thumbnail_url"]):
        image = stored(uploads, url)
        assert not image.getexif()
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert b"SpyCam" not in (uploads / url.removeprefix("/_upload/")).read_bytes()
    assert stored(uploads, body["image_url"]).size == (600, 800)


def test_webp_is_accepted_and_transparency_kept(upload, product, uploads):
    data = picture((500, 500), mode="RGBA", fmt="WEBP")
    body = upload(product["id"], data, name="x.webp", content_type="image/webp").json()
    thumbnail = stored(uploads, body["thumbnail_url"])
    assert thumbnail.mode == "RGBA"
    assert thumbnail.getpixel((2, 2))[3] == 0  # the transparent corner stays transparent


def test_the_declared_type_and_name_do_not_matter(upload, product):
    jpeg = picture(fmt="JPEG")
    response = upload(product["id"], jpeg, name="notes.txt", content_type="text/plain")
    assert response.status_code == 200


def test_an_image_larger_than_the_general_body_limit_is_accepted(upload, product):
    data = noise()
    assert 1024 * 1024 < len(data) < MAX_IMAGE_BYTES
    assert upload(product["id"], data).status_code == 200


TEXT = b"Just some notes, definitely not a picture.\n" * 20
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><rect width="100" height="100" fill="red"/></svg>'
)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (TEXT, "photo.png", "image/png"),
        (HTML, "photo.png", "image/png"),
        (SVG, "logo.svg", "image/svg+xml"),
        (SVG, "logo.png", "image/png"),
    ],
    ids=["text-named-png", "html-named-png", "svg", "svg-named-png"],
)
def test_what_is_not_an_image_is_422(upload, product, uploads, data, name, content_type):
    response = upload(product["id"], data, name=name, content_type=content_type)
    assert response.status_code == 422
    assert response.json()["detail"] == "The file is not a JPEG, PNG or WebP image"
    assert files(uploads) == set()


def test_another_image_format_is_422(upload, product):
    response = upload(product["id"], picture(fmt="GIF"), name="a.gif", content_type="image/gif")
    assert response.status_code == 422
    assert "JPEG, PNG or WebP" in response.json()["detail"]


def test_too_many_pixels_is_422_naming_them(upload, product):
    response = upload(product["id"], picture((5000, 10)))
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "The image is 5000x10 pixels; the largest accepted is 4096x4096"
    )


def test_a_decompression_bomb_is_422_saying_so(upload, product, bomb):
    assert len(bomb) < 100_000
    response = upload(product["id"], bomb)
    assert response.status_code == 422
    assert "decompression bomb" in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_file_is_422(upload, product, fmt):
    data = picture((800, 600), fmt=fmt)
    response = upload(product["id"], data[: len(data) // 2])
    assert response.status_code == 422
    assert response.json()["detail"] in {
        "The image is damaged or incomplete and cannot be read",
        "The file is not a readable JPEG, PNG or WebP image",
    }


def test_an_empty_file_is_422(upload, product):
    response = upload(product["id"], b"")
    assert (response.status_code, response.json()["detail"]) == (422, "The file is empty")


def test_six_megabytes_is_413_before_anything_is_read(upload, product):
    response = upload(product["id"], os.urandom(6_000_000))
    assert response.status_code == 413
    # Refused on its declared length, by the body limit of upload routes, unread.
    assert response.json()["detail"] == f"Request body is larger than {MAX_UPLOAD_BODY_BYTES} bytes"


def test_one_byte_over_five_megabytes_is_413(upload, product):
    response = upload(product["id"], os.urandom(MAX_IMAGE_BYTES + 1))
    assert response.status_code == 413
    assert response.json()["detail"] == "The image is larger than 5 MB"


def test_other_routes_keep_the_small_body_limit(client, admin_headers, product):
    response = client.put(
        f"/api/v1/products/{product['id']}",
        content=b"x" * (2 * 1024 * 1024),
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_a_refused_upload_leaves_the_product_as_it_was(client, upload, product, uploads, bomb):
    kept = upload(product["id"], picture()).json()
    before = files(uploads)
    for data in (TEXT, SVG, bomb, picture((5000, 10)), os.urandom(6_000_000), b""):
        assert upload(product["id"], data).status_code in {413, 422}
    assert client.get(f"/api/v1/products/{product['id']}").json() == kept
    assert files(uploads) == before


def test_the_file_field_is_required(client, admin_headers, product):
    url = f"/api/v1/products/{product['id']}/image"
    assert client.put(url, headers=admin_headers).status_code == 422
    wrong_field = client.put(url, files={"image": ("a.png", picture())}, headers=admin_headers)
    assert wrong_field.status_code == 422
    not_multipart = client.put(url, json={"file": "aGVsbG8="}, headers=admin_headers)
    assert not_multipart.status_code == 422


def test_replacing_an_image_removes_the_old_files(upload, product, uploads):
    first = upload(product["id"], picture()).json()
    second = upload(product["id"], picture((640, 480))).json()
    assert files(uploads) == {Path(second["image_url"]).name, Path(second["thumbnail_url"]).name}
    assert first["image_url"] != second["image_url"]


def test_deleting_the_image_removes_its_files(client, admin_headers, upload, product, uploads):
    upload(product["id"], picture())
    url = f"/api/v1/products/{product['id']}/image"
    response = client.delete(url, headers=admin_headers)
    assert response.status_code == 200
    assert (response.json()["image_url"], response.json()["thumbnail_url"]) == (None, None)
    assert files(uploads) == set()
    again = client.delete(url, headers=admin_headers)
    assert (again.status_code, again.json()["image_url"]) == (200, None)


def test_only_admins_change_images(client, alice_headers, product, uploads):
    url = f"/api/v1/products/{product['id']}/image"
    upload = {"file": ("a.png", picture(), "image/png")}
    assert client.put(url, files=upload).status_code == 401
    assert client.put(url, files=upload, headers=alice_headers).status_code == 403
    assert client.delete(url, headers=alice_headers).status_code == 403
    assert files(uploads) == set()


def test_missing_and_deleted_products_are_404(client, admin_headers, upload, product, uploads):
    assert upload(999_999, picture()).status_code == 404
    client.delete(f"/api/v1/products/{product['id']}", headers=admin_headers)
    assert upload(product["id"], picture()).status_code == 404
    assert (
        client.delete(f"/api/v1/products/{product['id']}/image", headers=admin_headers).status_code
        == 404
    )
    assert files(uploads) == set()


def test_cached_answers_show_a_new_image_at_once(client, upload, product):
    url = f"/api/v1/products/{product['id']}"
    assert client.get(url).json()["image_url"] is None  # cached now
    assert client.get("/api/v1/products/").json()["data"][0]["image_url"] is None
    body = upload(product["id"], picture()).json()
    assert client.get(url).json()["thumbnail_url"] == body["thumbnail_url"]
    assert client.get("/api/v1/products/").json()["data"][0]["image_url"] == body["image_url"]
