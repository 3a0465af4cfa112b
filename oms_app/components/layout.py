"""The page shell: skip link, navigation (collapsing to a menu on a phone), the page's main
region with its one h1, and a banner while the connection to the server is lost."""

from __future__ import annotations

import reflex as rx

from oms_app import reflex_adapter, routes
from oms_app.state.cart import CartState
from oms_app.state.session import SessionState

PHONE_ONLY = {"display": ["flex", "flex", "none"]}
WIDE_ONLY = {"display": ["none", "none", "flex"]}


def link_button(label: str | rx.Component, href: str, **button_props) -> rx.Component:
    """A link that looks like a button: one element, never a button inside a link."""
    return rx.button(rx.link(label, href=href, underline="none"), as_child=True, **button_props)


def _cart_link() -> rx.Component:
    return rx.link(
        rx.flex(
            rx.icon("shopping-cart", size=18, aria_hidden="true"),
            rx.text("Cart"),
            rx.badge(CartState.item_count, variant="solid", radius="full", id="cart-count"),
            align="center",
            spacing="1",
        ),
        href=routes.CART,
        weight="medium",
        underline="hover",
    )


def _nav_links(direction: str) -> rx.Component:
    return rx.flex(
        rx.link("Catalogue", href=routes.CATALOGUE, weight="medium", underline="hover"),
        _cart_link(),
        rx.cond(
            SessionState.is_authenticated,
            rx.link("My orders", href=routes.ORDERS, weight="medium", underline="hover"),
        ),
        rx.cond(
            SessionState.is_admin,
            rx.link("Admin", href=routes.ADMIN, weight="medium", underline="hover"),
        ),
        direction=direction,
        spacing="4",
        align="start" if direction == "column" else "center",
    )


def _account() -> rx.Component:
    return rx.cond(
        SessionState.is_authenticated,
        rx.flex(
            rx.text(SessionState.user_name, weight="medium", id="current-user"),
            rx.cond(SessionState.is_admin, rx.badge("admin", color_scheme="purple")),
            rx.button("Log out", on_click=SessionState.logout, variant="soft", size="2"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.flex(
            link_button("Log in", routes.LOGIN, variant="soft", size="2"),
            link_button("Register", routes.REGISTER, size="2"),
            spacing="2",
        ),
    )


def _phone_menu() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(rx.icon("menu", size=18), "Menu", variant="soft", size="2", id="nav-menu")
        ),
        rx.popover.content(
            rx.flex(_nav_links("column"), rx.separator(), _account(), direction="column", gap="3"),
            aria_label="Site",
        ),
        style=PHONE_ONLY,
    )


def navbar() -> rx.Component:
    return rx.el.header(
        rx.el.nav(
            rx.flex(
                rx.link(
                    rx.text("OMS", size="6", weight="bold"),
                    href=routes.CATALOGUE,
                    underline="none",
                    aria_label="OMS home",
                ),
                rx.flex(_nav_links("row"), style=WIDE_ONLY),
                rx.spacer(),
                rx.box(_account(), style=WIDE_ONLY),
                rx.box(_phone_menu(), style=PHONE_ONLY),
                spacing="4",
                align="center",
                width="100%",
            ),
            aria_label="Site",
        ),
        padding_x="1em",
        padding_y="0.75em",
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-panel-solid)",
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def offline_banner() -> rx.Component:
    """Shown while the browser cannot reach the server; what was on screen stays."""
    return rx.cond(
        reflex_adapter.connection_lost(),
        rx.callout(
            "Connection to the shop lost. Reconnecting… Changes you make now may not be saved.",
            icon="wifi-off",
            color_scheme="amber",
            role="status",
            id="offline-banner",
            position="fixed",
            bottom="1em",
            left="1em",
            right="1em",
            z_index="20",
        ),
    )


def layout(*children: rx.Component, title: str | rx.Var[str]) -> rx.Component:
    return rx.box(
        rx.el.a(
            "Skip to content",
            href="#main",
            position="absolute",
            left="-9999px",
            _focus={"left": "1em", "top": "1em", "z_index": "30", "background": "white"},
        ),
        navbar(),
        rx.el.main(
            rx.container(
                rx.heading(title, as_="h1", size="7", margin_bottom="0.75em"),
                *children,
                size="4",
                padding_x="1em",
                padding_y="1.5em",
            ),
            id="main",
        ),
        min_height="100vh",
        width="100%",
        # Lets browser tests (and the bench) wait until the page's state is live before acting.
        custom_attrs={"data-hydrated": rx.State.is_hydrated.to_string()},
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3", aria_label="Loading"), padding="4em", width="100%")


def require_login(page: rx.Component) -> rx.Component:
    """Render only once the login check has run, so protected content never flashes."""
    return rx.cond(
        rx.State.is_hydrated & SessionState.auth_checked & SessionState.is_authenticated,
        page,
        loading(),
    )


def require_admin(page: rx.Component) -> rx.Component:
    return require_login(
        rx.cond(
            SessionState.is_admin,
            page,
            rx.callout(
                "Admins only: your account is not allowed to open this page.",
                icon="shield-alert",
                color_scheme="red",
                id="admin-refused",
            ),
        )
    )
