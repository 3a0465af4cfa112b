"""One pattern for every paged list: the catalogue, my orders and the admin lists.

A list state supplies `_fetch` (one page from a service, run in a worker thread) and `_row`
(an item as the page shows it) and declares `rows`. This base owns the rest: loading, the hop to
the worker thread, paging, the list that shrank under the reader, domain errors turned into
feedback, and the busy row while an action on it runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar, TypeVar

import reflex as rx
from pydantic import BaseModel
from reflex.event import EventType
from starlette.concurrency import run_in_threadpool

from oms_app.core.errors import DomainError, Forbidden, NotAuthenticated
from oms_app.models.common import Page, PageParams
from oms_app.models.user import User
from oms_app.state.live import LiveFeed, watch
from oms_app.state.paging import clamp_page
from oms_app.state.session import SessionState

T = TypeVar("T")
Updates = AsyncIterator[Any]


class PageState(rx.State, mixin=True):
    """A page that loads from the services: who is acting, and how a refusal is told."""

    loading: bool = False
    loaded: bool = False
    error: str = ""

    async def _actor(self) -> User:
        session = await self.get_state(SessionState)
        return await session._actor()

    def _failed(self, exc: DomainError, on_load: bool = False) -> list[EventType]:
        if isinstance(exc, NotAuthenticated):
            # The login ended (expired, logged out elsewhere): the guard sends them to log in.
            return [
                rx.toast.warning("Your session has expired. Please log in again."),
                SessionState.check_login,
            ]
        if on_load and _explained_by_guard(exc):
            return []
        return [rx.toast.error(exc.message)]


class ListPageState(PageState, mixin=True):
    page: int = 1
    total: int = 0
    total_pages: int = 0
    busy_id: int = 0
    # The live feed's count when the rows were last read (see state/live.py).
    _seen_version: int = 0

    page_size: ClassVar[int] = 10
    # False for lists a visitor may read (the catalogue): no login is looked for.
    needs_login: ClassVar[bool] = True

    # --- what a list supplies ----------------------------------------------------------------

    def _fetch(self, actor: User | None, params: PageParams) -> Page[Any]:
        """One page from a service. Runs in a worker thread: read filters here, set nothing."""
        raise NotImplementedError

    def _row(self, item: Any) -> BaseModel:
        raise NotImplementedError

    def _topic(self, actor: User) -> str | None:
        """The live topic (services/live.py) whose changes this list shows; None: not live.
        Raise a DomainError when the actor may not watch it."""
        return None

    # --- the events every list has -------------------------------------------------------------

    # A handler may return the async generator of `_reload`/`_act`: Reflex runs it as if the
    # handler itself yielded each update.

    @rx.event
    def load(self):
        """on_load, and after a filter changed: the current page, read again."""
        return self._reload()

    @rx.event
    def next_page(self):
        if self.page < self.total_pages:
            self.page += 1
            return self._reload()
        return None

    @rx.event
    def previous_page(self):
        if self.page > 1:
            self.page -= 1
            return self._reload()
        return None

    @rx.event
    async def refresh(self):
        """The page saw its live feed move: read the rows again, unless they are current."""
        feed = await self.get_state(LiveFeed)
        if not self.loaded or feed.version == self._seen_version:
            return None
        return self._reload()

    # --- for the list's own handlers ---------------------------------------------------------

    def _filtered(self) -> Updates:
        """A filter changed: read again from the first page."""
        self.page = 1
        return self._reload()

    async def _read(self) -> Page[Any]:
        actor = await self._actor() if self.needs_login else None
        if actor is not None:
            await self._watch(actor)
        params = PageParams(page=self.page, limit=self.page_size)
        return await run_in_threadpool(self._fetch, actor, params)

    async def _watch(self, actor: User) -> None:
        """Link the live feed to this list's topic, and note its count *before* the rows are
        read: a change committed meanwhile then shows as one more (harmless) read."""
        topic = self._topic(actor)
        if topic is None:
            return
        feed = await watch(await self.get_state(LiveFeed), topic)
        self._seen_version = feed.version

    async def _reload(self) -> Updates:
        self.loading = True
        yield
        try:
            result = await self._read()
            last = clamp_page(self.page, result.total_pages)
            if last != self.page:
                # The list shrank under the reader (deletions, a narrower filter): its last page.
                self.page = last
                result = await self._read()
        except DomainError as exc:
            self.error = "" if _explained_by_guard(exc) else exc.message
            yield self._failed(exc, on_load=not self.loaded)
            return
        finally:
            self.loading = False
        self.total, self.total_pages = result.total, result.total_pages
        self.rows = [self._row(item) for item in result.data]
        self.error = ""
        self.loaded = True

    async def _act(
        self,
        row_id: int,
        action: Callable[[User], T],
        done: Callable[[T], str],
        after: Callable[[T], EventType | None] | None = None,
    ) -> Updates:
        """Run a service action on one row, showing that row busy; then say how it went and
        read the page again (it may have moved or gone). `after` runs once the user has their
        answer (the activity log, say), and may send the browser more events."""
        self.busy_id = row_id
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
            yield rx.toast.success(done(result))
        finally:
            self.busy_id = 0
        async for update in self._reload():
            yield update
        if succeeded and after is not None:
            follow_up = after(result)
            if follow_up is not None:
                yield follow_up


def _explained_by_guard(exc: DomainError) -> bool:
    """The page's guard already shows why (the login page, or "Admins only")."""
    return isinstance(exc, NotAuthenticated | Forbidden)
