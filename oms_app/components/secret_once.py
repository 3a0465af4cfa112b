"""A secret shown once: what creating an API key or a webhook answers with, and never again.

One callout for every such secret, so each reads the same way: the warning first, the secret in
a labelled read-only field (selectable, and named for screen readers), Copy and Done. It is a
status region, so its appearance is announced without moving focus away from the form.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from oms_app.components.forms import labelled_input


def secret_shown_once(
    secret: rx.Var[str],
    *,
    label: str | rx.Var[str],
    control_id: str,
    explanation: str,
    on_done: EventType,
    callout_id: str,
) -> rx.Component:
    """Shown while `secret` is not empty; `on_done` must empty it. `label` names the field
    ("Secret of Warehouse ERP"), `explanation` says what losing the secret means."""
    return rx.cond(
        secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round", aria_hidden="true")),
            rx.flex(
                rx.text(
                    rx.text.strong("Copy it now: it will not be shown again. "),
                    explanation,
                    size="2",
                ),
                labelled_input(
                    label,
                    control_id,
                    value=secret,
                    read_only=True,
                    font_family="monospace",
                    size="2",
                ),
                rx.flex(
                    rx.button(
                        rx.icon("copy", size=16, aria_hidden="true"),
                        "Copy",
                        # The browser copies and says so: nothing to ask the server.
                        on_click=[
                            rx.set_clipboard(secret),
                            rx.toast.success("Copied the secret to the clipboard."),
                        ],
                        type="button",
                    ),
                    rx.button(
                        "Done", on_click=on_done, variant="soft", color_scheme="gray", type="button"
                    ),
                    spacing="2",
                ),
                direction="column",
                spacing="2",
                width="100%",
            ),
            color_scheme="amber",
            # Amber text on its soft background falls short of AA; high contrast does not.
            high_contrast=True,
            role="status",
            id=callout_id,
            margin_y="1em",
        ),
    )
