"""/api/v1/products: the catalogue. Public reads are served from the cache as ready JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, UploadFile, status
from pydantic import ConfigDict

from oms_app.api.deps import CurrentActor
from oms_app.api.responses import raw_json
from oms_app.models.common import MAX_INT32, PageParams
from oms_app.models.product import ProductCreate, ProductFilters, ProductPublic, ProductUpdate
from oms_app.services import product_images, products
from oms_app.services.products import ProductPage
from oms_app.services.search import SearchText

router = APIRouter(prefix="/products", tags=["products"])
ProductId = Annotated[int, Path(ge=1, le=MAX_INT32)]
FILTER_FIELDS = set(ProductFilters.model_fields)


class SearchQuery(PageParams):
    search: SearchText | None = None


class CatalogueQuery(SearchQuery, ProductFilters):
    # Unknown query parameters (a cache buster, say) are ignored, as before filters existed.
    model_config = ConfigDict(extra="ignore")


@router.post("/", status_code=status.HTTP_201_CREATED, response_model=ProductPublic)
def create_product(actor: CurrentActor, data: ProductCreate) -> ProductPublic:
    return products.create_product(actor, data)


# The two public reads are async so that a cache hit (ready JSON bytes, returned untouched) is
# served on the event loop; the service runs a miss's database work in the thread pool.
@router.get("/", response_model=ProductPage)
async def list_products(query: Annotated[CatalogueQuery, Query()]) -> Response:
    """Live products, newest first unless `sort` says otherwise; `search` matches a part of the
    name, any case; `category` is an id or a slug; price bounds are inclusive."""
    filters = ProductFilters.model_validate(query.model_dump(include=FILTER_FIELDS))
    return raw_json(await products.list_products_json_async(query, query.search, filters))


@router.get("/deleted", response_model=ProductPage)
def list_deleted_products(
    actor: CurrentActor, query: Annotated[SearchQuery, Query()]
) -> ProductPage:
    """Soft-deleted products, for admins to restore."""
    return products.list_deleted_products(actor, query, query.search)


@router.get("/{product_id:int}", response_model=ProductPublic)
async def read_product(product_id: ProductId) -> Response:
    return raw_json(await products.get_product_json_async(product_id))


@router.put("/{product_id:int}", response_model=ProductPublic)
def update_product(
    actor: CurrentActor, product_id: ProductId, data: ProductUpdate
) -> ProductPublic:
    return products.update_product(actor, product_id, data)


@router.delete("/{product_id:int}")
def delete_product(actor: CurrentActor, product_id: ProductId) -> dict[str, str]:
    products.delete_product(actor, product_id)
    return {"detail": "Product deleted"}


@router.put("/{product_id:int}/restore", response_model=ProductPublic)
def restore_product(actor: CurrentActor, product_id: ProductId) -> ProductPublic:
    return products.restore_product(actor, product_id)


# Plain `def`s: decoding and re-encoding an image runs in the thread pool, off the event loop.
@router.put("/{product_id:int}/image", response_model=ProductPublic)
def set_product_image(
    actor: CurrentActor, product_id: ProductId, file: UploadFile
) -> ProductPublic:
    """A JPEG, PNG or WebP image (judged by its content) of at most 5 MB and 4096x4096 px,
    re-encoded without its metadata, with a thumbnail whose longest side is 400 px."""
    return product_images.set_product_image_from_file(actor, product_id, file.file)


@router.delete("/{product_id:int}/image", response_model=ProductPublic)
def remove_product_image(actor: CurrentActor, product_id: ProductId) -> ProductPublic:
    """Take the image away (its files too); a product without one is answered as it is."""
    return product_images.remove_product_image(actor, product_id)
