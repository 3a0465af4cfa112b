"""Previous/Next paging for any server-side paginated list."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType


def pagination(
    page_var: rx.Var[int],
    total_pages_var: rx.Var[int],
    total_var: rx.Var[int],
    on_previous: EventType[()],
    on_next: EventType[()],
) -> rx.Component:
    """Buttons "Previous"/"Next" around "Page x of y · N total".

    An empty list still reads "Page 1 of 1", not "Page 1 of 0".
    """
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
