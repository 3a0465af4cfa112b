"""Paging arithmetic the list pages share, kept apart so it can be tested on its own."""

from __future__ import annotations


def clamp_page(page: int, total_pages: int) -> int:
    """The page to show: `page`, unless the list now ends before it (then its last page)."""
    if total_pages and page > total_pages:
        return total_pages
    return max(page, 1)


def needs_pager(total_pages: int) -> bool:
    """Previous/Next only make sense with more than one page."""
    return total_pages > 1
