"""Webhook endpoints in the service layer: enabling one again, who may, and what it leaves as it
was (deliveries given up while it was disabled)."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import select

from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.core.errors import Forbidden, InvalidInput, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.audit import AuditEntry
from oms_app.models.user import Role
from oms_app.models.webhook import (
    DeliveryStatus,
    EventType,
    WebhookCreate,
    WebhookDelivery,
    WebhookEndpoint,
)
from oms_app.services import webhook_outbox, webhooks
from oms_app.services.permissions import KeyActor
from tests.services.test_concurrency import _user

pytestmark = pytest.mark.usefixtures("database")

MANAGER_KEY = KeyActor(key_id=7, name="Ops", scopes=frozenset({Scope.WEBHOOKS_MANAGE}))
READER_KEY = KeyActor(key_id=8, name="Reader", scopes=frozenset({Scope.ORDERS_READ}))


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", True)


@pytest.fixture
def admin():
    return _user("hooks-admin@example.com", Role.ADMIN, name="Hook Admin")


def _disabled_hook(admin, reason: str | None = "The receiver answered 410 Gone") -> int:
    """An endpoint as the sender leaves one it disabled: inactive, with a failed delivery."""
    hook = webhooks.create_webhook(
        admin, WebhookCreate(url="http://127.0.0.1:9/hook", events=[EventType.ORDER_CREATED])
    )
    with session_scope() as session:
        webhook_outbox.enqueue(session, EventType.ORDER_CREATED, {"n": 1})
    with session_scope() as session:
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == hook.id)
            .values(active=False, disabled_reason=reason)
        )
        session.execute(update(WebhookDelivery).values(status=DeliveryStatus.FAILED))
    return hook.id


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    with session_scope() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        session.expunge(endpoint)
        return endpoint


def _audit(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.action == action)).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_enabling_sends_new_events_and_leaves_given_up_deliveries_failed(
    admin, allow_private
) -> None:
    hook_id = _disabled_hook(admin)
    enabled = webhooks.enable_webhook(admin, hook_id)
    assert enabled.active is True
    assert enabled.events == [EventType.ORDER_CREATED]
    assert _endpoint(hook_id).disabled_reason is None
    # What was given up while it was disabled stays given up; new events are queued for it.
    with session_scope() as session:
        webhook_outbox.enqueue(session, EventType.ORDER_CREATED, {"n": 2})
    with session_scope() as session:
        rows = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        statuses = [row.status for row in rows]
    assert statuses == [DeliveryStatus.FAILED, DeliveryStatus.PENDING]


def test_enabling_is_audited_once_and_an_active_endpoint_is_left_as_it_is(
    admin, allow_private
) -> None:
    hook_id = _disabled_hook(admin)
    webhooks.enable_webhook(admin, hook_id)
    again = webhooks.enable_webhook(admin, hook_id)
    assert again.active is True
    (entry,) = _audit("webhook.enable")
    assert (entry.entity_type, entry.entity_id) == ("webhook", str(hook_id))
    assert (entry.actor_kind, entry.actor_id) == ("user", admin.id)
    assert entry.changes == {
        "active": [False, True],
        "disabled_reason": ["The receiver answered 410 Gone", None],
    }


def test_a_key_with_webhooks_manage_enables_and_others_may_not(admin, allow_private) -> None:
    hook_id = _disabled_hook(admin, reason=None)
    shopper = _user("shopper@example.com")
    for outsider in (shopper, READER_KEY):
        with pytest.raises(Forbidden):
            webhooks.enable_webhook(outsider, hook_id)
    assert _endpoint(hook_id).active is False
    assert _audit("webhook.enable") == []

    assert webhooks.enable_webhook(MANAGER_KEY, hook_id).active is True
    (entry,) = _audit("webhook.enable")
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == ("api_key", 7, "Ops")
    assert entry.changes == {"active": [False, True]}  # no reason was recorded, none is shown


def test_a_missing_endpoint_is_not_found(admin) -> None:
    with pytest.raises(NotFound):
        webhooks.enable_webhook(admin, 424_242)


def test_a_url_refused_now_stays_disabled(admin, allow_private, monkeypatch) -> None:
    hook_id = _disabled_hook(admin)
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", False)
    with pytest.raises(InvalidInput, match="private"):
        webhooks.enable_webhook(admin, hook_id)
    endpoint = _endpoint(hook_id)
    assert (endpoint.active, endpoint.disabled_reason) == (False, "The receiver answered 410 Gone")
    assert _audit("webhook.enable") == []
