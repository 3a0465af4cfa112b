"""An order's status as a coloured badge, the same on the shopper's and the admin's pages."""

from __future__ import annotations

import reflex as rx


def status_badge(status: rx.Var[str], **props) -> rx.Component:
    color = rx.match(
        status,
        ("pending", "amber"),
        ("shipped", "blue"),
        ("delivered", "green"),
        ("cancelled", "gray"),
        "gray",
    )
    return rx.badge(status, color_scheme=color, variant="soft", size="2", **props)
