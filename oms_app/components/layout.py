"""The page shell: a navigation bar (who is logged in, cart count) above the page's content."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.state.cart import CartState
from oms_app.state.session import SessionState


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="3", weight="medium", underline="hover")


def navbar() -> rx.Component:
    return rx.flex(
        rx.link(rx.heading("OMS", size="6"), href=routes.CATALOGUE, underline="none"),
        rx.flex(
            _nav_link("Catalogue", routes.CATALOGUE),
            rx.link(
                rx.flex(
                    rx.icon("shopping-cart", size=18),
                    rx.text("Cart"),
                    rx.badge(CartState.item_count, variant="solid", radius="full", id="cart-count"),
                    align="center",
                    spacing="1",
                ),
                href=routes.CART,
                underline="hover",
            ),
            rx.cond(SessionState.is_authenticated, _nav_link("My orders", routes.ORDERS)),
            rx.cond(SessionState.is_admin, _nav_link("Admin", routes.ADMIN)),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        rx.spacer(),
        rx.cond(
            SessionState.is_authenticated,
            rx.flex(
                rx.text(SessionState.user_name, weight="medium", id="current-user"),
                rx.cond(SessionState.is_admin, rx.badge("admin", color_scheme="purple")),
                rx.button("Log out", on_click=SessionState.logout, variant="soft", size="2"),
                spacing="3",
                align="center",
            ),
            rx.flex(
                rx.link(rx.button("Log in", variant="soft", size="2"), href=routes.LOGIN),
                rx.link(rx.button("Register", size="2"), href=routes.REGISTER),
                spacing="2",
            ),
        ),
        padding_x="1.5em",
        padding_y="0.75em",
        spacing="4",
        align="center",
        wrap="wrap",
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-panel-solid)",
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def layout(*children: rx.Component, title: str) -> rx.Component:
    return rx.box(
        navbar(),
        rx.container(
            rx.heading(title, size="7", margin_bottom="0.75em"),
            *children,
            size="4",
            padding_x="1em",
            padding_y="1.5em",
        ),
        min_height="100vh",
        width="100%",
        # Lets browser tests (and the bench) wait until the page's state is live before acting.
        custom_attrs={"data-hydrated": rx.State.is_hydrated.to_string()},
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding="4em", width="100%")


def require_login(page: rx.Component) -> rx.Component:
    """Render only once the login check has run, so protected content never flashes."""
    return rx.cond(
        rx.State.is_hydrated & SessionState.auth_checked & SessionState.is_authenticated,
        page,
        loading(),
    )


def require_admin(page: rx.Component) -> rx.Component:
    return rx.cond(
        rx.State.is_hydrated & SessionState.auth_checked & SessionState.is_authenticated,
        rx.cond(
            SessionState.is_admin,
            page,
            rx.callout(
                "Admins only: your account is not allowed to open this page.",
                icon="shield-alert",
                color_scheme="red",
                id="admin-refused",
            ),
        ),
        loading(),
    )
