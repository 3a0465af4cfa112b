"""Tables and the schemas at their edges. Importing this package registers every table."""

from oms_app.models.api_key import ApiKey
from oms_app.models.audit import AuditEntry
from oms_app.models.category import Category
from oms_app.models.one_time_token import OneTimeToken
from oms_app.models.order import Order, OrderEvent, OrderItem, OrderStatus
from oms_app.models.product import Product
from oms_app.models.user import AuthSession, RefreshToken, Role, User
from oms_app.models.webhook import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "ApiKey",
    "AuditEntry",
    "AuthSession",
    "Category",
    "OneTimeToken",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "Product",
    "RefreshToken",
    "Role",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookSubscription",
]
