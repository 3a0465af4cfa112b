"""The order as its page shows it: lines at the prices paid, the address, its history, notes and
the status moves this viewer may make, all formatted once when the order is read."""

from __future__ import annotations

from pydantic import BaseModel

from oms_app.components.format import moment, money
from oms_app.models.countries import COUNTRY_NAMES
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.models.user import User
from oms_app.services import statuses


class LineView(BaseModel):
    name: str
    quantity: int
    unit_price: str
    line_total: str


class EventView(BaseModel):
    from_status: str  # "" for the order's creation
    to_status: str
    who: str
    when: str


class NoteView(BaseModel):
    author: str
    when: str
    text: str


class MoveView(BaseModel):
    status: str
    label: str
    consequence: str
    danger: bool


class OrderView(BaseModel):
    id: int = 0
    status: str = ""
    total: str = ""
    placed: str = ""
    customer_id: int = 0
    customer_name: str = ""
    customer_email: str = ""
    address: list[str] = []
    lines: list[LineView] = []
    events: list[EventView] = []
    notes: list[NoteView] = []
    moves: list[MoveView] = []

    @classmethod
    def of(cls, order: OrderPublic, actor: User) -> OrderView:
        address = order.shipping_address
        return cls(
            id=order.id,
            status=order.status.value,
            total=money(order.total),
            placed=moment(order.created_at),
            customer_id=order.customer.id if order.customer else 0,
            customer_name=order.customer.name if order.customer else "",
            customer_email=order.customer.email if order.customer else "",
            address=[]
            if address is None
            else [
                line
                for line in (
                    address.full_name,
                    address.line1,
                    address.line2,
                    f"{address.postal_code} {address.city}",
                    COUNTRY_NAMES.get(address.country, address.country),
                    f"Phone: {address.phone}" if address.phone else None,
                )
                if line
            ],
            lines=[
                LineView(
                    name=item.product_name,
                    quantity=item.quantity,
                    unit_price=money(item.unit_price),
                    line_total=money(item.unit_price * item.quantity),
                )
                for item in order.items
            ],
            events=[
                EventView(
                    from_status=event.from_status.value if event.from_status else "",
                    to_status=event.to_status.value,
                    who=event.actor_name or "a deleted account",
                    when=moment(event.created_at),
                )
                for event in order.events
            ],
            notes=[
                NoteView(author=note.author_name, when=moment(note.created_at), text=note.text)
                for note in order.notes or []
            ],
            # The service's state machine and permissions decide what is offered.
            moves=[
                MoveView(
                    status=target.value,
                    label=label,
                    consequence=statuses.MOVE_CONSEQUENCES[target],
                    danger=target == OrderStatus.CANCELLED,
                )
                for target, label in statuses.moves_for(actor, order.status)
            ],
        )
