"""What the product dialog's upload handler accepts as an upload: exactly one file with a
readable stream. A crafted event can send anything in its place."""

from __future__ import annotations

import io

import pytest
import reflex as rx

from oms_app.pages.product_form.image_state import _one_file


def test_one_uploaded_file_is_taken() -> None:
    stream = io.BytesIO(b"image bytes")
    assert _one_file([rx.UploadFile(file=stream)]) is stream


@pytest.mark.parametrize(
    "files",
    [
        [],
        None,
        "files",
        {"file": "x"},
        [{"file": "x"}],
        [rx.UploadFile(file=io.BytesIO(b"a")), rx.UploadFile(file=io.BytesIO(b"b"))],
        [object()],
    ],
)
def test_anything_else_is_no_file(files: object) -> None:
    assert _one_file(files) is None
