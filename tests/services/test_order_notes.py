"""Internal notes: admins write and read them, customers never see them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from oms_app.core.errors import Forbidden, NotFound
from oms_app.models.common import PageParams
from oms_app.models.order import OrderCreate, OrderNoteCreate, OrderStatus
from oms_app.models.user import Role
from oms_app.services import live, order_notes, orders, users
from tests.services.test_concurrency import _product, _user

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def order():
    admin = _user("boss@example.com", Role.ADMIN, name="The Boss")
    shopper = _user("grace@example.com", name="Grace")
    placed = orders.place_order(shopper, OrderCreate(product_id=_product(stock=5), quantity=1))
    return admin, shopper, placed.order


def test_notes_are_listed_oldest_first_for_admins_only(order):
    admin, shopper, placed = order
    first = order_notes.add_note(admin, placed.id, OrderNoteCreate(text="Called the customer"))
    second = order_notes.add_note(admin, placed.id, OrderNoteCreate(text="Gift wrap\nplease"))
    assert (first.author_id, first.author_name) == (admin.id, "The Boss")
    seen = orders.get_order(admin, placed.id).notes
    assert [(n.id, n.text) for n in seen] == [
        (first.id, "Called the customer"),
        (second.id, "Gift wrap\nplease"),
    ]
    assert orders.get_order(shopper, placed.id).notes is None
    # Lists never carry notes; a status change answers with the admin's view.
    assert orders.list_orders(admin, PageParams()).data[0].notes is None
    shipped = orders.change_status(admin, placed.id, OrderStatus.SHIPPED)
    assert [n.id for n in shipped.notes] == [first.id, second.id]


def test_a_note_changes_nothing_the_customer_sees_but_is_announced(order):
    admin, shopper, placed = order
    heard: list[live.OrderChange] = []
    live.subscribe(heard.append)
    try:
        order_notes.add_note(admin, placed.id, OrderNoteCreate(text="Fragile"))
    finally:
        live.unsubscribe(heard.append)
    assert heard == [live.OrderChange(placed.id, shopper.id, "pending")]
    assert orders.get_order(shopper, placed.id).updated_at == placed.updated_at


def test_only_admins_write_notes_on_orders_that_exist(order):
    admin, shopper, placed = order
    with pytest.raises(Forbidden):
        order_notes.add_note(shopper, placed.id, OrderNoteCreate(text="let me in"))
    with pytest.raises(NotFound):
        order_notes.add_note(admin, 999_999, OrderNoteCreate(text="nowhere"))
    assert orders.get_order(admin, placed.id).notes == []


def test_the_authors_name_outlives_the_account(order):
    admin, _shopper, placed = order
    other_admin = _user("deputy@example.com", Role.ADMIN, name="Deputy")
    order_notes.add_note(other_admin, placed.id, OrderNoteCreate(text="Checked stock"))
    users.delete_user(admin, other_admin.id)
    (note,) = orders.get_order(admin, placed.id).notes
    assert (note.author_id, note.author_name) == (None, "Deputy")


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, "nul\x00byte"])
def test_bad_notes_are_refused(text):
    with pytest.raises(ValidationError):
        OrderNoteCreate(text=text)


def test_the_longest_note_fits(order):
    admin, _shopper, placed = order
    note = order_notes.add_note(admin, placed.id, OrderNoteCreate(text="x" * 2000))
    assert len(note.text) == 2000
