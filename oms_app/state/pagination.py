"""Server-side paging shared by list pages: the page number and the Previous/Next handlers."""

from __future__ import annotations

import reflex as rx


class PagedState(rx.State, mixin=True):
    """Mix into a page state that has a `load` event reading page `page` from a service."""

    page: int = 1
    total: int = 0
    total_pages: int = 0

    @rx.event
    def previous_page(self):
        if self.page > 1:
            self.page -= 1
            return type(self).load
        return None

    @rx.event
    def next_page(self):
        if self.page < self.total_pages:
            self.page += 1
            return type(self).load
        return None
