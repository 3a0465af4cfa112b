"""/api/v1/api-keys: keys for other systems, minted and revoked by an admin's login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from oms_app.api.deps import CurrentActor
from oms_app.models.api_key import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.services import api_keys

router = APIRouter(prefix="/api-keys", tags=["api keys"])
KeyId = Annotated[int, Path(ge=1, le=MAX_INT32)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated)
def create_key(actor: CurrentActor, data: ApiKeyCreate) -> ApiKeyCreated:
    """The answer holds the key's `secret`, shown this once and never again."""
    return api_keys.create_key(actor, data)


@router.get("", response_model=Page[ApiKeyPublic])
def list_keys(actor: CurrentActor, params: Annotated[PageParams, Query()]) -> Page[ApiKeyPublic]:
    """Keys in use, newest first; `last_used_at` is kept to the minute."""
    return api_keys.list_keys(actor, params)


@router.delete("/{key_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(actor: CurrentActor, key_id: KeyId) -> None:
    """Revoked at once: the key's next request is a 401, on every worker."""
    api_keys.revoke_key(actor, key_id)
