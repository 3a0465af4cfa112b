"""The one confirmation every irreversible action asks for before it runs.

The dialog opens in the browser (no round trip); only "confirm" sends the action's event.
Escape or "Go back" closes it with nothing done, and focus returns to the button.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType


def confirm_button(
    label: str | rx.Var[str],
    *,
    title: str | rx.Var[str],
    question: str | rx.Var[str] | rx.Component,
    confirm_label: str | rx.Var[str],
    on_confirm: EventType,
    color_scheme: str | rx.Var[str] = "red",
    **button_props,
) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            # High contrast: red and amber text on their soft backgrounds fall short of AA.
            rx.button(
                label, color_scheme=color_scheme, variant="soft", high_contrast=True, **button_props
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(question),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Go back", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        confirm_label,
                        color_scheme=color_scheme,
                        high_contrast=True,
                        on_click=on_confirm,
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="28em",
        ),
    )
