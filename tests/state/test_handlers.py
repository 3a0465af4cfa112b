"""What the browser may call: every public method of a state is an event handler that any
client can send, with any arguments. None of them may start work that outlives the event."""

from __future__ import annotations

import reflex as rx

from oms_app import pages  # noqa: F401 - registers every state
from oms_app.reflex_adapter import _app_states


def _handlers() -> list[tuple[str, str, object]]:
    return [
        (cls.__name__, name, handler)
        for cls in _app_states(rx.State)
        for name, handler in cls.event_handlers.items()
    ]


def test_no_handler_runs_in_the_background() -> None:
    """A background handler keeps running after its event (the old /orders poller did, and a
    logged-out socket could start thousands of them)."""
    assert _handlers()
    assert [(s, n) for s, n, h in _handlers() if h.is_background] == []


def test_helpers_the_browser_must_not_call_are_private() -> None:
    public = {(state, name) for state, name, _ in _handlers()}
    for state, name in [
        ("SessionState", "actor"),
        ("SessionState", "sign_in"),
        ("CartState", "add_line"),
        ("CartState", "update_quantity"),
        ("CartState", "clear"),
        ("MyOrdersState", "watch"),
        ("OrdersAdminState", "go"),
        ("OrdersAdminState", "show"),
        ("OrderDetailState", "act"),
        ("OrderDetailState", "read"),
        ("OrderDetailState", "reload"),
        ("CartPageState", "prefill"),
    ]:
        assert (state, name) not in public
