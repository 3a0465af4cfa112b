"""What the viewer may do to the order: the status moves offered to them (each confirmed first)
and, for admins, the internal notes with a form to add one."""

from __future__ import annotations

import reflex as rx

from oms_app.components.confirm import confirm_button
from oms_app.components.forms import field_error, field_label
from oms_app.models.order import NOTE_MAX_LENGTH
from oms_app.pages.order_detail.sections import section
from oms_app.pages.order_detail.state import OrderDetailState


def moves() -> rx.Component:
    state = OrderDetailState
    return rx.flex(
        rx.foreach(
            state.order.moves,
            lambda move: confirm_button(
                move.label,
                title=move.label + ": order #" + state.order.id.to_string() + "?",
                question=move.consequence,
                confirm_label=move.label,
                on_confirm=state.change_status(move.status),
                color_scheme=rx.cond(move.danger, "red", "indigo"),
                loading=state.busy,
                size="2",
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def notes_section() -> rx.Component:
    state = OrderDetailState
    return section(
        "Internal notes",
        rx.text("Only admins see these; the customer never does.", size="2", color_scheme="gray"),
        rx.cond(
            state.order.notes.length() > 0,
            rx.flex(
                rx.foreach(
                    state.order.notes,
                    lambda note: rx.box(
                        rx.text(note.text, size="2", white_space="pre-wrap"),
                        rx.text(note.author + ", " + note.when, size="1", color_scheme="gray"),
                        class_name="order-note",
                        padding="0.5em 0.75em",
                        border_left="3px solid var(--accent-8)",
                    ),
                ),
                direction="column",
                spacing="2",
                margin_y="0.75em",
            ),
            rx.text("No notes yet.", size="2", margin_y="0.75em"),
        ),
        rx.form(
            rx.flex(
                field_label("Add a note", "order-note-text"),
                rx.text_area(
                    id="order-note-text",
                    name="text",
                    max_length=NOTE_MAX_LENGTH,
                    rows="3",
                    width="100%",
                    key="note-" + state.note_version.to_string(),
                    aria_describedby="order-note-text-error",
                ),
                field_error(state.errors, "text", id="order-note-text-error"),
                rx.button("Add note", type="submit", loading=state.busy, align_self="start"),
                direction="column",
                spacing="2",
            ),
            on_submit=state.add_note,
        ),
        id="order-notes",
    )
