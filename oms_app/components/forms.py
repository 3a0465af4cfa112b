"""Form pieces: an input with its visible label, and the inline error under a field or form."""

from __future__ import annotations

import reflex as rx


def labelled_input(label: str, control_id: str | rx.Var[str], **input_props) -> rx.Component:
    """A label tied to its input by id, so screen readers and `get_by_label` both find it."""
    return rx.flex(
        field_label(label, control_id),
        rx.input(id=control_id, **{"size": "3", "width": "100%", **input_props}),
        direction="column",
        spacing="1",
        width="100%",
    )


def field_label(label: str, control_id: str | rx.Var[str]) -> rx.Component:
    return rx.el.label(rx.text(label, as_="span", size="2", weight="medium"), html_for=control_id)


def inline_error(message: rx.Var[str], **props) -> rx.Component:
    """A red line of text, rendered only when there is something to say."""
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="red", size="2", role="alert", **props),
    )
