"""The admin console's frame: its own navigation above every admin page, behind the admin guard."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from oms_app import routes
from oms_app.components.layout import layout, require_admin

SECTIONS = (
    ("Dashboard", routes.ADMIN, "layout-dashboard"),
    ("Products", routes.ADMIN_PRODUCTS, "package"),
    ("Orders", routes.ADMIN_ORDERS, "receipt"),
    ("Users", routes.ADMIN_USERS, "users"),
)


def admin_nav(current: str) -> rx.Component:
    return rx.flex(
        *(
            rx.link(
                rx.button(
                    rx.icon(icon, size=16),
                    label,
                    variant="solid" if route == current else "soft",
                    size="2",
                ),
                href=route,
                underline="none",
            )
            for label, route, icon in SECTIONS
        ),
        spacing="2",
        wrap="wrap",
        margin_bottom="1.25em",
        aria_label="Admin sections",
        role="navigation",
    )


def admin_page(*children: rx.Component, title: str, route: str) -> rx.Component:
    """Admins see the section; anyone else sees why not (visitors are sent to log in)."""
    return layout(
        require_admin(rx.box(admin_nav(route), *children, width="100%")),
        title=title,
    )


def scroll_x(table: rx.Component) -> rx.Component:
    """Tables keep their columns and scroll sideways on a phone instead of squashing."""
    return rx.box(table, width="100%", overflow_x="auto")


def data_table(
    columns: tuple[str, ...],
    rows: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    empty: rx.Var[bool],
    empty_message: str | rx.Var[str],
    **table_props: object,
) -> rx.Component:
    """A list page's table: headed columns, one row per item, a message when there is none,
    scrolling sideways on a phone instead of squashing its columns."""
    return scroll_x(
        rx.table.root(
            rx.table.header(
                rx.table.row(*(rx.table.column_header_cell(title) for title in columns))
            ),
            rx.table.body(
                rx.foreach(rows, render_row),
                rx.cond(
                    empty,
                    rx.table.row(
                        rx.table.cell(
                            rx.text(empty_message, color_scheme="gray"),
                            col_span=len(columns),
                            text_align="center",
                        )
                    ),
                ),
            ),
            variant="surface",
            width="100%",
            **table_props,
        )
    )


def busy(loading: rx.Var[bool]) -> rx.Component:
    """A small spinner shown while a page's list is (re)loading."""
    return rx.cond(loading, rx.spinner(size="2", aria_label="Loading"))
