"""The catalogue: listing with filters, sorts and search (cached), admin edits, soft delete and
restore.

Every change to a product, or to its stock, invalidates the cached lists and that product's own
answers (see `oms_app.services.catalogue_cache`).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import false, func, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.product import (
    Product,
    ProductCreate,
    ProductFilters,
    ProductPublic,
    ProductSort,
    ProductUpdate,
)
from oms_app.services import audit, categories
from oms_app.services.catalogue_cache import (
    LIST_NAMESPACE,
    cached_json,
    cached_json_async,
    cached_only,
    detail_namespace,
    invalidate,
)
from oms_app.services.matching import contains
from oms_app.services.permissions import Actor, require
from oms_app.services.search import normalise_search

ProductPage = Page[ProductPublic]
NO_FILTERS = ProductFilters()


def _search_filter(search: str) -> ColumnElement[bool]:
    return contains(Product.name, search)


def _sort_keys(sort: ProductSort, id_, created_at, price, name) -> tuple:
    """ORDER BY for a sort, ties by id, over these columns (of the table or of a subquery).
    Each matches an index in `Product.__table_args__`."""
    if sort is ProductSort.PRICE:
        return (price.asc(), id_.asc())
    if sort is ProductSort.PRICE_DESC:
        return (price.desc(), id_.desc())
    if sort is ProductSort.NAME:
        return (func.lower(name).asc(), id_.asc())
    return (created_at.desc(), id_.desc())


def _list_key(params: PageParams, search: str | None, filters: ProductFilters) -> str:
    # A search is never confused with "no search", whatever its text (even "none").
    term = "all" if search is None else "q" + hashlib.sha256(search.lower().encode()).hexdigest()
    low, high = ("" if b is None else f"{b:.2f}" for b in (filters.min_price, filters.max_price))
    category = (filters.category or "").lower()
    stock = int(filters.in_stock)
    return f"{params.page}:{params.limit}:{term}:{category}:{low}:{high}:{stock}:{filters.sort}"


def list_products_json(
    params: PageParams, search: str | None = None, filters: ProductFilters | None = None
) -> bytes:
    """The public catalogue page as JSON bytes, from the cache when possible."""
    search, filters = normalise_search(search), filters or NO_FILTERS
    return cached_json(
        LIST_NAMESPACE,
        _list_key(params, search, filters),
        lambda: _query_page(params, search, False, filters).model_dump_json().encode(),
    )


async def list_products_json_async(
    params: PageParams, search: str | None = None, filters: ProductFilters | None = None
) -> bytes:
    """`list_products_json` for the event loop (see `catalogue_cache.cached_json_async`)."""
    search, filters = normalise_search(search), filters or NO_FILTERS
    return await cached_json_async(
        LIST_NAMESPACE,
        _list_key(params, search, filters),
        lambda: _query_page(params, search, False, filters).model_dump_json().encode(),
    )


def list_products(
    params: PageParams, search: str | None = None, filters: ProductFilters | None = None
) -> ProductPage:
    """Live products: a part of the name (`search`), narrowed and sorted by `filters`."""
    return ProductPage.model_validate_json(list_products_json(params, search, filters))


def list_deleted_products(
    actor: Actor, params: PageParams, search: str | None = None
) -> ProductPage:
    require(actor, Scope.PRODUCTS_READ)
    return _query_page(params, normalise_search(search), True, NO_FILTERS)


def _query_page(
    params: PageParams, search: str | None, deleted: bool, filters: ProductFilters
) -> ProductPage:
    conditions = [Product.is_deleted == deleted]
    with session_scope() as session:
        if filters.category:
            category_id = categories.resolve(session, filters.category)
            if category_id is None:  # an unknown category: nothing matches
                return ProductPage.of([], 0, params)
            conditions.append(Product.category_id == category_id)
        if filters.min_price is not None:
            conditions.append(Product.price >= filters.min_price)
        if filters.max_price is not None:
            conditions.append(Product.price <= filters.max_price)
        if filters.in_stock:
            conditions.append(Product.stock > 0)
        if search is not None:
            conditions.append(_search_filter(search))
            return _query_search_page(session, params, conditions, filters.sort)
        total = session.exec(select(func.count()).select_from(Product).where(*conditions)).one()
        rows = session.exec(
            select(Product)
            .where(*conditions)
            .order_by(*_sort_keys(filters.sort, *_columns(Product)))
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return ProductPage.of([ProductPublic.model_validate(p) for p in rows], total, params)


def _columns(source) -> tuple:
    return (source.id, source.created_at, source.price, source.name)


def _query_search_page(
    session: Session,
    params: PageParams,
    conditions: list[ColumnElement[bool]],
    sort: ProductSort,
) -> ProductPage:
    """A search page and its exact total from ONE trigram index scan.

    Counting and paging separately scans the trigram index and rechecks every matching row
    twice, and that scan is most of a search's cost. Here the matches (id and sort keys only)
    are collected once (PostgreSQL materialises a CTE used twice), counted, and only the page's
    rows are fetched in full.
    """
    matches = select(*_columns(Product)).where(*conditions).cte("matches")
    total = select(func.count()).select_from(matches).scalar_subquery()
    page = (
        select(matches.c.id)
        .order_by(*_sort_keys(sort, *_columns(matches.c)))
        .offset(params.offset)
        .limit(params.limit)
        .subquery("page")
    )
    rows = session.execute(
        select(Product, total)
        .join(page, Product.id == page.c.id)
        .order_by(*_sort_keys(sort, *_columns(Product)))
    ).all()
    if rows:
        count = rows[0][1]
    elif params.offset == 0:
        count = 0
    else:  # a page past the end carries no row to read the total from
        count = session.exec(select(func.count()).select_from(matches)).one()
    return ProductPage.of([ProductPublic.model_validate(r[0]) for r in rows], count, params)


def cached_page_json(params: PageParams) -> bytes | None:
    """The unfiltered catalogue page, only if the cache holds it (no database work)."""
    return cached_only(LIST_NAMESPACE, _list_key(params, None, NO_FILTERS))


def cached_product_json(product_id: int) -> bytes | None:
    """One product's answer, only if the cache holds it (no database work)."""
    return cached_only(detail_namespace(product_id), "detail")


def get_product_json(product_id: int) -> bytes:
    return cached_json(detail_namespace(product_id), "detail", lambda: _detail_json(product_id))


async def get_product_json_async(product_id: int) -> bytes:
    """`get_product_json` for the event loop (see `catalogue_cache.cached_json_async`)."""
    return await cached_json_async(
        detail_namespace(product_id), "detail", lambda: _detail_json(product_id)
    )


def _detail_json(product_id: int) -> bytes:
    with session_scope() as session:
        product = load_live(session, product_id)
        return ProductPublic.model_validate(product).model_dump_json().encode()


def get_product(product_id: int) -> ProductPublic:
    return ProductPublic.model_validate_json(get_product_json(product_id))


# What the audit log records of a product: what an admin can change.
AUDITED_FIELDS = ("name", "description", "price", "stock", "category_id")


def create_product(actor: Actor, data: ProductCreate) -> ProductPublic:
    require(actor, Scope.PRODUCTS_WRITE)
    with session_scope() as session:
        if data.category_id is not None:
            categories.require_exists(session, data.category_id)
        product = Product(**data.model_dump())
        session.add(product)
        session.flush()
        audit.record(
            session,
            actor,
            "product.create",
            "product",
            product.id,
            audit.created(audit.snapshot(product, AUDITED_FIELDS)),
        )
        created = ProductPublic.model_validate(product)
    invalidate([created.id])
    return created


def update_product(actor: Actor, product_id: int, data: ProductUpdate) -> ProductPublic:
    require(actor, Scope.PRODUCTS_WRITE)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "category_id" in data.model_fields_set:  # null here means "no category"
        changes["category_id"] = data.category_id
    with session_scope() as session:
        if changes.get("category_id") is not None:
            categories.require_exists(session, changes["category_id"])
        product = load_live(session, product_id, lock=True)
        before = audit.snapshot(product, AUDITED_FIELDS)
        for field, value in changes.items():
            setattr(product, field, value)
        product.updated_at = utcnow()
        session.flush()
        if changed := audit.diff(before, audit.snapshot(product, AUDITED_FIELDS)):
            audit.record(session, actor, "product.update", "product", product_id, changed)
        session.expire(product, ["category"])  # reload it for the new category_id
        updated = ProductPublic.model_validate(product)
    invalidate([product_id])
    return updated


def delete_product(actor: Actor, product_id: int) -> None:
    require(actor, Scope.PRODUCTS_WRITE)
    _set_deleted(actor, product_id, deleted=True)


def restore_product(actor: Actor, product_id: int) -> ProductPublic:
    require(actor, Scope.PRODUCTS_WRITE)
    return _set_deleted(actor, product_id, deleted=False)


def _set_deleted(actor: Actor, product_id: int, deleted: bool) -> ProductPublic:
    with session_scope() as session:
        changed = session.execute(
            update(Product)
            .where(Product.id == product_id, Product.is_deleted == (not deleted))
            .values(is_deleted=deleted, updated_at=utcnow())
            .returning(Product)
        ).scalar_one_or_none()
        if changed is None:
            exists = session.get(Product, product_id)
            if exists is None or deleted:
                raise NotFound("Product not found")
            raise Conflict("Product is not deleted")
        audit.record(
            session,
            actor,
            "product.delete" if deleted else "product.restore",
            "product",
            product_id,
            {"is_deleted": (not deleted, deleted)},
        )
        result = ProductPublic.model_validate(changed)
    invalidate([product_id])
    return result


def load_live(session: Session, product_id: int, lock: bool = False) -> Product:
    """A product that is not deleted (locked for update when asked), or NotFound."""
    statement = select(Product).where(Product.id == product_id, Product.is_deleted == false())
    if lock:
        statement = statement.with_for_update(of=Product)
    product = session.exec(statement).first()
    if product is None:
        raise NotFound("Product not found")
    return product
