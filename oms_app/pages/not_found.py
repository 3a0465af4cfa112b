"""Any unknown address: said plainly, inside the layout, with a way back."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.layout import link_button
from oms_app.components.templates import page

NOT_FOUND = "404"  # the route Reflex serves for every address no page claims


@page(NOT_FOUND, "Page not found")
def not_found() -> rx.Component:
    return rx.flex(
        rx.text("There is no page at this address. It may have moved, or the link is mistyped."),
        rx.flex(
            link_button("Back to the catalogue", routes.CATALOGUE),
            rx.button("Go back", variant="soft", on_click=rx.call_script("history.back()")),
            spacing="3",
            wrap="wrap",
        ),
        direction="column",
        spacing="4",
        id="not-found",
    )
