"""The catalogue: listing and search (cached), admin edits, soft delete and restore.

Cached answers are kept as the JSON the API sends, so a hit costs one Redis round trip and no
validation or serialisation. Every change to a product, or to its stock, invalidates the list
namespace and that product's own namespace (see `oms_app.core.cache`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from anyio import to_thread
from sqlalchemy import false, func, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from oms_app.core.cache import get_cache
from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, NotFound
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.product import Product, ProductCreate, ProductPublic, ProductUpdate
from oms_app.models.user import User
from oms_app.services.permissions import require_admin
from oms_app.services.search import normalise_search

LIST_NAMESPACE = "products"
ProductPage = Page[ProductPublic]


def _detail_namespace(product_id: int) -> str:
    return f"product:{product_id}"


def invalidate(product_ids: Iterable[int]) -> None:
    """Forget every cached answer that shows these products (lists included)."""
    get_cache().invalidate(LIST_NAMESPACE, *(_detail_namespace(pid) for pid in product_ids))


def _search_filter(search: str) -> ColumnElement[bool]:
    # % and _ are literal characters to our users, not wildcards.
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Product.name.ilike(f"%{escaped}%", escape="\\")


def _list_key(params: PageParams, search: str | None) -> str:
    # A search is never confused with "no search", whatever its text (even "none").
    term = "all" if search is None else "q" + hashlib.sha256(search.lower().encode()).hexdigest()
    return f"{params.page}:{params.limit}:{term}"


def list_products_json(params: PageParams, search: str | None = None) -> bytes:
    """The public catalogue page as JSON bytes, from the cache when possible."""
    search = normalise_search(search)
    slot, cached = get_cache().get(LIST_NAMESPACE, _list_key(params, search))
    if cached is not None:
        return cached
    return _build_list_json(params, search, slot)


async def list_products_json_async(params: PageParams, search: str | None = None) -> bytes:
    """`list_products_json` for the event loop: a hit is answered without leaving the loop; a
    miss queries the database in a worker thread.

    The hit reads Redis with the blocking client, on purpose. A local GET takes ~0.1 ms, much
    less than the hop to a worker thread and back that it saves (measured: 1.8x the cached
    throughput). redis.asyncio was tried and rejected: its timeout runs on the event loop, so
    when worker threads hold the GIL the loop lags, healthy reads time out, the cache switches
    itself off and every request falls to the database (measured: a collapse to ~50 req/s).
    The blocking client's timeout is the kernel's. The price: a hanging Redis stalls this
    worker's loop once, for the cache's short timeout, before the cache stands aside.
    """
    search = normalise_search(search)
    slot, cached = get_cache().get(LIST_NAMESPACE, _list_key(params, search))
    if cached is not None:
        return cached
    return await to_thread.run_sync(_build_list_json, params, search, slot)


def _build_list_json(params: PageParams, search: str | None, slot: str | None) -> bytes:
    body = _query_page(params, search, deleted=False).model_dump_json().encode()
    get_cache().put(slot, body)
    return body


def list_products(params: PageParams, search: str | None = None) -> ProductPage:
    return ProductPage.model_validate_json(list_products_json(params, search))


def list_deleted_products(
    actor: User, params: PageParams, search: str | None = None
) -> ProductPage:
    require_admin(actor)
    return _query_page(params, normalise_search(search), deleted=True)


def _query_page(params: PageParams, search: str | None, deleted: bool) -> ProductPage:
    conditions = [Product.is_deleted == deleted]
    if search is not None:
        conditions.append(_search_filter(search))
    order = (Product.created_at.desc(), Product.id.desc())
    with session_scope() as session:
        if search is not None:
            return _query_search_page(session, params, conditions)
        total = session.exec(select(func.count()).select_from(Product).where(*conditions)).one()
        rows = session.exec(
            select(Product)
            .where(*conditions)
            .order_by(*order)
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return ProductPage.of([ProductPublic.model_validate(p) for p in rows], total, params)


def _query_search_page(
    session: Session, params: PageParams, conditions: list[ColumnElement[bool]]
) -> ProductPage:
    """A search page and its exact total from ONE trigram index scan.

    Counting and paging separately scans the trigram index and rechecks every matching row
    twice, and that scan is most of a search's cost. Here the matches (id and sort key only) are
    collected once (PostgreSQL materialises a CTE used twice), counted, and only the page's rows
    are fetched in full.
    """
    matches = select(Product.id, Product.created_at).where(*conditions).cte("matches")
    total = select(func.count()).select_from(matches).scalar_subquery()
    page = (
        select(matches.c.id)
        .order_by(matches.c.created_at.desc(), matches.c.id.desc())
        .offset(params.offset)
        .limit(params.limit)
        .subquery("page")
    )
    rows = session.execute(
        select(Product, total)
        .join(page, Product.id == page.c.id)
        .order_by(Product.created_at.desc(), Product.id.desc())
    ).all()
    if rows:
        count = rows[0][1]
    elif params.offset == 0:
        count = 0
    else:  # a page past the end carries no row to read the total from
        count = session.exec(select(func.count()).select_from(matches)).one()
    return ProductPage.of([ProductPublic.model_validate(r[0]) for r in rows], count, params)


def get_product_json(product_id: int) -> bytes:
    slot, cached = get_cache().get(_detail_namespace(product_id), "detail")
    if cached is not None:
        return cached
    return _build_product_json(product_id, slot)


async def get_product_json_async(product_id: int) -> bytes:
    """`get_product_json` for the event loop (see `list_products_json_async`)."""
    slot, cached = get_cache().get(_detail_namespace(product_id), "detail")
    if cached is not None:
        return cached
    return await to_thread.run_sync(_build_product_json, product_id, slot)


def _build_product_json(product_id: int, slot: str | None) -> bytes:
    with session_scope() as session:
        body = ProductPublic.model_validate(_load_live(session, product_id)).model_dump_json()
    get_cache().put(slot, body.encode())
    return body.encode()


def get_product(product_id: int) -> ProductPublic:
    return ProductPublic.model_validate_json(get_product_json(product_id))


def create_product(actor: User, data: ProductCreate) -> ProductPublic:
    require_admin(actor)
    with session_scope() as session:
        product = Product(**data.model_dump())
        session.add(product)
        session.flush()
        created = ProductPublic.model_validate(product)
    invalidate([created.id])
    return created


def update_product(actor: User, product_id: int, data: ProductUpdate) -> ProductPublic:
    require_admin(actor)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    with session_scope() as session:
        product = _load_live(session, product_id, lock=True)
        for field, value in changes.items():
            setattr(product, field, value)
        product.updated_at = utcnow()
        session.flush()
        updated = ProductPublic.model_validate(product)
    invalidate([product_id])
    return updated


def delete_product(actor: User, product_id: int) -> None:
    require_admin(actor)
    _set_deleted(product_id, deleted=True)


def restore_product(actor: User, product_id: int) -> ProductPublic:
    require_admin(actor)
    return _set_deleted(product_id, deleted=False)


def _set_deleted(product_id: int, deleted: bool) -> ProductPublic:
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
        result = ProductPublic.model_validate(changed)
    invalidate([product_id])
    return result


def _load_live(session: Session, product_id: int, lock: bool = False) -> Product:
    statement = select(Product).where(Product.id == product_id, Product.is_deleted == false())
    if lock:
        statement = statement.with_for_update()
    product = session.exec(statement).first()
    if product is None:
        raise NotFound("Product not found")
    return product
