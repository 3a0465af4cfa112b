"""Shipping addresses: the rules of the value object, copying at placement, the last address
used, the country list, and an admin's change while the order is pending."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from oms_app.core.db import get_engine, session_scope
from oms_app.core.errors import Conflict, Forbidden, NotFound
from oms_app.models.address import ShippingAddress
from oms_app.models.countries import COUNTRY_NAMES
from oms_app.models.order import Order, OrderCreate, OrderStatus
from oms_app.models.user import Role, User
from oms_app.services import addresses, live, orders
from tests.services.test_concurrency import _product, _user

pytestmark = pytest.mark.usefixtures("database")

HOME = {
    "full_name": "Grace Hopper",
    "line1": "1 Navy Way",
    "city": "Arlington",
    "postal_code": "22202",
    "country": "US",
}
WORK = {**HOME, "line1": "2 Lab Road", "line2": "Floor 3", "country": "GB", "phone": "+44 1"}


def test_an_address_is_cleaned_once_in_the_model():
    address = ShippingAddress(
        full_name="  Grace Hopper ",
        line1="1 Navy Way",
        line2="   ",
        city="Arlington",
        postal_code=" 22202",
        country=" us ",
        phone="",
    )
    assert address.full_name == "Grace Hopper"
    assert address.postal_code == "22202"
    assert address.country == "US"
    assert address.line2 is None
    assert address.phone is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", ""),
        ("full_name", "   "),
        ("full_name", "x" * 101),
        ("full_name", "x" * 10_000),
        ("full_name", "Grace\x00Hopper"),
        ("line1", "1 Navy Way\n2nd line"),
        ("line1", "x" * 201),
        ("line2", "x" * 201),
        ("line2", "tab\there"),
        ("city", "x" * 101),
        ("postal_code", "x" * 21),
        ("country", "XX"),
        ("country", "USA"),
        ("country", "U"),
        ("country", ""),
        ("country", None),
        ("phone", "1" * 33),
        ("phone", "\x7f"),
        ("city", 12),
    ],
)
def test_bad_addresses_are_refused_with_the_field_named(field, value):
    with pytest.raises(ValidationError) as refused:
        ShippingAddress(**{**HOME, field: value})
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]


def test_limits_are_inclusive():
    address = ShippingAddress(
        full_name="x" * 100,
        line1="x" * 200,
        line2="x" * 200,
        city="x" * 100,
        postal_code="x" * 20,
        country="gb",
        phone="1" * 32,
    )
    assert address.country == "GB"


def test_missing_and_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        ShippingAddress(**{k: v for k, v in HOME.items() if k != "city"})
    with pytest.raises(ValidationError):
        ShippingAddress(**HOME, state="VA")


def test_the_country_list_is_the_list_that_validates():
    listed = addresses.countries()
    assert len(listed) == len(COUNTRY_NAMES) == 249
    assert [c.name.casefold() for c in listed] == sorted(c.name.casefold() for c in listed)
    assert {c.code for c in listed} == set(COUNTRY_NAMES)
    for country in listed:
        assert ShippingAddress(**{**HOME, "country": country.code.lower()}).country == country.code
    assert {"GB": "United Kingdom", "US": "United States"}.items() <= {
        c.code: c.name for c in listed
    }.items()


def test_the_address_is_copied_onto_the_order_and_stays_as_written():
    shopper = _user("grace@example.com", name="Grace")
    product_id = _product(stock=10)
    placed = orders.place_order(
        shopper,
        OrderCreate(product_id=product_id, quantity=1, shipping_address=ShippingAddress(**HOME)),
    ).order
    assert placed.shipping_address == ShippingAddress(**HOME)
    with session_scope() as session:
        session.get(User, shopper.id).name = "Grace B. Hopper"
    again = orders.get_order(shopper, placed.id)
    assert again.shipping_address == ShippingAddress(**HOME)
    assert again.customer.name == "Grace B. Hopper"  # the account as it is now


def test_orders_without_an_address_still_work_and_show_none():
    shopper = _user("ref@example.com")
    order = orders.place_order(shopper, OrderCreate(product_id=_product(stock=5), quantity=1))
    assert order.order.shipping_address is None


def test_the_last_address_used_prefills_the_checkout():
    shopper = _user("grace@example.com")
    other = _user("alan@example.com")
    product_id = _product(stock=10)
    assert addresses.last_shipping_address(shopper) is None

    def place(who, address=None):
        data = OrderCreate(product_id=product_id, quantity=1, shipping_address=address)
        return orders.place_order(who, data).order

    place(shopper, ShippingAddress(**HOME))
    place(shopper, ShippingAddress(**WORK))
    place(shopper)  # a REST order without an address does not hide the last one
    place(other, ShippingAddress(**HOME))
    assert addresses.last_shipping_address(shopper) == ShippingAddress(**WORK)


@pytest.fixture
def pending():
    admin = _user("boss@example.com", Role.ADMIN)
    shopper = _user("grace@example.com")
    data = OrderCreate(
        product_id=_product(stock=10), quantity=1, shipping_address=ShippingAddress(**HOME)
    )
    return admin, shopper, orders.place_order(shopper, data).order


def test_an_admin_changes_a_pending_orders_address_and_it_is_announced(pending):
    admin, shopper, order = pending
    heard: list[live.OrderChange] = []
    live.subscribe(heard.append)
    try:
        changed = addresses.change_address(admin, order.id, ShippingAddress(**WORK))
    finally:
        live.unsubscribe(heard.append)
    assert changed.shipping_address == ShippingAddress(**WORK)
    assert changed.updated_at > order.updated_at
    assert changed.notes == []  # the admin's view
    assert heard == [live.OrderChange(order.id, shopper.id, "pending")]
    assert orders.get_order(shopper, order.id).shipping_address == ShippingAddress(**WORK)


def test_only_admins_change_an_address_and_only_while_pending(pending):
    admin, shopper, order = pending
    with pytest.raises(Forbidden):
        addresses.change_address(shopper, order.id, ShippingAddress(**WORK))
    with pytest.raises(NotFound):
        addresses.change_address(admin, 999_999, ShippingAddress(**WORK))
    orders.change_status(admin, order.id, OrderStatus.SHIPPED)
    with pytest.raises(Conflict, match="pending"):
        addresses.change_address(admin, order.id, ShippingAddress(**WORK))
    assert orders.get_order(admin, order.id).shipping_address == ShippingAddress(**HOME)


def _wait_for_a_lock_wait(deadline_s: float = 30) -> None:
    """Until some session of this database waits on a row lock (a safety cap, not a timing)."""
    stop = time.monotonic() + deadline_s
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < stop:
        with get_engine().connect() as conn:
            if conn.execute(query).scalar():
                return
        time.sleep(0.01)
    raise AssertionError("the address change never waited for the shipment's lock")


def test_an_address_change_queued_behind_a_shipment_is_refused(pending):
    """The change reads the status under the row lock: it cannot land after the parcel left."""
    if get_engine().dialect.name != "postgresql":
        pytest.skip("needs row locks")
    admin, _shopper, order = pending
    started = threading.Event()
    with get_engine().connect() as shipping, ThreadPoolExecutor(1) as pool:
        shipping.execute(
            text("UPDATE orders SET status = 'shipped' WHERE id = :id"), {"id": order.id}
        )

        def change():
            started.set()
            return addresses.change_address(admin, order.id, ShippingAddress(**WORK))

        future = pool.submit(change)
        started.wait()
        _wait_for_a_lock_wait()
        shipping.commit()
        with pytest.raises(Conflict):
            future.result(timeout=30)
    with session_scope() as session:
        assert session.get(Order, order.id).shipping_address == ShippingAddress(**HOME).model_dump()
