"""What placing an order sends to PostgreSQL: the shape the order path's speed rests on.

An order for one product, with nothing subscribed to order events, is one writing statement
that PostgreSQL commits by itself (no COMMIT round trip while the product row is locked);
anything that must share a transaction with the order (a cart's other lines, webhook events,
a key's customer lock) still gets one. Oversell, idempotency and rollback under concurrency are
tests/services/test_concurrency.py's; the webhook events' content is tests/api/test_webhooks.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from oms_app.core.db import get_engine, session_scope
from oms_app.models.order import Order, OrderCreate, OrderLineIn
from oms_app.models.webhook import EventType, WebhookEndpoint, WebhookEvent, WebhookSubscription
from oms_app.services import orders
from oms_app.services.orders import InsufficientStock
from tests.services.test_concurrency import _product, _stock, _user


@dataclass(frozen=True)
class Sent:
    sql: str
    autocommit: bool


@pytest.fixture
def sent() -> Iterator[list[Sent]]:
    statements: list[Sent] = []

    def record(conn, _cursor, statement, _parameters, _context, _many) -> None:
        statements.append(Sent(statement, conn.connection.dbapi_connection.autocommit))

    event.listen(get_engine(), "before_cursor_execute", record)
    yield statements
    event.remove(get_engine(), "before_cursor_execute", record)


def _writes(statements: list[Sent]) -> list[Sent]:
    return [s for s in statements if not s.sql.lstrip().upper().startswith("SELECT")]


def _subscribe(event_type: EventType) -> None:
    with session_scope() as session:
        endpoint = WebhookEndpoint(url="https://hooks.example.com/oms", secret="whsec_dGVzdA==")
        session.add(endpoint)
        session.flush()
        session.add(WebhookSubscription(endpoint_id=endpoint.id, event_type=event_type.value))


def _one(product_id: int, quantity: int = 1) -> OrderCreate:
    return OrderCreate(product_id=product_id, quantity=quantity)


def test_an_order_for_one_product_is_one_statement_postgresql_commits_itself(sent):
    buyer = _user("buyer@example.com")
    product = _product(stock=5)
    sent.clear()

    placed = orders.place_order(buyer, _one(product, 2))

    (write,) = sent
    assert write.autocommit
    assert write.sql.lstrip().startswith("WITH watched AS")
    assert _stock(product) == 3
    with session_scope() as session:
        assert session.get(Order, placed.order.id).total == placed.order.total


def test_a_refused_order_writes_nothing(sent):
    buyer = _user("buyer@example.com")
    product = _product(stock=1)

    with pytest.raises(InsufficientStock):
        orders.place_order(buyer, _one(product, 2))

    assert _stock(product) == 1
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Order)).one() == 0


def test_a_cart_takes_its_lines_in_one_transaction(sent):
    buyer = _user("buyer@example.com")
    first, second = _product(stock=5, name="First"), _product(stock=5, name="Second")
    sent.clear()

    orders.place_order(
        buyer,
        OrderCreate(
            items=[
                OrderLineIn(product_id=first, quantity=1),
                OrderLineIn(product_id=second, quantity=1),
            ]
        ),
    )

    writes = _writes(sent)
    assert len(writes) == 2, sent
    assert not any(s.autocommit for s in writes), sent
    assert (_stock(first), _stock(second)) == (4, 4)


@pytest.mark.parametrize("event_type", [EventType.ORDER_CREATED, EventType.PRODUCT_STOCK_LOW])
def test_a_webhook_for_orders_puts_the_order_and_its_events_in_one_transaction(sent, event_type):
    buyer = _user("buyer@example.com")
    product = _product(stock=2)  # at or under the low-stock threshold once one is taken
    _subscribe(event_type)
    sent.clear()

    orders.place_order(buyer, _one(product))

    # The statement that would have written the order alone saw the webhook and wrote nothing;
    # then the order and its event were written by one transaction.
    attempt, *transaction = _writes(sent)
    assert attempt.autocommit
    assert transaction, sent
    assert not any(s.autocommit for s in transaction), sent
    assert transaction[0].sql.lstrip().startswith("WITH watched AS")
    assert _stock(product) == 1
    # The subscriptions are read once in the transaction, before the product row is locked.
    reads = [s for s in sent if s.sql.startswith("SELECT DISTINCT webhook_subscriptions")]
    assert len(reads) == 1, sent
    with session_scope() as session:
        assert session.exec(select(WebhookEvent.type)).all() == [event_type.value]
