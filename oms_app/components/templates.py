"""`@page` and `@admin_page`: one decorator registers a route with its guard, layout and on_load.

    @page(routes.ORDERS, "My orders", login=True, on_load=MyOrdersState.load)
    def orders() -> rx.Component: ...

The guard's on_load runs first (a visitor is sent to /login, a shopper sees "Admins only"),
then the page's own. A route can be registered once: a second time is an error at import.
The app adds the pages itself (`add_pages`), so nothing is registered twice on a recompile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import reflex as rx
from reflex.event import EventType

from oms_app.components.admin import admin_frame
from oms_app.components.layout import layout, require_admin, require_login
from oms_app.state.session import SessionState

Content = Callable[[], rx.Component]


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    render: Content
    on_load: list[EventType]


_pages: dict[str, PageSpec] = {}


def _events(on_load: EventType | Sequence[EventType] | None) -> list[EventType]:
    if on_load is None:
        return []
    if isinstance(on_load, Sequence):
        return list(on_load)
    return [on_load]


def _register(route: str, title: str, render: Content, on_load: list[EventType]) -> None:
    if route in _pages:
        raise ValueError(f"route {route} is registered twice")
    # A Python name: dynamic routes ("/orders/[order_id]") have brackets.
    render.__name__ = "page_" + (re.sub(r"\W", "_", route.strip("/")) or "index")
    _pages[route] = PageSpec(route, title, render, on_load)


def page(
    route: str,
    title: str,
    *,
    login: bool = False,
    on_load: EventType | Sequence[EventType] | None = None,
    heading: str | rx.Var[str] | None = None,
) -> Callable[[Content], Content]:
    """A shop page; `login=True` sends visitors to /login first. `heading` is the page's h1 when
    it is not its title (a product's name, say)."""

    def decorator(content: Content) -> Content:
        guard = SessionState.check_login if login else SessionState.load_optional_user

        def render() -> rx.Component:
            body = content()
            shown = title if heading is None else heading
            return layout(require_login(body) if login else body, title=shown)

        _register(route, f"{title} · OMS", render, [guard, *_events(on_load)])
        return content

    return decorator


def admin_page(
    route: str, title: str, *, on_load: EventType | Sequence[EventType] | None = None
) -> Callable[[Content], Content]:
    """An admin console page: admins see it, with the console's navigation above it."""

    def decorator(content: Content) -> Content:
        def render() -> rx.Component:
            return layout(require_admin(admin_frame(content(), route)), title=title)

        _register(
            route, f"{title} · OMS admin", render, [SessionState.check_login, *_events(on_load)]
        )
        return content

    return decorator


def add_pages(app: rx.App) -> None:
    for spec in _pages.values():
        app.add_page(spec.render, route=spec.route, title=spec.title, on_load=spec.on_load)


def registered_routes() -> list[str]:
    return list(_pages)
