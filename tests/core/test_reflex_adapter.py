"""The Reflex internals OMS relies on (oms_app/reflex_adapter.py) are still there and behave
as assumed. A Reflex upgrade that breaks one fails here, not in a browser."""

from __future__ import annotations

import asyncio
import inspect

import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory

from oms_app import (
    pages,  # noqa: F401 - registers every state
    reflex_adapter,
)
from oms_app.components.templates import registered_routes
from oms_app.pages.orders import MyOrdersState
from oms_app.state.cart import CartState
from oms_app.state.live import LiveFeed
from oms_app.state.session import SessionState


def test_install_cors_replaces_reflex_own_middleware_hook() -> None:
    original = rx.App.__dict__["_add_cors"]
    calls: list[object] = []
    try:
        reflex_adapter.install_cors(calls.append)
        rx.App._add_cors("starlette app")
        assert calls == ["starlette app"]
    finally:
        rx.App._add_cors = original


def test_reset_tree_empties_every_app_state_of_the_tab_but_no_shared_one() -> None:
    async def scenario() -> tuple[object, ...]:
        manager = StateManagerMemory()
        async with manager.modify_state(rx.BaseStateToken(ident="tab", cls=SessionState)) as root:
            session = await root.get_state(SessionState)
            session.user_id, session.access_token = 7, "token"
            cart = await root.get_state(CartState)
            cart.cart_json = '[{"product_id": 1}]'
            orders = await root.get_state(MyOrdersState)
            orders.page, orders._seen_version = 3, 9
            feed = await root.get_state(LiveFeed)
            feed.version = 4
            await reflex_adapter.reset_tree(session)
            return (
                session.user_id,
                session.access_token,
                cart.cart_json,
                orders.page,
                orders._seen_version,
                feed.version,
            )

    assert asyncio.run(scenario()) == (0, "", "[]", 1, 0, 4)


def test_the_shared_state_and_out_of_band_apis_keep_their_shape() -> None:
    assert inspect.iscoroutinefunction(rx.SharedState._link_to)
    assert inspect.iscoroutinefunction(rx.SharedState._unlink)
    assert "_reflex_internal_links" in rx.State.get_fields()
    parameters = inspect.signature(rx.App.modify_state).parameters
    assert list(parameters)[:2] == ["self", "token"]
    assert issubclass(LiveFeed, rx.SharedState)
    # A shared state carries only its count, and offers the browser no handler to change it:
    # Reflex's generic `setvar` needs a `set_<name>` setter, and there is none.
    assert set(LiveFeed.base_vars) == {"version"}
    assert set(LiveFeed.event_handlers) == {"setvar"}
    assert "set_version" not in dir(LiveFeed)


def test_our_overlay_takes_the_place_of_reflex_connection_toaster() -> None:
    wraps = reflex_adapter.overlay(lambda: rx.text("offline"))
    assert (5, "Overlay") in rx.App.__dataclass_fields__["app_wraps"].default_factory()
    assert wraps[(5, "Overlay")](True).render() == rx.text("offline").render()
    assert wraps[(5, "Overlay")](False) is None
    assert "connectErrors" in str(reflex_adapter.connection_lost())


def test_on_change_compiles_to_an_effect_on_the_watched_value() -> None:
    component = reflex_adapter.on_change(LiveFeed.version, MyOrdersState.refresh)
    hooks = "".join(str(hook) for hook in component._get_all_hooks())
    assert "useEffect" in hooks
    assert "version" in hooks
    assert "my_orders_state.refresh" in hooks


def test_every_page_route_is_registered_once() -> None:
    routes = registered_routes()
    assert len(routes) == len(set(routes))
    assert {"/", "/login", "/orders", "/admin/orders", "404"} <= set(routes)


def test_the_upload_zone_file_input_can_be_named() -> None:
    upload = reflex_adapter.label_file_input(rx.upload.root(rx.text("Drop"), id="u"), "Image file")
    rendered = str(upload.render())
    assert '"aria-label":"Image file"' in rendered


def test_the_served_app_is_the_layer_around_all_that_reflex_builds(monkeypatch) -> None:
    # The server asks the App instance for its ASGI app (granian's factory=True) ...
    from reflex.utils import exec as reflex_exec

    for runner in (reflex_exec.run_granian_backend, reflex_exec.run_granian_backend_prod):
        assert "factory=True" in inspect.getsource(runner)
    # ... and the class puts the layer around whatever Reflex's own __call__ builds.
    monkeypatch.setattr(rx.App, "__call__", lambda self: "reflex's outer app")
    served = reflex_adapter.app_class_serving_first(lambda inner: ("first", inner))
    assert served.__call__(object.__new__(served)) == ("first", "reflex's outer app")
