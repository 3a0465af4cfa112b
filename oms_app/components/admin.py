"""The admin console's frame and its tables."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from oms_app import routes
from oms_app.components.layout import link_button

SECTIONS = (
    ("Dashboard", routes.ADMIN, "layout-dashboard"),
    ("Products", routes.ADMIN_PRODUCTS, "package"),
    ("Categories", routes.ADMIN_CATEGORIES, "tags"),
    ("Orders", routes.ADMIN_ORDERS, "receipt"),
    ("Users", routes.ADMIN_USERS, "users"),
    ("Integrations", routes.ADMIN_INTEGRATIONS, "plug"),
    ("Audit", routes.ADMIN_AUDIT, "scroll-text"),
)
# The row-actions column stays in view on a narrow screen while the others scroll beneath it.
STICKY_END = {
    "position": "sticky",
    "right": "0",
    "background": "var(--color-panel-solid)",
    "box_shadow": "-1px 0 0 var(--gray-a5)",
}


def _in_section(current: str, section: str) -> bool:
    """The page is the section's list, or one of its items (/admin/orders/[order_id])."""
    return current == section or (section != routes.ADMIN and current.startswith(section + "/"))


def admin_nav(current: str) -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *(
                link_button(
                    rx.flex(rx.icon(icon, size=16, aria_hidden="true"), label, gap="2"),
                    route,
                    variant="solid" if _in_section(current, route) else "soft",
                    size="2",
                    aria_current="page" if route == current else None,
                )
                for label, route, icon in SECTIONS
            ),
            spacing="2",
            wrap="wrap",
        ),
        aria_label="Admin sections",
        margin_bottom="1.25em",
    )


def admin_frame(content: rx.Component, route: str) -> rx.Component:
    return rx.box(admin_nav(route), content, width="100%")


def data_table(
    columns: tuple[str, ...],
    rows: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    empty: rx.Var[bool],
    empty_message: str | rx.Var[str],
    actions: bool = True,
    **table_props: object,
) -> rx.Component:
    """A list page's table: headed columns, one row per item, a message when there is none.

    On a phone it scrolls sideways inside its own box (the page itself never does), with the
    last column (the row's actions, when `actions`) pinned in view."""
    headers = [rx.table.column_header_cell(title) for title in columns]
    if actions:
        headers[-1] = rx.table.column_header_cell(
            rx.el.span(columns[-1] or "Actions", class_name="rt-sr-only"), style=STICKY_END
        )
    # Radix scrolls the table inside its own area; its table clips (overflow: hidden), which
    # would make the sticky column stick to the table instead of that area.
    return rx.table.root(
        rx.table.header(rx.table.row(*headers)),
        rx.table.body(
            rx.foreach(rows, render_row),
            rx.cond(
                empty,
                rx.table.row(
                    rx.table.cell(
                        rx.text(empty_message),
                        col_span=len(columns),
                        text_align="center",
                    )
                ),
            ),
        ),
        variant="surface",
        width="100%",
        style={"& table": {"overflow": "visible"}},
        **table_props,
    )


def actions_cell(*children: rx.Component) -> rx.Component:
    # Button labels never break: the column's minimum width is then its widest button, where
    # otherwise a table squeezed onto a phone gave it less and the button stuck out past the
    # screen's edge ("Make admin" on /admin/users).
    return rx.table.cell(
        rx.flex(*children, spacing="2", wrap="wrap", white_space="nowrap"), style=STICKY_END
    )


def busy(loading: rx.Var[bool]) -> rx.Component:
    """A small spinner shown while a page's list is (re)loading."""
    return rx.cond(loading, rx.spinner(size="2", aria_label="Loading"))
