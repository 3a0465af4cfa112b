"""The admin console's frame: its own navigation above every admin page, behind the admin guard."""

from __future__ import annotations

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


def empty_row(columns: int, message: str) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(message, color_scheme="gray"), col_span=columns, text_align="center")
    )


def busy(loading: rx.Var[bool]) -> rx.Component:
    """A small spinner shown while a page's list is (re)loading."""
    return rx.cond(loading, rx.spinner(size="2", aria_label="Loading"))
