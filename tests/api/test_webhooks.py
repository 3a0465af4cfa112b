"""Webhooks over REST against a real receiver that verifies signatures with `standardwebhooks`."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from oms_app.core.config import get_settings
from oms_app.core.db import session_scope
from oms_app.models.webhook import WebhookDelivery, WebhookEvent
from tests.webhook_receiver import Answer, eventually, receiving, running_sender

ALL_EVENTS = ["order.created", "order.status_changed", "order.cancelled", "product.stock_low"]


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receivers run on 127.0.0.1, which production refuses."""
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", True)


@pytest.fixture
def receiver():
    with receiving() as server:
        yield server


def create_hook(client, headers, url: str, events: list[str] | None = None) -> dict:
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "events": events or ALL_EVENTS}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def deliveries(client, headers, hook_id: int) -> list[dict]:
    response = client.get(f"/api/v1/webhooks/{hook_id}/deliveries?limit=100", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def settled(client, headers, hook_id: int, count: int):
    """Wait until `count` deliveries exist and none is pending; return them."""

    def check():
        rows = deliveries(client, headers, hook_id)
        if len(rows) >= count and all(r["status"] != "pending" for r in rows):
            return rows
        return None

    return eventually(check)


def order(client, headers, product_id: int, quantity: int = 1):
    return client.post(
        "/api/v1/orders/",
        json={"items": [{"product_id": product_id, "quantity": quantity}]},
        headers=headers,
    )


def event_count() -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(WebhookEvent)).scalar_one()


# --- managing endpoints --------------------------------------------------------------------


def test_create_shows_the_secret_once_and_lists_without_it(
    client, admin_headers, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created", "order.created"])
    assert hook["secret"].startswith("whsec_")
    assert hook["events"] == ["order.created"]
    assert hook["active"] is True
    assert set(hook) == {"id", "url", "events", "active", "disabled_reason", "created_at", "secret"}
    assert hook["disabled_reason"] is None

    listed = client.get("/api/v1/webhooks", headers=admin_headers).json()
    assert listed["total"] == 1
    assert listed["data"][0]["id"] == hook["id"]
    assert "secret" not in listed["data"][0]
    one = client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).json()
    assert "secret" not in one
    assert one["url"] == receiver.url

    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).status_code == 204
    assert client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).status_code == 404


def test_only_admins_manage_webhooks(client, alice_headers, admin_headers) -> None:
    body = {"url": "https://93.184.216.34/hook", "events": ["order.created"]}
    assert client.post("/api/v1/webhooks", json=body).status_code == 401
    assert client.post("/api/v1/webhooks", json=body, headers=alice_headers).status_code == 403
    assert client.get("/api/v1/webhooks", headers=alice_headers).status_code == 403
    assert client.get("/api/v1/webhooks/999", headers=alice_headers).status_code == 403
    assert client.delete("/api/v1/webhooks/999", headers=alice_headers).status_code == 403
    assert (
        client.post("/api/v1/webhooks/999/rotate-secret", headers=alice_headers).status_code == 403
    )
    assert client.post("/api/v1/webhooks/999/enable", headers=alice_headers).status_code == 403
    assert client.post("/api/v1/webhooks/999/enable").status_code == 401
    assert (
        client.post("/api/v1/webhooks/9/deliveries/9/retry", headers=alice_headers).status_code
        == 403
    )
    assert client.get("/api/v1/webhooks/999", headers=admin_headers).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"url": "https://93.184.216.34/hook", "events": []},
        {"url": "https://93.184.216.34/hook", "events": ["order.deleted"]},
        {"url": "https://93.184.216.34/hook"},
        {"url": "", "events": ["order.created"]},
        {"url": "ftp://93.184.216.34/hook", "events": ["order.created"]},
        {"url": "https://93.184.216.34/a b", "events": ["order.created"]},
        {"url": "https://user:pw@93.184.216.34/", "events": ["order.created"]},
        {"url": "https://93.184.216.34:99999/", "events": ["order.created"]},
        {"url": "https:///nohost", "events": ["order.created"]},
        {"url": "https://x" * 1000, "events": ["order.created"]},
        {"url": 5, "events": ["order.created"]},
        {"url": "https://93.184.216.34/", "events": "order.created"},
        {"url": "https://93.184.216.34/", "events": ["order.created"], "secret": "mine"},
    ],
)
def test_bad_input_is_422_and_creates_nothing(client, admin_headers, body) -> None:
    response = client.post("/api/v1/webhooks", json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert client.get("/api/v1/webhooks", headers=admin_headers).json()["total"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://localhost:8000/hook",  # a name that resolves to loopback
    ],
)
def test_private_targets_are_refused(client, admin_headers, url) -> None:
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "events": ["order.created"]}, headers=admin_headers
    )
    assert response.status_code == 422, response.text
    assert "private" in response.json()["detail"]


def test_private_targets_are_allowed_with_the_setting(client, admin_headers, allow_private) -> None:
    for url in ("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://localhost/hook"):
        create_hook(client, admin_headers, url, ["order.created"])


def test_a_target_that_turned_private_is_not_sent_to(
    client, admin_headers, alice_headers, make_product, receiver, monkeypatch
) -> None:
    """Checked again at send time: here the setting changes in between, as DNS might."""
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", True)
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", False)
    product = make_product(stock=50)
    assert order(client, alice_headers, product["id"]).status_code == 201
    with running_sender(webhook_allow_private_targets=False):
        (row,) = settled(client, admin_headers, hook["id"], 1)
    assert row["status"] == "failed"
    assert "private" in row["attempts"][0]["error"]
    assert row["attempts"][0]["response_status"] is None
    assert receiver.received == []


# --- the outbox ----------------------------------------------------------------------------


def test_no_subscriber_means_no_event(client, alice_headers, make_product) -> None:
    product = make_product(stock=3)
    assert order(client, alice_headers, product["id"], 3).status_code == 201
    assert event_count() == 0


def test_a_refused_order_writes_no_event(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    create_hook(client, admin_headers, receiver.url)
    product = make_product(stock=2)
    assert order(client, alice_headers, product["id"], 3).status_code == 409
    assert order(client, alice_headers, 424242, 1).status_code == 404
    assert event_count() == 0
    placed = order(client, alice_headers, product["id"], 1).json()
    assert event_count() == 2  # order.created and product.stock_low
    # An illegal status change is refused and reports nothing either.
    bad = client.put(
        f"/api/v1/orders/{placed['id']}", json={"status": "delivered"}, headers=admin_headers
    )
    assert bad.status_code == 409
    assert event_count() == 2


def test_every_event_type_is_delivered_signed(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url)
    product = make_product(name="Lamp", stock=8)
    first = order(client, alice_headers, product["id"], 3).json()  # stock 5: low
    shipped = client.put(
        f"/api/v1/orders/{first['id']}", json={"status": "shipped"}, headers=admin_headers
    )
    assert shipped.status_code == 200
    second = order(client, alice_headers, product["id"], 1).json()  # stock 4: low again
    cancelled = client.put(f"/api/v1/orders/{second['id']}/cancel", headers=alice_headers)
    assert cancelled.status_code == 200
    assert event_count() == 7

    with running_sender():
        received = receiver.wait_for(7)
        rows = settled(client, admin_headers, hook["id"], 7)
    payloads = [r.verify(hook["secret"]) for r in received]
    by_type: dict[str, list[dict]] = {}
    for payload in payloads:
        by_type.setdefault(payload["type"], []).append(payload)
    assert sorted((t, len(p)) for t, p in by_type.items()) == [
        ("order.cancelled", 1),
        ("order.created", 2),
        ("order.status_changed", 2),
        ("product.stock_low", 2),
    ]
    created = next(p for p in by_type["order.created"] if p["data"]["order"]["id"] == first["id"])
    as_admin_sees_it = client.get(f"/api/v1/orders/{first['id']}", headers=admin_headers).json()
    # The order as it was when placed: pending, one event, no notes.
    assert created["data"]["order"]["status"] == "pending"
    assert created["data"]["order"]["notes"] == []
    assert created["data"]["order"]["items"] == as_admin_sees_it["items"]
    assert created["data"]["order"]["customer"] == as_admin_sees_it["customer"]
    assert [e["to_status"] for e in created["data"]["order"]["events"]] == ["pending"]
    assert set(created["data"]["order"]) == set(as_admin_sees_it)

    changes = {p["data"]["order"]["id"]: p["data"] for p in by_type["order.status_changed"]}
    assert changes[first["id"]]["previous_status"] == "pending"
    assert changes[first["id"]]["order"] == as_admin_sees_it
    assert changes[second["id"]]["order"]["status"] == "cancelled"
    (cancel,) = by_type["order.cancelled"]
    assert cancel["data"]["order"]["id"] == second["id"]
    assert cancel["data"]["previous_status"] == "pending"
    stocks = sorted(p["data"]["product"]["stock"] for p in by_type["product.stock_low"])
    assert stocks == [4, 5]
    assert by_type["product.stock_low"][0]["data"]["product"]["name"] == "Lamp"

    assert {r["status"] for r in rows} == {"succeeded"}
    assert {r.id for r in received} == {r["event_id"] for r in rows}
    assert all(r["attempts"][0]["response_status"] == 200 for r in rows)
    assert all(r["attempts"][0]["response_excerpt"] == "ok" for r in rows)
    for request in received:
        assert request.headers["content-type"] == "application/json"
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60


def test_only_subscribed_types_and_active_endpoints_get_deliveries(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    wants_cancels = create_hook(client, admin_headers, receiver.url, ["order.cancelled"])
    wants_orders = create_hook(client, admin_headers, receiver.url, ["order.created"])
    product = make_product(stock=50)
    placed = order(client, alice_headers, product["id"]).json()
    client.put(f"/api/v1/orders/{placed['id']}/cancel", headers=alice_headers)
    assert [r["type"] for r in deliveries(client, admin_headers, wants_orders["id"])] == [
        "order.created"
    ]
    assert [r["type"] for r in deliveries(client, admin_headers, wants_cancels["id"])] == [
        "order.cancelled"
    ]


def test_a_500_then_a_200_is_retried_with_the_same_id(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    receiver.script.append(Answer(status=500, body="boom"))
    order(client, alice_headers, make_product(stock=50)["id"])
    with running_sender():
        first, second = receiver.wait_for(2, timeout=30)
        (row,) = settled(client, admin_headers, hook["id"], 1)
    assert first.id == second.id
    first.verify(hook["secret"])
    second.verify(hook["secret"])
    assert row["status"] == "succeeded"
    assert [a["response_status"] for a in row["attempts"]] == [500, 200]
    assert row["attempts"][0]["response_excerpt"] == "boom"
    gap = (_when(row["attempts"][1]["at"]) - _when(row["attempts"][0]["at"])).total_seconds()
    assert gap >= 4.4  # about 5 s, jittered by 10 %


def _when(stamp: str):
    from datetime import datetime

    return datetime.fromisoformat(stamp)


def test_a_timeout_is_logged_and_retried_later(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    receiver.default = Answer(delay=3)
    order(client, alice_headers, make_product(stock=50)["id"])
    with running_sender(webhook_timeout_seconds=0.5):
        receiver.wait_for(1)

        def attempted():
            rows = deliveries(client, admin_headers, hook["id"])
            return rows if rows and rows[0]["attempts"] else None

        (row,) = eventually(attempted)
    assert row["status"] == "pending"
    (attempt,) = row["attempts"]
    assert attempt["response_status"] is None
    assert "No answer within 0.5 s" in attempt["error"]
    assert 400 <= attempt["duration_ms"] < 2500
    wait = (_when(row["next_attempt_at"]) - _when(attempt["at"])).total_seconds()
    assert 4.4 <= wait <= 5.6


@pytest.mark.parametrize("code", [301, 302, 307, 400, 401, 404, 422])
def test_other_3xx_and_4xx_fail_at_once(
    client, admin_headers, alice_headers, make_product, allow_private, receiver, code
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    receiver.default = Answer(status=code, headers={"location": "http://127.0.0.1:1/elsewhere"})
    order(client, alice_headers, make_product(stock=50)["id"])
    with running_sender():
        (row,) = settled(client, admin_headers, hook["id"], 1)
    assert row["status"] == "failed"
    assert [a["response_status"] for a in row["attempts"]] == [code]
    assert len(receiver.received) == 1  # the redirect was not followed
    hook_now = client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).json()
    assert hook_now["active"] is True


@pytest.mark.parametrize("code", [408, 429, 502, 503])
def test_these_codes_are_retried(
    client, admin_headers, alice_headers, make_product, allow_private, receiver, code
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    receiver.default = Answer(status=code)
    order(client, alice_headers, make_product(stock=50)["id"])
    with running_sender():

        def attempted():
            rows = deliveries(client, admin_headers, hook["id"])
            return rows if rows and rows[0]["attempts"] else None

        (row,) = eventually(attempted)
    assert row["status"] == "pending"
    assert row["attempts"][0]["response_status"] == code


def test_a_410_disables_the_endpoint(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    receiver.default = Answer(status=410, body="gone")
    product = make_product(stock=50)
    order(client, alice_headers, product["id"])
    with running_sender():
        (row,) = settled(client, admin_headers, hook["id"], 1)
    assert row["status"] == "failed"
    assert row["attempts"][0]["response_status"] == 410
    disabled = client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).json()
    assert disabled["active"] is False
    assert disabled["disabled_reason"] == "The receiver answered 410 Gone"
    listed = client.get("/api/v1/webhooks", headers=admin_headers).json()["data"]
    assert [h["disabled_reason"] for h in listed] == ["The receiver answered 410 Gone"]
    # A disabled endpoint subscribes to nothing any more.
    order(client, alice_headers, product["id"])
    assert len(deliveries(client, admin_headers, hook["id"])) == 1
    retry = client.post(
        f"/api/v1/webhooks/{hook['id']}/deliveries/{row['id']}/retry", headers=admin_headers
    )
    assert retry.status_code == 409


def test_a_disabled_endpoint_is_enabled_again(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    """The receiver said 410 by mistake: the admin enables the webhook, new events flow again,
    and what failed meanwhile stays failed until it is retried."""
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    url = f"/api/v1/webhooks/{hook['id']}"
    receiver.script.append(Answer(status=410, body="gone"))
    product = make_product(stock=50)
    order(client, alice_headers, product["id"])
    with running_sender():
        (gone,) = settled(client, admin_headers, hook["id"], 1)
        assert client.get(url, headers=admin_headers).json()["active"] is False
        order(client, alice_headers, product["id"])  # while disabled: not queued for it

        enabled = client.post(f"{url}/enable", headers=admin_headers)
        assert enabled.status_code == 200, enabled.text
        assert enabled.json()["active"] is True
        assert enabled.json()["disabled_reason"] is None  # it went with the state it explained
        assert set(enabled.json()) == {
            "id",
            "url",
            "events",
            "active",
            "disabled_reason",
            "created_at",
        }
        assert client.get(url, headers=admin_headers).json()["active"] is True
        assert client.post(f"{url}/enable", headers=admin_headers).status_code == 200

        placed = order(client, alice_headers, product["id"]).json()
        first_after, _ = settled(client, admin_headers, hook["id"], 2)
        assert first_after["status"] == "succeeded"
        assert receiver.received[-1].verify(hook["secret"])["data"]["order"]["id"] == placed["id"]
        assert client.get(url, headers=admin_headers).json()["active"] is True
        rows = deliveries(client, admin_headers, hook["id"])
        assert [r["status"] for r in rows] == ["succeeded", "failed"]

        retried = client.post(f"{url}/deliveries/{gone['id']}/retry", headers=admin_headers)
        assert retried.status_code == 200, retried.text
        receiver.wait_for(3)
        rows = settled(client, admin_headers, hook["id"], 2)
    assert [r["status"] for r in rows] == ["succeeded", "succeeded"]
    assert [a["response_status"] for a in rows[1]["attempts"]] == [410, 200]
    audit = client.get("/api/v1/audit/?action=webhook.enable", headers=admin_headers).json()["data"]
    assert [(e["entity_id"], e["changes"]["active"]) for e in audit] == [
        (str(hook["id"]), [False, True])
    ]


@pytest.mark.parametrize("path", ["/api/v1/webhooks/0/enable", "/api/v1/webhooks/x/enable"])
def test_enabling_a_bad_id_is_4xx(client, admin_headers, path) -> None:
    assert client.post(path, headers=admin_headers).status_code in {404, 422}
    assert client.post("/api/v1/webhooks/99999/enable", headers=admin_headers).status_code == 404


def test_enabling_a_url_refused_now_is_422(client, admin_headers, receiver, monkeypatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", True)
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    from sqlalchemy import update

    from oms_app.models.webhook import WebhookEndpoint

    with session_scope() as session:
        session.execute(update(WebhookEndpoint).values(active=False))
    monkeypatch.setattr(get_settings(), "webhook_allow_private_targets", False)
    refused = client.post(f"/api/v1/webhooks/{hook['id']}/enable", headers=admin_headers)
    assert refused.status_code == 422
    assert "private" in refused.json()["detail"]
    one = client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers).json()
    assert one["active"] is False


def test_rotation_signs_with_both_secrets_during_the_overlap(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    rotated = client.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", headers=admin_headers)
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != hook["secret"]
    order(client, alice_headers, make_product(stock=50)["id"])
    with running_sender():
        (request,) = receiver.wait_for(1)
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert request.verify(hook["secret"]) == request.verify(new_secret)

    # After the overlap only the new secret signs.
    from sqlalchemy import update

    from oms_app.models.common import utcnow
    from oms_app.models.webhook import WebhookEndpoint

    with session_scope() as session:
        session.execute(update(WebhookEndpoint).values(previous_secret_expires_at=utcnow()))
    order(client, alice_headers, make_product(name="Other", stock=50)["id"])
    with running_sender():
        _, later = receiver.wait_for(2)
    later.verify(new_secret)
    with pytest.raises(Exception, match="signature"):
        later.verify(hook["secret"])


def test_an_admin_retries_a_failed_delivery(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    order(client, alice_headers, make_product(stock=50)["id"])
    (waiting,) = deliveries(client, admin_headers, hook["id"])
    url = f"/api/v1/webhooks/{hook['id']}/deliveries/{waiting['id']}/retry"
    assert client.post(url, headers=admin_headers).status_code == 409  # not yet attempted
    assert client.post(url, headers=alice_headers).status_code == 403
    missing = f"/api/v1/webhooks/{hook['id']}/deliveries/99999/retry"
    assert client.post(missing, headers=admin_headers).status_code == 404

    receiver.script.append(Answer(status=400, body="bad"))
    with running_sender():
        (failed,) = settled(client, admin_headers, hook["id"], 1)
        assert failed["status"] == "failed"
        again = client.post(url, headers=admin_headers)
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "pending"
        first, second = receiver.wait_for(2)
        (row,) = settled(client, admin_headers, hook["id"], 1)
    assert first.id == second.id == row["event_id"]
    assert row["status"] == "succeeded"
    assert [a["response_status"] for a in row["attempts"]] == [400, 200]


def test_deliveries_are_paged_newest_first(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    product = make_product(stock=50)
    ids = [order(client, alice_headers, product["id"]).json()["id"] for _ in range(3)]
    page = client.get(
        f"/api/v1/webhooks/{hook['id']}/deliveries?limit=2&page=1", headers=admin_headers
    ).json()
    assert (page["total"], page["total_pages"], len(page["data"])) == (3, 2, 2)
    assert page["data"][0]["id"] > page["data"][1]["id"]
    assert set(page["data"][0]) >= {"id", "event_id", "type", "status", "attempts"}
    assert len(ids) == 3
    for bad in ("limit=0", "limit=101", "page=0", "page=x"):
        response = client.get(
            f"/api/v1/webhooks/{hook['id']}/deliveries?{bad}", headers=admin_headers
        )
        assert response.status_code == 422
    assert client.get("/api/v1/webhooks/99999/deliveries", headers=admin_headers).status_code == 404


def test_deleting_an_endpoint_removes_its_deliveries(
    client, admin_headers, alice_headers, make_product, allow_private, receiver
) -> None:
    hook = create_hook(client, admin_headers, receiver.url, ["order.created"])
    order(client, alice_headers, make_product(stock=50)["id"])
    client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin_headers)
    with session_scope() as session:
        left = session.execute(select(func.count()).select_from(WebhookDelivery)).scalar_one()
    assert left == 0
