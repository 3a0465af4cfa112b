"""The admin order list's state: the filters and the page number read from and written to the
URL query (so a page can be linked, reloaded and gone back to), the rows they select, status
moves and the CSV export."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.core.errors import DomainError, InvalidInput
from oms_app.models.common import MAX_INT32, Page, PageParams
from oms_app.models.order import OrderPublic, OrderStatus
from oms_app.models.order_filters import OrderFilters, OrderSort
from oms_app.models.user import User
from oms_app.pages.admin_orders.rows import OrderRow
from oms_app.services import activity, auth, live, orders
from oms_app.services.order_filter_query import filters_from_query, query_of
from oms_app.services.search import SEARCH_MAX_LENGTH
from oms_app.state.list_page import ListPageState
from oms_app.state.session import SessionState

STATUSES = [s.value for s in OrderStatus]
# The REST route that streams the CSV (api/routes/orders.py); the browser fetches it itself.
EXPORT_PATH = "/api/v1/orders/export.csv"


def _at(query: str, page: int = 1) -> str:
    query = "&".join(part for part in (query, f"page={page}" if page > 1 else "") if part)
    return f"{routes.ADMIN_ORDERS}?{query}" if query else routes.ADMIN_ORDERS


def _page_in(query: str) -> int:
    """The page a URL names: its last `page`, when that is a page number at all; else the
    first (a page past the last is shown as the last, see `_reload`)."""
    values = [value for name, value in parse_qsl(query) if name == "page"]
    if values and values[-1].isascii() and values[-1].isdigit():
        return min(max(int(values[-1]), 1), MAX_INT32)
    return 1


class OrdersAdminState(ListPageState, rx.State):
    rows: list[OrderRow] = []
    # The filters as the inputs show them; the URL query is where they really live.
    q: str = ""
    statuses: list[str] = []
    created_from: str = ""
    created_to: str = ""
    sort: str = OrderSort.NEWEST.value
    filter_error: str = ""
    exporting: bool = False
    # The query of the rows shown: validated, in services/order_filter_query.py's form.
    _query: str = ""

    def _fetch(self, actor: User | None, params: PageParams) -> Page[OrderPublic]:
        assert actor is not None  # noqa: S101 - needs_login
        return orders.list_orders(actor, params, filters=filters_from_query(self._query))

    def _topic(self, actor: User) -> str:
        return live.all_orders_topic(actor)

    def _row(self, item: OrderPublic) -> OrderRow:
        return OrderRow.of(item)

    def _show(self, filters: OrderFilters) -> None:
        if self.q.strip() != (filters.q or ""):
            # Only when it differs: the search box is still being typed in ("Ada |"), and
            # its spaces must survive the page reading its own address.
            self.q = filters.q or ""
        self.statuses = [s.value for s in OrderStatus if s in set(filters.status)]
        self.created_from = filters.created_from.isoformat() if filters.created_from else ""
        self.created_to = filters.created_to.isoformat() if filters.created_to else ""
        self.sort = filters.sort.value

    @rx.event
    def open(self):
        """on_load, also after every filter change and Back: the filters the URL names."""
        query = self.router.url.query
        try:
            filters = filters_from_query(query)
        except InvalidInput as exc:
            # A hand-edited or stale link: say what is wrong, and show nothing it did not ask.
            self.filter_error = f"{exc.message}."
            self.rows, self.total, self.total_pages, self.loaded = [], 0, 0, True
            return None
        self._show(filters)
        self.filter_error = ""
        self._query, self.page = query_of(filters), _page_in(query)
        return self._reload()

    # Paging goes through the URL too, like the filters: `open` then reads the page it names.
    @rx.event
    def next_page(self):
        if self.page < self.total_pages:
            return rx.redirect(_at(self._query, self.page + 1))
        return None

    @rx.event
    def previous_page(self):
        if self.page > 1:
            return rx.redirect(_at(self._query, self.page - 1))
        return None

    def _go(self):
        """Navigate to the filters the inputs now show; a filter that cannot be run is said
        beside the filters (the inputs keep what was chosen), and nothing else changes."""
        pairs = [
            ("q", self.q),
            *(("status", status) for status in self.statuses),
            ("created_from", self.created_from),
            ("created_to", self.created_to),
            ("sort", self.sort),
        ]
        try:
            filters = filters_from_query(urlencode(pairs))
        except InvalidInput as exc:
            self.filter_error = f"{exc.message}."
            return None
        self.filter_error = ""
        return rx.redirect(_at(query_of(filters)))

    @rx.event
    def set_q(self, value: object):
        # The service says what is too long; this only bounds what the state holds.
        self.q = str(value)[: SEARCH_MAX_LENGTH * 4]
        return self._go()

    @rx.event
    def toggle_status(self, status: object, on: object = False):
        if status not in STATUSES:
            return None
        self.statuses = [
            s
            for s in STATUSES
            if (s == status and on is True) or (s != status and s in self.statuses)
        ]
        return self._go()

    @rx.event
    def set_created_from(self, value: object):
        self.created_from = str(value)[:32]
        return self._go()

    @rx.event
    def set_created_to(self, value: object):
        self.created_to = str(value)[:32]
        return self._go()

    @rx.event
    def set_sort(self, value: object):
        self.sort = str(value)[:32]
        return self._go()

    @rx.event
    def clear_filters(self):
        self.filter_error = ""
        return rx.redirect(routes.ADMIN_ORDERS)

    @rx.event
    def change_status(self, order_id: int, status: str):
        if status not in STATUSES or type(order_id) is not int:  # not a bool, nor text
            return rx.toast.error("That is not an order status.")
        target = OrderStatus(status)
        return self._act(
            order_id,
            lambda actor: orders.change_status(actor, order_id, target),
            lambda changed: f"Order #{order_id} is now {changed.status.value}.",
            after=activity.order_status_changed,
        )

    @rx.event
    async def export_csv(self):
        """Hand the browser a link to the streaming export of the filters shown, signed with
        a one-minute token.

        The browser downloads straight from the API, so the file never passes through this
        state (or memory) however many orders there are.
        """
        self.exporting = True
        yield
        try:
            session = await self.get_state(SessionState)
            await session._actor()  # refreshes an expired access token first
            token = await run_in_threadpool(auth.issue_download_token, session.access_token)
        except DomainError as exc:
            yield self._failed(exc)
            return
        finally:
            self.exporting = False
        query = "&".join(
            part for part in (self._query, urlencode({"download_token": token})) if part
        )
        name = "-".join(self.statuses) or "all"
        yield rx.download(url=f"{EXPORT_PATH}?{query}", filename=f"orders-{name}.csv")
        yield rx.toast.info("Export started: the CSV is downloading.")
