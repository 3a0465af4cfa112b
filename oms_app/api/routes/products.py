"""/api/v1/products: the catalogue. Public reads are served from the cache as ready JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from oms_app.api.deps import CurrentUser
from oms_app.models.common import MAX_INT32, PageParams
from oms_app.models.product import ProductCreate, ProductPublic, ProductUpdate
from oms_app.services import products
from oms_app.services.products import ProductPage
from oms_app.services.search import SearchText

router = APIRouter(prefix="/products", tags=["products"])
ProductId = Annotated[int, Path(ge=1, le=MAX_INT32)]


class ProductQuery(PageParams):
    search: SearchText | None = None


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


@router.post("/", status_code=status.HTTP_201_CREATED, response_model=ProductPublic)
def create_product(user: CurrentUser, data: ProductCreate) -> ProductPublic:
    return products.create_product(user, data)


# The two public reads are async so that a cache hit (ready JSON bytes, returned untouched) is
# served on the event loop; the service runs a miss's database work in the thread pool.
@router.get("/", response_model=ProductPage)
async def list_products(query: Annotated[ProductQuery, Query()]) -> Response:
    """Live products, newest first; `search` matches a part of the name, any case."""
    return _json(await products.list_products_json_async(query, query.search))


@router.get("/deleted", response_model=ProductPage)
def list_deleted_products(
    user: CurrentUser, query: Annotated[ProductQuery, Query()]
) -> ProductPage:
    """Soft-deleted products, for admins to restore."""
    return products.list_deleted_products(user, query, query.search)


@router.get("/{product_id:int}", response_model=ProductPublic)
async def read_product(product_id: ProductId) -> Response:
    return _json(await products.get_product_json_async(product_id))


@router.put("/{product_id:int}", response_model=ProductPublic)
def update_product(user: CurrentUser, product_id: ProductId, data: ProductUpdate) -> ProductPublic:
    return products.update_product(user, product_id, data)


@router.delete("/{product_id:int}")
def delete_product(user: CurrentUser, product_id: ProductId) -> dict[str, str]:
    products.delete_product(user, product_id)
    return {"detail": "Product deleted"}


@router.put("/{product_id:int}/restore", response_model=ProductPublic)
def restore_product(user: CurrentUser, product_id: ProductId) -> ProductPublic:
    return products.restore_product(user, product_id)
