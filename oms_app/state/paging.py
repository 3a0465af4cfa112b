"""Paging arithmetic the list pages share, and the id in a page's address, kept apart so they
can be tested on their own."""

from __future__ import annotations

from oms_app.models.common import MAX_INT32


def clamp_page(page: int, total_pages: int) -> int:
    """The page to show: `page`, unless the list now ends before it (then its last page)."""
    if total_pages and page > total_pages:
        return total_pages
    return max(page, 1)


def needs_pager(total_pages: int) -> bool:
    """Previous/Next only make sense with more than one page."""
    return total_pages > 1


def id_in_path(path: str) -> int | None:
    """The row id a page's address ends with ("/orders/42"), when it can be one: ASCII digits
    within the ids' range. Anything else is no id (the page says not found)."""
    text = path.rstrip("/").rsplit("/", 1)[-1]
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INT32 else None
