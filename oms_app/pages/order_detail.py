"""One order: /orders/{id} for its owner, /admin/orders/{id} for admins.

Its lines at the prices paid, the total, where it goes, its status history, the moves the viewer
may make now (each confirmed first) and, for admins, the internal notes with a form to add one.
The page is live: a change made anywhere is pushed to it (state/live.py). An order the service
will not show this viewer (missing, or someone else's) reads as not found, whichever it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.confirm import confirm_button
from oms_app.components.format import moment, money
from oms_app.components.forms import field_error, field_label
from oms_app.components.layout import link_button, loading
from oms_app.components.lists import live_updates
from oms_app.components.status_badge import status_badge
from oms_app.components.templates import admin_page, page
from oms_app.core.errors import DomainError, NotAuthenticated, NotFound
from oms_app.models.countries import COUNTRY_NAMES
from oms_app.models.order import NOTE_MAX_LENGTH, OrderNoteCreate, OrderPublic, OrderStatus
from oms_app.models.user import User
from oms_app.services import activity, live, order_notes, orders, statuses
from oms_app.state.form import FormState, form_text
from oms_app.state.list_page import PageState, Updates
from oms_app.state.live import LiveFeed, watch
from oms_app.state.paging import id_in_path


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


class OrderDetailState(FormState, PageState, rx.State):
    order: OrderView = OrderView()
    missing: bool = False
    busy: bool = False
    # Re-mounts the note box once a note is saved, emptying it.
    note_version: int = 0
    # The order this tab's live feed is linked to, and the feed's count when last read.
    _watching: int = 0
    _seen_version: int = 0

    @rx.event
    async def open(self):
        """on_load: the order in the address, read for this viewer."""
        self.order, self.missing, self.loaded, self.errors = OrderView(), False, False, {}
        order_id = id_in_path(self.router.url.path)
        if order_id is None:
            self.missing = True
            return None
        return self._reload(order_id)

    @rx.event
    async def refresh(self):
        """The live feed moved: read the order again, unless it is current."""
        feed = await self.get_state(LiveFeed)
        if not self.loaded or self.missing or feed.version == self._seen_version:
            return None
        return self._reload(self.order.id)

    async def _read(self, actor: User, order_id: int) -> OrderView:
        return OrderView.of(await run_in_threadpool(orders.get_order, actor, order_id), actor)

    async def _reload(self, order_id: int) -> Updates:
        self.loading = True
        yield
        try:
            actor = await self._actor()
            view = await self._read(actor, order_id)
            if self._watching != order_id:
                # Linked only once the service has shown this viewer the order; then read
                # again, so a change committed between the two reads is not missed.
                feed = await watch(await self.get_state(LiveFeed), live.order_topic(order_id))
                self._watching, self._seen_version = order_id, feed.version
                view = await self._read(actor, order_id)
            else:
                self._seen_version = (await self.get_state(LiveFeed)).version
        except NotFound:
            self.missing = True
            return
        except DomainError as exc:
            self.error = "" if isinstance(exc, NotAuthenticated) else exc.message
            yield self._failed(exc, on_load=not self.loaded)
            return
        finally:
            self.loading = False
        self.order, self.error, self.loaded = view, "", True

    @rx.event
    async def change_status(self, status: object = None):
        target = next((s for s in OrderStatus if s.value == status), None)
        if target is None or not self.loaded:
            return rx.toast.error("That is not an order status.")
        order_id = self.order.id
        return self._act(
            lambda actor: orders.change_status(actor, order_id, target),
            f"Order #{order_id} is now {target.value}.",
            after=activity.order_status_changed,
        )

    @rx.event
    async def add_note(self, form: object = None):
        note = self._parse(OrderNoteCreate, {"text": form_text(form, "text")})
        if note is None or not self.loaded:
            return None
        order_id = self.order.id
        return self._act(
            lambda actor: order_notes.add_note(actor, order_id, note), "Note added.", note=True
        )

    async def _act(
        self,
        action: Callable[[User], Any],
        done: str,
        after: Callable[[Any], None] | None = None,
        note: bool = False,
    ) -> Updates:
        """Run a service action on the order, showing it busy; say how it went and read the
        order again. `after` runs once the viewer has their answer (the activity log)."""
        self.busy = True
        yield
        succeeded = False
        try:
            actor = await self._actor()
            result = await run_in_threadpool(action, actor)
        except DomainError as exc:
            yield self._failed(exc)
            if isinstance(exc, NotAuthenticated):
                return
        else:
            succeeded = True
            if note:
                self.note_version += 1
            yield rx.toast.success(done)
        finally:
            self.busy = False
        async for update in self._reload(self.order.id):
            yield update
        if succeeded and after is not None:
            after(result)


# --- components --------------------------------------------------------------------------------


def _section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="4", margin_bottom="0.75em"),
        *children,
        width="100%",
        **props,
    )


def _lines() -> rx.Component:
    order = OrderDetailState.order
    return _section(
        "Items",
        rx.flex(
            rx.foreach(
                order.lines,
                lambda line: rx.flex(
                    rx.flex(
                        rx.text(line.quantity.to_string() + " \u00d7 " + line.name, size="2"),
                        rx.text(line.unit_price + " each", size="1", color_scheme="gray"),
                        direction="column",
                    ),
                    rx.spacer(),
                    rx.text(line.line_total, size="2", weight="medium"),
                    align="center",
                    spacing="3",
                    class_name="order-line",
                ),
            ),
            rx.separator(size="4"),
            rx.flex(
                rx.text("Total", weight="bold"),
                rx.spacer(),
                rx.text(order.total, weight="bold", id="order-total"),
            ),
            direction="column",
            spacing="2",
        ),
    )


def _address() -> rx.Component:
    order = OrderDetailState.order
    return _section(
        "Delivery address",
        rx.cond(
            order.address.length() > 0,
            rx.el.address(
                rx.foreach(order.address, lambda line: rx.text(line, size="2")),
                font_style="normal",
                id="order-address",
            ),
            rx.text("No address was given with this order.", size="2"),
        ),
    )


def _timeline() -> rx.Component:
    def event(item: rx.Var[EventView]) -> rx.Component:
        return rx.el.li(
            rx.text(
                rx.cond(
                    item.from_status == "",
                    rx.text.strong("placed (" + item.to_status + ")"),
                    rx.fragment(item.from_status, " \u2192 ", rx.text.strong(item.to_status)),
                ),
                size="2",
            ),
            rx.text("by " + item.who + ", " + item.when, size="1", color_scheme="gray"),
            class_name="order-event",
            margin_bottom="0.5em",
        )

    return _section(
        "History",
        rx.el.ol(rx.foreach(OrderDetailState.order.events, event), padding_left="1.25em"),
        id="order-history",
    )


def _moves() -> rx.Component:
    state = OrderDetailState
    return rx.flex(
        rx.foreach(
            state.order.moves,
            lambda move: confirm_button(
                move.label,
                title=move.label + ": order #" + state.order.id.to_string() + "?",
                question=move.consequence,
                confirm_label=move.label,
                on_confirm=state.change_status(move.status),
                color_scheme=rx.cond(move.danger, "red", "indigo"),
                loading=state.busy,
                size="2",
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def _notes() -> rx.Component:
    state = OrderDetailState
    return _section(
        "Internal notes",
        rx.text("Only admins see these; the customer never does.", size="2", color_scheme="gray"),
        rx.cond(
            state.order.notes.length() > 0,
            rx.flex(
                rx.foreach(
                    state.order.notes,
                    lambda note: rx.box(
                        rx.text(note.text, size="2", white_space="pre-wrap"),
                        rx.text(note.author + ", " + note.when, size="1", color_scheme="gray"),
                        class_name="order-note",
                        padding="0.5em 0.75em",
                        border_left="3px solid var(--accent-8)",
                    ),
                ),
                direction="column",
                spacing="2",
                margin_y="0.75em",
            ),
            rx.text("No notes yet.", size="2", margin_y="0.75em"),
        ),
        rx.form(
            rx.flex(
                field_label("Add a note", "order-note-text"),
                rx.text_area(
                    id="order-note-text",
                    name="text",
                    max_length=NOTE_MAX_LENGTH,
                    rows="3",
                    width="100%",
                    key="note-" + state.note_version.to_string(),
                    aria_describedby="order-note-text-error",
                ),
                field_error(state.errors, "text", id="order-note-text-error"),
                rx.button("Add note", type="submit", loading=state.busy, align_self="start"),
                direction="column",
                spacing="2",
            ),
            on_submit=state.add_note,
        ),
        id="order-notes",
    )


def _customer(admin: bool) -> rx.Component:
    order = OrderDetailState.order
    if not admin:
        return rx.fragment()
    return _section(
        "Customer",
        rx.cond(
            order.customer_id > 0,
            rx.flex(
                rx.link(
                    order.customer_name,
                    href="/admin/users/" + order.customer_id.to_string(),
                    underline="always",
                    weight="medium",
                ),
                rx.text(order.customer_email, size="2"),
                direction="column",
                spacing="1",
            ),
            rx.text("The account has been deleted; the order is kept.", size="2"),
        ),
        id="order-customer",
    )


def _not_found(back: str, back_label: str) -> rx.Component:
    return rx.flex(
        rx.callout(
            "There is no order at this address, or it is not yours to see.",
            icon="search-x",
            id="order-not-found",
        ),
        link_button(back_label, back, variant="soft", align_self="start"),
        direction="column",
        spacing="3",
    )


def order_details(admin: bool) -> rx.Component:
    state = OrderDetailState
    back, back_label = (
        (routes.ADMIN_ORDERS, "All orders") if admin else (routes.ORDERS, "My orders")
    )
    return rx.fragment(
        live_updates(state),
        rx.cond(
            state.missing,
            _not_found(back, back_label),
            rx.cond(
                state.loaded,
                rx.flex(
                    rx.flex(
                        rx.heading("Order #" + state.order.id.to_string(), as_="h2", size="5"),
                        status_badge(state.order.status, class_name="order-status"),
                        rx.text("Placed " + state.order.placed, size="2"),
                        rx.spacer(),
                        _moves(),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                        width="100%",
                    ),
                    rx.grid(
                        _lines(),
                        rx.flex(
                            _customer(admin),
                            _address(),
                            direction="column",
                            spacing="3",
                        ),
                        columns=rx.breakpoints(initial="1", md="2"),
                        spacing="3",
                        width="100%",
                    ),
                    _timeline(),
                    _notes() if admin else rx.fragment(),
                    rx.link(f"\u2190 {back_label}", href=back, underline="always", size="2"),
                    direction="column",
                    spacing="3",
                    width="100%",
                    id="order-details",
                ),
                rx.cond(state.error == "", loading(), rx.callout(state.error, color_scheme="red")),
            ),
        ),
    )


@page(routes.ORDER, "Order", login=True, on_load=OrderDetailState.open)
def order_page() -> rx.Component:
    return order_details(admin=False)


@admin_page(routes.ADMIN_ORDER, "Order", on_load=OrderDetailState.open)
def admin_order_page() -> rx.Component:
    return order_details(admin=True)
