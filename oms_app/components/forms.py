"""Form pieces: an input with its visible label, a search box, and inline errors."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

# A native <select> drawn like Radix's inputs: long lists (249 countries) stay typed-to-find,
# keyboard- and phone-friendly, and submit with their form.
NATIVE_SELECT = {
    "width": "100%",
    "height": "var(--space-7)",
    "padding": "0 var(--space-3)",
    "font_size": "var(--font-size-3)",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-a7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
}


def labelled_input(
    label: str | rx.Var[str], control_id: str | rx.Var[str], **input_props
) -> rx.Component:
    """A label tied to its input by id, so screen readers and `get_by_label` both find it."""
    return rx.flex(
        field_label(label, control_id),
        rx.input(id=control_id, **{"size": "3", "width": "100%", **input_props}),
        direction="column",
        spacing="1",
        width="100%",
    )


def field_label(label: str | rx.Var[str], control_id: str | rx.Var[str]) -> rx.Component:
    return rx.el.label(rx.text(label, as_="span", size="2", weight="medium"), html_for=control_id)


def search_input(
    control_id: str, value: rx.Var[str], on_change: EventType, **box_props
) -> rx.Component:
    """ "Search products", searched as the shopper types (debounced)."""
    return rx.flex(
        field_label("Search products", control_id),
        rx.debounce_input(
            rx.input(
                rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
                id=control_id,
                type="search",
                value=value,
                on_change=on_change,
                placeholder="Name contains…",
                max_length=255,
                width="100%",
            ),
            debounce_timeout=300,
        ),
        direction="column",
        spacing="1",
        width="100%",
        **box_props,
    )


def inline_error(message: rx.Var[str], **props) -> rx.Component:
    """A red line of text, rendered only when there is something to say."""
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="red", size="2", role="alert", **props),
    )


def field_error(errors: rx.Var[dict[str, str]], field: str, **props) -> rx.Component:
    """The inline error of one field of a form built on state/form.py."""
    return inline_error(errors.get(field, ""), **props)


def dialog_actions(submitting: rx.Var[bool]) -> rx.Component:
    """A form dialog's Cancel and Save, Save busy while the form is being submitted."""
    return rx.flex(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
        rx.button("Save", type="submit", loading=submitting),
        spacing="3",
        justify="end",
        width="100%",
    )
