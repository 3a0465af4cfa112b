"""Previous/Next paging for any list built on state/list_page.py; hidden when there is one page."""

from __future__ import annotations

import reflex as rx


def pagination(state: type[rx.State]) -> rx.Component:
    return rx.cond(
        state.total_pages > 1,
        rx.el.nav(
            rx.flex(
                rx.button(
                    rx.icon("chevron-left", size=16, aria_hidden="true"),
                    "Previous",
                    on_click=state.previous_page,
                    disabled=state.page <= 1,
                    variant="soft",
                    size="2",
                ),
                rx.text(
                    f"Page {state.page} of {state.total_pages} · {state.total} total",
                    size="2",
                    class_name="pagination-summary",
                    aria_live="polite",
                ),
                rx.button(
                    "Next",
                    rx.icon("chevron-right", size=16, aria_hidden="true"),
                    on_click=state.next_page,
                    disabled=state.page >= state.total_pages,
                    variant="soft",
                    size="2",
                ),
                align="center",
                justify="center",
                spacing="3",
                wrap="wrap",
                width="100%",
                padding_y="1em",
            ),
            aria_label="Pages",
        ),
    )
