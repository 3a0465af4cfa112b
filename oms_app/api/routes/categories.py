"""/api/v1/categories: what the catalogue can be filtered by. The list is public and cached."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from oms_app.api.deps import CurrentActor
from oms_app.api.responses import raw_json
from oms_app.models.category import CategoryPublic, CategoryWrite
from oms_app.models.common import MAX_INT32, PageParams
from oms_app.services import categories
from oms_app.services.categories import CategoryPage

router = APIRouter(prefix="/categories", tags=["categories"])
CategoryId = Annotated[int, Path(ge=1, le=MAX_INT32)]


@router.get("/", response_model=CategoryPage)
async def list_categories(query: Annotated[PageParams, Query()]) -> Response:
    """Categories by name, each with its number of live products."""
    return raw_json(await categories.list_categories_json_async(query))


@router.post("/", status_code=status.HTTP_201_CREATED, response_model=CategoryPublic)
def create_category(actor: CurrentActor, data: CategoryWrite) -> CategoryPublic:
    """The slug is derived from the name; names are unique in any case."""
    return categories.create_category(actor, data)


@router.put("/{category_id:int}", response_model=CategoryPublic)
def update_category(
    actor: CurrentActor, category_id: CategoryId, data: CategoryWrite
) -> CategoryPublic:
    """Rename a category; its slug follows the new name."""
    return categories.update_category(actor, category_id, data)


@router.delete("/{category_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def delete_category(actor: CurrentActor, category_id: CategoryId) -> None:
    """409 while a live product uses it; soft-deleted products lose it."""
    categories.delete_category(actor, category_id)
