"""Every Reflex internal OMS relies on, in one place, so a Reflex upgrade breaks only here.

Each function names the internal it touches; tests/core/test_reflex_adapter.py checks that they
still exist and behave as assumed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import reflex as rx
from reflex.event import EventSpec, EventType
from reflex.istate.shared import SharedStateBaseInternal
from reflex.utils import prerequisites
from reflex_base.event import no_args_event_spec
from reflex_base.vars.base import Var
from reflex_components_core.base.fragment import Fragment
from reflex_components_core.core.banner import has_connection_errors
from starlette.applications import Starlette
from starlette.types import ASGIApp


def app_class_serving_first(layer: Callable[[ASGIApp], ASGIApp]) -> type[rx.App]:
    """An `rx.App` whose ASGI app is `layer` around everything Reflex builds.

    The server (granian, `factory=True`) calls the App instance for its ASGI app, and
    `App.__call__` wraps the backend in Reflex's own outer Starlette app (error middleware,
    CORS, contexts, a router and a mount) last; only its caller can put a layer outside that.
    """

    class ServingFirst(rx.App):
        def __call__(self) -> ASGIApp:
            return layer(super().__call__())

    return ServingFirst


def install_cors(add_cors: Callable[[Starlette], None]) -> None:
    """Reflex adds its own CORSMiddleware in `App._add_cors`; ours replaces it."""
    rx.App._add_cors = staticmethod(add_cors)


def _app_states(root_cls: type[rx.State]) -> Iterator[type[rx.State]]:
    """Every state class below the root that the app defined (not Reflex's own, not shared)."""
    for cls in root_cls.get_substates():
        if not cls.__module__.startswith("reflex") and not issubclass(cls, SharedStateBaseInternal):
            yield cls
        yield from _app_states(cls)


async def reset_tree(state: rx.State) -> None:
    """Put every app state of this tab's tree back to its defaults.

    Reflex's `reset()` covers only the states loaded for the current event (and resets
    shared states for everyone linked), so each app state is loaded and reset on its own.
    Client storage (localStorage) fields are reset too, and Reflex syncs them to the browser.
    """
    root = state._get_root_state()
    for cls in _app_states(type(root)):
        loaded = await root.get_state(cls)
        for name, field in cls.get_fields().items():
            if field._owner is cls:
                setattr(loaded, name, field.default_value())


async def link_shared(state: rx.SharedState, topic: str) -> rx.SharedState:
    """Link a shared state to a topic (no underscores in it: Reflex's own delimiter)."""
    return await state._link_to(topic)


def modify_shared(cls: type[rx.SharedState], topic: str) -> AbstractAsyncContextManager[Any]:
    """Change the state every tab linked to `topic` shares, out of band (not in an event).

    Reflex pushes the change to each linked tab, relaying through Redis to the worker or
    instance holding its websocket."""
    return _app().modify_state(rx.BaseStateToken(ident=topic, cls=cls))


def _app() -> rx.App:
    return prerequisites.get_and_validate_app().app


def connection_lost() -> rx.Var[bool]:
    """True in the browser while its websocket cannot reach the server."""
    return has_connection_errors


def overlay(component: Callable[[], rx.Component]) -> dict[tuple[int, str], Any]:
    """`app_wraps` with our own overlay in place of Reflex's connection toaster, whose
    wording ("Cannot connect to server: websocket error…") is not for shoppers."""
    return {
        **rx.App.__dataclass_fields__["app_wraps"].default_factory(),
        (5, "Overlay"): lambda stateful: component() if stateful else None,
    }


class _OnChange(Fragment):
    """Renders nothing; fires `on_change` in the browser whenever `watched` changes value
    after the first render (a React effect on that value)."""

    watched: Var[Any]
    on_change: rx.EventHandler[no_args_event_spec]

    def add_imports(self) -> dict[str, list[str]]:
        return {"react": ["useEffect", "useRef"]}

    def _exclude_props(self) -> list[str]:
        return [*super()._exclude_props(), "watched", *self.event_triggers.keys()]

    def add_hooks(self) -> list[str | Var[Any]]:
        value = self.watched
        fire = Var.create(self.event_triggers["on_change"])
        seen = f"seen_{abs(hash(str(value))) % 10**8}"
        return [
            Var(
                f"const {seen} = useRef({value});\n"
                f"useEffect(() => {{ if ({seen}.current !== {value}) {{ "
                f"{seen}.current = {value}; ({fire})(); }} }}, [{value}]);"
            )
        ]


def on_change(watched: rx.Var[Any], event: EventType) -> rx.Component:
    return _OnChange.create(watched=watched, on_change=event)


class _UnwrappedRecord(logging.LogRecord):
    """A Reflex record whose console print options always include `soft_wrap`.

    A property rather than an attribute: the record factory runs before `Logger.makeRecord`
    adds a call's `extra=`, and makeRecord refuses (KeyError) an extra key the record already
    holds in its `__dict__`, which Reflex's deprecation warnings pass as `rich_kwargs`. The
    property leaves `__dict__` free for them and merges their options in."""

    @property
    def rich_kwargs(self) -> dict[str, object]:
        return {**self.__dict__.get("rich_kwargs", {}), "soft_wrap": True}


def unwrapped(record: logging.LogRecord) -> None:
    """Reflex's console handler wraps long lines at the console's width, so a wrapped line
    could start with whatever a client sent; `rich_kwargs` are its per-record print options."""
    if record.name == "reflex" or record.name.startswith(("reflex.", "reflex_")):
        record.__class__ = _UnwrappedRecord


def event_failed(exception: Exception) -> EventSpec:
    """Replaces Reflex's backend exception handler (Reflex checks the name and annotations):
    the traceback goes to our log, cleaned like every record; the person gets a sentence
    instead of a developer's message."""
    logging.getLogger("oms_app.events").error("an event handler failed", exc_info=exception)
    return rx.toast.error("Something went wrong on our side. Please try again.")


def label_file_input(upload: rx.Component, label: str) -> rx.Component:
    """Name the file input inside `rx.upload.root` (Upload > its drop zone div > the input,
    which react-dropzone hides visually but leaves in the accessibility tree unnamed)."""
    zone = upload.children[0]
    file_input = next(child for child in zone.children if getattr(child, "tag", "") == "input")
    file_input.custom_attrs["aria-label"] = label
    return upload
