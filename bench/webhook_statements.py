"""What the webhook outbox adds to one order, counted rather than timed: SQL statements per
order (and the median time of `place_order` in this one process, one order at a time) with no
webhook, with one endpoint subscribed to every event, and with five.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/some_scratch_db \\
        .venv/bin/python bench/webhook_statements.py

The database is migrated and gets a scratch product and user; it should be a scratch one.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BCRYPT_ROUNDS", "4")
os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")

from sqlalchemy import delete, event

from oms_app.core.db import get_engine, session_scope
from oms_app.core.migrations import upgrade_to_head
from oms_app.models.order import OrderCreate
from oms_app.models.product import ProductCreate
from oms_app.models.user import User
from oms_app.models.webhook import EventType, WebhookCreate, WebhookEndpoint
from oms_app.services import orders, products, webhooks
from oms_app.services.bootstrap import ensure_admin

ORDERS = 300


def main() -> None:
    upgrade_to_head()
    ensure_admin("statements@example.com", "statements-pass-1", "Statements")
    with session_scope() as session:
        admin = session.query(User).filter(User.email == "statements@example.com").one()
        session.execute(delete(WebhookEndpoint))
    product = products.create_product(
        admin, ProductCreate(name="Statement counter", price=1, stock=1_000_000_000)
    )
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(get_engine(), "before_cursor_execute", count)
    order = OrderCreate.model_validate({"product_id": product.id, "quantity": 1})
    result = {}
    for endpoints in (0, 1, 5):
        with session_scope() as session:
            session.execute(delete(WebhookEndpoint))
        for n in range(endpoints):
            webhooks.create_webhook(
                admin, WebhookCreate(url=f"http://127.0.0.1:9/{n}", events=list(EventType))
            )
        for _ in range(20):  # warm up
            orders.place_order(admin, order)
        times, before = [], statements
        for _ in range(ORDERS):
            started = time.perf_counter()
            orders.place_order(admin, order)
            times.append(time.perf_counter() - started)
        result[f"{endpoints}_endpoints"] = {
            "statements_per_order": (statements - before) / ORDERS,
            "median_ms": round(statistics.median(times) * 1000, 2),
        }
    with session_scope() as session:
        session.execute(delete(WebhookEndpoint))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
