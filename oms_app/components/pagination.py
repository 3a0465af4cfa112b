"""Previous/Next paging for any server-side paginated list."""

from __future__ import annotations

import reflex as rx


def pagination(state: type[rx.State]) -> rx.Component:
    """Buttons "Previous"/"Next" around "Page x of y · N total", for a state with `page`,
    `total_pages`, `total` and `previous_page`/`next_page` handlers (see state/pagination.py).

    An empty list still reads "Page 1 of 1", not "Page 1 of 0".
    """
    page_var, total_pages_var, total_var = state.page, state.total_pages, state.total
    on_previous, on_next = state.previous_page, state.next_page
    last_page = rx.cond(total_pages_var > 0, total_pages_var, 1)
    return rx.flex(
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            on_click=on_previous,
            disabled=page_var <= 1,
            variant="soft",
            size="2",
        ),
        rx.text(
            "Page ",
            page_var,
            " of ",
            last_page,
            " · ",
            total_var,
            " total",
            size="2",
            color_scheme="gray",
            class_name="pagination-summary",
        ),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            on_click=on_next,
            disabled=page_var >= total_pages_var,
            variant="soft",
            size="2",
        ),
        align="center",
        justify="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_y="1em",
    )
