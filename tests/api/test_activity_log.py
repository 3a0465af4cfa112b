"""Registration, orders and status changes leave one activity line each, without personal data."""

from __future__ import annotations

import logging

from tests.conftest import ALICE


def test_business_events_are_logged_without_personal_data(
    client, caplog, admin_headers, make_product
):
    product = make_product()
    with caplog.at_level(logging.INFO, logger="oms.activity"):
        client.post("/api/v1/users/register", json=ALICE)
        login = client.post(
            "/api/v1/users/login", data={"username": ALICE["email"], "password": ALICE["password"]}
        ).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        order = client.post(
            "/api/v1/orders/", json={"product_id": product["id"], "quantity": 1}, headers=headers
        ).json()
        client.put(
            f"/api/v1/orders/{order['id']}", json={"status": "shipped"}, headers=admin_headers
        )
    events = [r for r in caplog.records if r.name == "oms.activity"]
    assert [r.event for r in events] == ["user_registered", "order_created", "order_status_changed"]
    assert events[1].order_id == order["id"]
    assert (events[2].from_status, events[2].to_status) == ("pending", "shipped")
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in events)
    assert ALICE["email"] not in logged
    assert ALICE["password"] not in logged
    assert ALICE["name"] not in logged
