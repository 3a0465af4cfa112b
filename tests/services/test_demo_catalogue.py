"""The demo catalogue ships whole: every product in a category, with a picture of its own that
loads through the same checks as an upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from oms_app.models.common import PageParams
from oms_app.services import categories, products
from oms_app.services.bootstrap import load_demo_data
from oms_app.services.demo_catalogue import DEMO_CATEGORIES, DEMO_PRODUCTS, demo_picture

pytestmark = pytest.mark.usefixtures("database")


def test_every_demo_product_has_one_category_and_a_picture():
    names = [name for name, *_ in DEMO_PRODUCTS]
    in_categories = [name for members in DEMO_CATEGORIES.values() for name in members]
    assert sorted(in_categories) == sorted(names)
    for name in names:
        with Image.open(demo_picture(name)) as picture:
            assert (picture.format, picture.size) == ("WEBP", (800, 800))


def test_loading_the_demo_catalogue_once(monkeypatch, tmp_path):
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(tmp_path))
    load_demo_data()
    load_demo_data()  # a later start leaves it alone
    listed = products.list_products(PageParams(limit=100))
    assert listed.total == len(DEMO_PRODUCTS)
    assert all(p.category is not None and p.thumbnail_url for p in listed.data)
    for product in listed.data:
        assert (tmp_path / product.thumbnail_url.removeprefix("/_upload/")).is_file()
    counts = {c.name: c.product_count for c in categories.all_categories()}
    assert counts == {name: len(members) for name, members in DEMO_CATEGORIES.items()}
    assert len(list(Path(tmp_path, "products").iterdir())) == 2 * len(DEMO_PRODUCTS)
