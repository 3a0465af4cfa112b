"""What every list page shows around its rows: why it could not load."""

from __future__ import annotations

import reflex as rx

from oms_app import reflex_adapter
from oms_app.state.live import LiveFeed


def list_feedback(state: type[rx.State]) -> rx.Component:
    """The last load's problem (state/list_page.py `error`), in place of the rows."""
    return rx.cond(
        state.error != "",
        rx.callout(
            state.error,
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            class_name="list-error",
            margin_bottom="1em",
        ),
    )


def live_updates(state: type[rx.State]) -> rx.Component:
    """Read the list again whenever the server says its topic changed (state/live.py)."""
    return reflex_adapter.on_change(LiveFeed.version, state.refresh)
