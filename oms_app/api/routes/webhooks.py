"""/api/v1/webhooks: endpoints that receive signed events, and what was sent to them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from oms_app.api.deps import CurrentActor
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.models.webhook import DeliveryPublic, WebhookCreate, WebhookPublic, WebhookWithSecret
from oms_app.services import webhooks

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
WebhookId = Annotated[int, Path(ge=1, le=MAX_INT32)]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_INT32)]


# The collection answers with and without the trailing slash (other collections have one).
@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookWithSecret)
@router.post(
    "/",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookWithSecret,
    include_in_schema=False,
)
def create_webhook(user: CurrentActor, data: WebhookCreate) -> WebhookWithSecret:
    """The answer shows the signing secret (`whsec_…`) once; it is never shown again."""
    return webhooks.create_webhook(user, data)


@router.get("", response_model=Page[WebhookPublic])
@router.get("/", response_model=Page[WebhookPublic], include_in_schema=False)
def list_webhooks(user: CurrentActor, query: Annotated[PageParams, Query()]) -> Page[WebhookPublic]:
    return webhooks.list_webhooks(user, query)


@router.get("/{webhook_id:int}", response_model=WebhookPublic)
def get_webhook(user: CurrentActor, webhook_id: WebhookId) -> WebhookPublic:
    return webhooks.get_webhook(user, webhook_id)


@router.delete("/{webhook_id:int}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(user: CurrentActor, webhook_id: WebhookId) -> None:
    """Nothing more is sent to it; its deliveries go with it."""
    webhooks.delete_webhook(user, webhook_id)


@router.post("/{webhook_id:int}/enable", response_model=WebhookPublic)
def enable_webhook(user: CurrentActor, webhook_id: WebhookId) -> WebhookPublic:
    """Send to a disabled webhook again, from the next event on; its URL is checked again (422
    when it is now refused). Deliveries that failed meanwhile stay failed: retry them one by
    one. An active webhook is answered as it is."""
    return webhooks.enable_webhook(user, webhook_id)


@router.post("/{webhook_id:int}/rotate-secret", response_model=WebhookWithSecret)
def rotate_secret(user: CurrentActor, webhook_id: WebhookId) -> WebhookWithSecret:
    """A new secret, shown once; the old one keeps signing beside it for 24 hours."""
    return webhooks.rotate_secret(user, webhook_id)


@router.get("/{webhook_id:int}/deliveries", response_model=Page[DeliveryPublic])
def list_deliveries(
    user: CurrentActor, webhook_id: WebhookId, query: Annotated[PageParams, Query()]
) -> Page[DeliveryPublic]:
    """Newest first, each with its attempts."""
    return webhooks.list_deliveries(user, webhook_id, query)


@router.post("/{webhook_id:int}/deliveries/{delivery_id:int}/retry", response_model=DeliveryPublic)
def retry_delivery(
    user: CurrentActor, webhook_id: WebhookId, delivery_id: DeliveryId
) -> DeliveryPublic:
    """Send it again now (the same webhook-id). 409 while it is waiting for its first attempt
    or being sent, or when the webhook is disabled."""
    return webhooks.retry_delivery(user, webhook_id, delivery_id)
