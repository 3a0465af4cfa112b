"""Categories and images under concurrent admins, on PostgreSQL with real threads."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, DomainError, NotFound
from oms_app.models.category import Category, CategoryWrite
from oms_app.models.product import Product, ProductCreate, ProductUpdate
from oms_app.models.user import Role
from oms_app.services import categories, product_images, products
from tests.services.test_concurrency import _run_together, _user

pytestmark = pytest.mark.usefixtures("database")


def test_one_name_created_at_once_makes_one_category():
    admin = _user("admin@example.com", Role.ADMIN)
    names = ["Lamps", "LAMPS", "lamps", "Lamps "] * 4
    results = _run_together(
        [lambda n=n: categories.create_category(admin, CategoryWrite(name=n)) for n in names]
    )
    created = [r for r in results if not isinstance(r, Exception)]
    assert len(created) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
    with session_scope() as session:
        assert len(session.exec(select(Category)).all()) == 1


def test_deleting_a_category_while_products_join_it_never_strands_one():
    """Each round races a delete against a product being put in the category: either the
    product joins and the delete is refused, or the delete wins and the product is refused."""
    admin = _user("admin@example.com", Role.ADMIN)
    for round_ in range(10):
        category = categories.create_category(admin, CategoryWrite(name=f"Race {round_}"))
        product = products.create_product(admin, ProductCreate(name=f"P{round_}", price="1.00"))
        delete, join = _run_together(
            [
                lambda c=category: categories.delete_category(admin, c.id),
                lambda c=category, p=product: products.update_product(
                    admin, p.id, ProductUpdate(category_id=c.id)
                ),
            ]
        )
        for outcome in (delete, join):  # a refusal, never a database error
            assert not isinstance(outcome, Exception) or isinstance(outcome, DomainError)
        if delete is None:
            assert isinstance(join, NotFound)
        else:
            assert isinstance(delete, Conflict)
            assert join.category.id == category.id
        with session_scope() as session:
            row = session.get(Product, product.id)
            assert row.category_id is None or session.get(Category, row.category_id) is not None


def test_images_uploaded_at_once_leave_one_image_and_no_stray_files(monkeypatch, tmp_path):
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(tmp_path))
    admin = _user("admin@example.com", Role.ADMIN)
    product = products.create_product(admin, ProductCreate(name="Lamp", price="1.00"))
    pictures = []
    for colour in ("red", "green", "blue", "black", "white", "navy"):
        out = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(out, "PNG")
        pictures.append(out.getvalue())
    results = _run_together(
        [
            lambda data=data: product_images.set_product_image(admin, product.id, data)
            for data in pictures
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    final = products.get_product(product.id)
    stored = {p.name for p in (tmp_path / "products").iterdir()}
    assert stored == {final.image_url.rsplit("/", 1)[1], final.thumbnail_url.rsplit("/", 1)[1]}
