"""A storm of concurrent orders, cancels and shipments: stock is never lost or invented.

Afterwards, for every product: stock + units in orders that were not cancelled == initial stock.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from oms_app.core.db import get_engine
from oms_app.core.errors import DomainError
from oms_app.models.order import OrderCreate, OrderLineIn, OrderStatus
from oms_app.models.product import ProductCreate
from oms_app.models.user import Role, UserCreate
from oms_app.services import auth, orders, products

pytestmark = pytest.mark.usefixtures("database")

OPERATIONS = 2000
INITIAL_STOCK = 150


def _actor(email: str, role: Role = Role.USER):
    auth.register(UserCreate(name="Storm", email=email, password="password-1"), role=role)
    user, _ = auth.authenticate(auth.login(email, "password-1").access_token)
    return user


def test_stock_balances_after_a_storm_of_orders_and_cancels():
    admins = [_actor(f"admin{n}@example.com", Role.ADMIN) for n in range(2)]
    shoppers = [_actor(f"shopper{n}@example.com") for n in range(6)]
    product_ids = [
        products.create_product(
            admins[0], ProductCreate(name=f"Storm item {n}", price="3.50", stock=INITIAL_STOCK)
        ).id
        for n in range(4)
    ]
    placed: list[tuple[int, int]] = []  # (order id, owner id), appended by worker threads
    rng = random.Random(20261126)
    plan = [(rng.random(), rng.randrange(1 << 30)) for _ in range(OPERATIONS)]

    def operate(step: tuple[float, int]) -> str:
        roll, seed = step
        local = random.Random(seed)
        try:
            if roll < 0.55 or not placed:
                shopper = local.choice(shoppers)
                lines = [
                    OrderLineIn(product_id=pid, quantity=local.randint(1, 3))
                    for pid in local.sample(product_ids, local.randint(1, 3))
                ]
                order = orders.place_order(shopper, OrderCreate(items=lines)).order
                placed.append((order.id, order.user_id))
                return "placed"
            order_id, owner_id = local.choice(placed)
            if roll < 0.75:
                owner = next(s for s in shoppers if s.id == owner_id)
                orders.cancel_order(owner, order_id)
                return "cancelled by owner"
            if roll < 0.9:
                orders.change_status(local.choice(admins), order_id, OrderStatus.CANCELLED)
                return "cancelled by admin"
            orders.change_status(local.choice(admins), order_id, OrderStatus.SHIPPED)
            return "shipped"
        except DomainError as exc:
            return f"refused: {type(exc).__name__}"

    with ThreadPoolExecutor(max_workers=24) as pool:
        outcomes = Counter(pool.map(operate, plan))

    # Every kind of operation happened, and every refusal was a domain answer, not a crash.
    assert outcomes["placed"] > 300
    assert outcomes["cancelled by owner"] > 50
    assert outcomes["cancelled by admin"] > 20
    assert outcomes["refused: InsufficientStock"] > 0, outcomes
    assert sum(outcomes.values()) == OPERATIONS

    with get_engine().connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT p.id, p.stock, COALESCE(SUM(i.quantity) FILTER (
                           WHERE o.status <> 'cancelled'), 0) AS held
                FROM products p
                LEFT JOIN order_items i ON i.product_id = p.id
                LEFT JOIN orders o ON o.id = i.order_id
                GROUP BY p.id, p.stock
                """
            )
        ).all()
    assert len(rows) == len(product_ids)
    for product_id, stock, held in rows:
        assert stock >= 0
        assert stock + held == INITIAL_STOCK, (product_id, stock, held, outcomes)
