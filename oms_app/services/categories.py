"""Categories: admins name them, shoppers filter the catalogue by them.

A category's slug is derived from its name (and follows renames); slugs are unique, which also
keeps names unique in any case. Category answers count live products, so they are cached in the
catalogue's list namespace, which every product, stock and category change invalidates.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlalchemy import delete, false, func, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.category import MAX_SLUG, Category, CategoryPublic, CategoryWrite
from oms_app.models.common import MAX_INT32, Page, PageParams, utcnow
from oms_app.models.product import Product
from oms_app.services import audit
from oms_app.services.catalogue_cache import LIST_NAMESPACE, cached_json, cached_json_async
from oms_app.services.catalogue_cache import invalidate as invalidate_lists
from oms_app.services.permissions import Actor, require

CategoryPage = Page[CategoryPublic]
# Letters that Unicode does not decompose into ASCII but every reader would spell out.
_SPELLED_OUT = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})


def slugify(name: str) -> str:
    """The URL name of a category: lower-case ASCII words joined by hyphens.

    Never all digits (a number in `?category=` is an id), never empty: a name with no Latin
    letter or digit gets a stable code derived from it instead.
    """
    lowered = name.strip().lower()
    folded = unicodedata.normalize("NFKD", lowered.translate(_SPELLED_OUT))
    ascii_only = folded.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:MAX_SLUG].rstrip("-")
    if not slug:
        return "c-" + hashlib.sha256(lowered.encode()).hexdigest()[:10]
    return f"c-{slug}"[:MAX_SLUG] if slug.isdigit() else slug


# --- reading -------------------------------------------------------------------------------


def _product_count():
    return (
        select(func.count())
        .select_from(Product)
        .where(Product.category_id == Category.id, Product.is_deleted == false())
        .scalar_subquery()
    )


def _query_page(params: PageParams) -> CategoryPage:
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(Category)).one()
        rows = session.exec(
            select(Category, _product_count())
            .order_by(func.lower(Category.name), Category.id)
            .offset(params.offset)
            .limit(params.limit)
        ).all()
    return CategoryPage.of([_public(category, count) for category, count in rows], total, params)


def _public(category: Category, product_count: int) -> CategoryPublic:
    return CategoryPublic(
        id=category.id, name=category.name, slug=category.slug, product_count=product_count
    )


def _page_key(params: PageParams) -> str:
    return f"categories:{params.page}:{params.limit}"


def list_categories_json(params: PageParams) -> bytes:
    return cached_json(
        LIST_NAMESPACE, _page_key(params), lambda: _query_page(params).model_dump_json().encode()
    )


async def list_categories_json_async(params: PageParams) -> bytes:
    """`list_categories_json` for the event loop (see `catalogue_cache.cached_json_async`)."""
    return await cached_json_async(
        LIST_NAMESPACE, _page_key(params), lambda: _query_page(params).model_dump_json().encode()
    )


def list_categories(params: PageParams) -> CategoryPage:
    """A page of categories by name, each with its number of live products."""
    return CategoryPage.model_validate_json(list_categories_json(params))


def all_categories() -> list[CategoryPublic]:
    """Every category by name, for the catalogue's filter and the admin's select."""
    params = PageParams(page=1, limit=100)
    first = list_categories(params)
    pages = [first]
    for number in range(2, first.total_pages + 1):
        pages.append(list_categories(PageParams(page=number, limit=100)))
    return [category for page in pages for category in page.data]


def resolve(session: Session, ref: str) -> int | None:
    """The id of the category an `?category=` value names (an id or a slug), None if none."""
    if ref.isdigit():
        category_id = int(ref)
        if not 1 <= category_id <= MAX_INT32:
            return None
        return session.exec(select(Category.id).where(Category.id == category_id)).first()
    return session.exec(select(Category.id).where(Category.slug == ref.lower())).first()


def require_exists(session: Session, category_id: int) -> None:
    """For a product being put in a category: that category must exist (and stay, until the
    product's transaction ends: the row is share-locked, so a concurrent delete waits)."""
    found = session.exec(
        select(Category.id).where(Category.id == category_id).with_for_update(key_share=True)
    ).first()
    if found is None:  # as an order naming a missing product: the thing named is not found
        raise NotFound(f"Category {category_id} not found")


# --- changing ------------------------------------------------------------------------------


def create_category(actor: Actor, data: CategoryWrite) -> CategoryPublic:
    require(actor, Scope.PRODUCTS_WRITE)
    slug = slugify(data.name)
    try:
        with session_scope() as session:
            _refuse_duplicate(session, data.name, slug, None)
            category = Category(name=data.name, slug=slug)
            session.add(category)
            session.flush()
            audit.record(
                session,
                actor,
                "category.create",
                "category",
                category.id,
                {"name": (None, category.name), "slug": (None, slug)},
            )
            created = _public(category, 0)
    except IntegrityError:  # created by someone else between the check and the insert
        raise _duplicate(data.name) from None
    invalidate_lists()
    return created


def update_category(actor: Actor, category_id: int, data: CategoryWrite) -> CategoryPublic:
    """Rename a category; its slug follows the new name."""
    require(actor, Scope.PRODUCTS_WRITE)
    slug = slugify(data.name)
    try:
        with session_scope() as session:
            category = _lock(session, category_id)
            _refuse_duplicate(session, data.name, slug, category_id)
            before = audit.snapshot(category, ("name", "slug"))
            category.name, category.slug, category.updated_at = data.name, slug, utcnow()
            session.flush()
            if changed := audit.diff(before, audit.snapshot(category, ("name", "slug"))):
                audit.record(session, actor, "category.update", "category", category_id, changed)
            updated = _public(category, _live_count(session, category_id))
    except IntegrityError:
        raise _duplicate(data.name) from None
    # Products show the category's name: every cached list and product answer is stale.
    invalidate_lists(_product_ids(category_id))
    return updated


def delete_category(actor: Actor, category_id: int) -> None:
    """Delete a category no live product uses; soft-deleted products lose it."""
    require(actor, Scope.PRODUCTS_WRITE)
    name = f"#{category_id}"
    try:
        with session_scope() as session:
            # The row lock makes products being put in this category wait for the outcome.
            category = _lock(session, category_id)
            name = category.name
            in_use = _live_count(session, category_id)
            if in_use:
                raise _in_use(name, in_use)
            session.execute(
                update(Product)
                .where(Product.category_id == category_id, Product.is_deleted == true())
                .values(category_id=None)
            )
            session.execute(delete(Category).where(Category.id == category_id))
            audit.record(
                session,
                actor,
                "category.delete",
                "category",
                category_id,
                audit.removed(audit.snapshot(category, ("name", "slug"))),
            )
    except IntegrityError:
        # A deleted product was restored meanwhile and still points here (foreign key).
        raise _in_use(name, 1) from None
    invalidate_lists()


def _lock(session: Session, category_id: int) -> Category:
    category = session.exec(
        select(Category).where(Category.id == category_id).with_for_update()
    ).first()
    if category is None:
        raise NotFound("Category not found")
    return category


def _live_count(session: Session, category_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Product)
        .where(Product.category_id == category_id, Product.is_deleted == false())
    ).one()


def _refuse_duplicate(session: Session, name: str, slug: str, own_id: int | None) -> None:
    clash = session.exec(
        select(Category).where(
            (func.lower(Category.name) == name.lower()) | (Category.slug == slug)
        )
    ).first()
    if clash is None or clash.id == own_id:
        return
    if clash.name.lower() == name.lower():
        raise _duplicate(name)
    raise Conflict(
        f"'{name}' would have the same address ('{slug}') as the category '{clash.name}'; "
        "choose a more distinct name"
    )


def _duplicate(name: str) -> Conflict:
    return Conflict(f"A category named '{name}' already exists")


def _in_use(name: str, count: int) -> Conflict:
    products = "product uses" if count == 1 else "products use"
    return Conflict(f"Category '{name}' cannot be deleted: {count} {products} it")


def _product_ids(category_id: int) -> list[int]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Product.id).where(
                    Product.category_id == category_id, Product.is_deleted == false()
                )
            )
        )
