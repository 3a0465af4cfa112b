"""Concurrency on PostgreSQL: real threads, real transactions, no lost or invented stock."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, DomainError
from oms_app.models.order import OrderCreate, OrderLineIn, OrderStatus
from oms_app.models.product import Product, ProductCreate
from oms_app.models.user import Role, User, UserCreate
from oms_app.services import auth, orders, products, users

pytestmark = pytest.mark.usefixtures("database")


def _user(email: str, role: Role = Role.USER, name: str | None = None) -> User:
    auth.register(
        UserCreate(name=name or email.split("@")[0], email=email, password="password-1"),
        role=role,
    )
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        session.expunge(user)
        return user


def _product(stock: int, name: str = "Hot item") -> int:
    admin = _user(f"admin-{name.replace(' ', '').lower()}@example.com", Role.ADMIN)
    return products.create_product(admin, ProductCreate(name=name, price="5.00", stock=stock)).id


def _stock(product_id: int) -> int:
    with session_scope() as session:
        return session.get(Product, product_id).stock


def _run_together(tasks: list, workers: int = 32) -> list:
    """Start every task at the same moment; return each one's result or the exception it raised."""
    barrier = threading.Barrier(len(tasks))

    def run(task):
        barrier.wait()
        try:
            return task()
        except Exception as exc:  # the test inspects what each task met
            return exc

    with ThreadPoolExecutor(max_workers=max(workers, len(tasks))) as pool:
        return list(pool.map(run, tasks))


def test_a_hundred_buyers_for_twenty_units():
    product_id = _product(stock=20)
    shoppers = [_user(f"buyer{n}@example.com") for n in range(5)]
    one_unit = OrderCreate(product_id=product_id, quantity=1)
    results = _run_together(
        [lambda who=shoppers[n % 5]: orders.place_order(who, one_unit) for n in range(100)],
        workers=100,
    )
    placed = [r for r in results if isinstance(r, orders.PlacedOrder)]
    refused = [r for r in results if isinstance(r, orders.InsufficientStock)]
    assert len(placed) == 20
    assert len(refused) == 80
    assert _stock(product_id) == 0
    assert len({p.order.id for p in placed}) == 20


def test_user_and_admin_cancelling_at_once_restock_exactly_once():
    product_id = _product(stock=100)
    owner = _user("owner@example.com")
    admin = _user("boss@example.com", Role.ADMIN)
    placed = [
        orders.place_order(owner, OrderCreate(product_id=product_id, quantity=3)).order.id
        for _ in range(10)
    ]
    assert _stock(product_id) == 70
    tasks = []
    for order_id in placed:
        tasks.append(lambda o=order_id: orders.cancel_order(owner, o))
        tasks.append(lambda o=order_id: orders.change_status(admin, o, OrderStatus.CANCELLED))
    results = _run_together(tasks)
    outcomes = Counter(type(r).__name__ for r in results)
    assert outcomes == {"OrderPublic": 10, "Conflict": 10}
    assert _stock(product_id) == 100
    for order_id in placed:
        events = orders.get_order(admin, order_id).events
        assert [e.to_status for e in events] == ["pending", "cancelled"]


def test_cancel_racing_ship_leaves_a_consistent_order():
    product_id = _product(stock=50)
    owner = _user("racer@example.com")
    admin = _user("shipper@example.com", Role.ADMIN)
    order_ids = [
        orders.place_order(owner, OrderCreate(product_id=product_id, quantity=1)).order.id
        for _ in range(10)
    ]
    tasks = []
    for order_id in order_ids:
        tasks.append(lambda o=order_id: orders.cancel_order(owner, o))
        tasks.append(lambda o=order_id: orders.change_status(admin, o, OrderStatus.SHIPPED))
    _run_together(tasks)
    final = [orders.get_order(admin, o).status for o in order_ids]
    cancelled = final.count(OrderStatus.CANCELLED)
    assert cancelled + final.count(OrderStatus.SHIPPED) == 10
    assert _stock(product_id) == 40 + cancelled


def test_opposite_line_orders_do_not_deadlock():
    a, b = _product(stock=1000, name="Item A"), _product(stock=1000, name="Item B")
    shopper = _user("deadlock@example.com")
    forward = OrderCreate(
        items=[OrderLineIn(product_id=a, quantity=1), OrderLineIn(product_id=b, quantity=1)]
    )
    backward = OrderCreate(
        items=[OrderLineIn(product_id=b, quantity=1), OrderLineIn(product_id=a, quantity=1)]
    )
    results = _run_together(
        [lambda n=n: orders.place_order(shopper, forward if n % 2 else backward) for n in range(60)]
    )
    assert all(isinstance(r, orders.PlacedOrder) for r in results), results
    assert (_stock(a), _stock(b)) == (940, 940)


def test_duplicate_registrations_at_once_give_one_account_and_conflicts():
    data = UserCreate(name="Twin", email="twin@example.com", password="password-1")
    results = _run_together([lambda: auth.register(data) for _ in range(20)])
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))


def test_retries_with_one_idempotency_key_make_one_order():
    product_id = _product(stock=100)
    shopper = _user("retry@example.com")
    body = OrderCreate(product_id=product_id, quantity=2)
    results = _run_together(
        [lambda: orders.place_order(shopper, body, "same-key") for _ in range(16)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.order.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _stock(product_id) == 98


def test_retries_racing_for_the_last_units_replay_the_order_rather_than_refuse_it():
    """The stock is taken before the key is claimed: a retry that waited on the product's row
    lock finds the stock gone, and must still answer with the order that took it."""
    product_id = _product(stock=2)
    shopper = _user("last-units@example.com")
    body = OrderCreate(product_id=product_id, quantity=2)
    results = _run_together(
        [lambda: orders.place_order(shopper, body, "last-units") for _ in range(16)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.order.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _stock(product_id) == 0


def test_two_admins_demoting_each_other_leave_one_admin():
    first, second = _user("a1@example.com", Role.ADMIN), _user("a2@example.com", Role.ADMIN)
    for _ in range(5):
        results = _run_together(
            [
                lambda: users.toggle_role(first, second.id),
                lambda: users.toggle_role(second, first.id),
            ]
        )
        assert sum(isinstance(r, DomainError) for r in results) >= 1
        with session_scope() as session:
            admins = session.exec(select(User).where(User.role == Role.ADMIN)).all()
        assert len(admins) >= 1
        # Reset: make both admins again for the next round.
        for user in (first, second):
            with session_scope() as session:
                session.get(User, user.id).role = Role.ADMIN
