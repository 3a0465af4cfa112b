"""The order page's state: reads the order for this viewer, follows its live feed, and runs the
status moves and notes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app.core.errors import DomainError, NotAuthenticated, NotFound
from oms_app.models.order import OrderNoteCreate, OrderStatus
from oms_app.models.user import User
from oms_app.pages.order_detail.view import OrderView
from oms_app.services import activity, live, order_notes, orders
from oms_app.state.form import FormState, form_text
from oms_app.state.list_page import PageState, Updates
from oms_app.state.live import LiveFeed, watch
from oms_app.state.paging import id_in_path


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
