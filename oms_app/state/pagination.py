"""Server-side paging shared by list pages: the page number and the Previous/Next handlers."""

from __future__ import annotations

import reflex as rx

from oms_app.models.common import Page


class PagedState(rx.State, mixin=True):
    """Mix into a page state that has a `load` event reading page `page` from a service."""

    page: int = 1
    total: int = 0
    total_pages: int = 0

    def _accept(self, result: Page) -> bool:
        """Take a loaded page's totals. False when the page asked for no longer exists (its last
        rows went away meanwhile): the last page is selected instead, for the caller to load."""
        if result.total_pages and self.page > result.total_pages:
            self.page = result.total_pages
            return False
        self.total, self.total_pages = result.total, result.total_pages
        return True

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
