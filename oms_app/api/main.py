"""The FastAPI app: routers joined, errors mapped, Swagger UI served offline at /api."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp

from oms_app.api.cached_reads import CachedReadsMiddleware
from oms_app.api.csp import install_content_security_policy
from oms_app.api.deps import checked_credentials
from oms_app.api.errors import install_error_handlers
from oms_app.api.hardening import install_hardening
from oms_app.api.middleware import install_request_context
from oms_app.api.responses import ERROR_RESPONSES
from oms_app.api.routes import (
    api_keys,
    audit,
    categories,
    health,
    orders,
    products,
    users,
    webhooks,
)
from oms_app.core.cors import with_cors

API_PREFIX = "/api"


def create_api() -> FastAPI:
    api = FastAPIOffline(
        title="OMS API",
        version="1.0.0",
        description="Order management: users, catalogue and orders. Log in with *Authorize*.",
        docs_url=API_PREFIX,
        redoc_url=f"{API_PREFIX}/redoc",
        openapi_url=f"{API_PREFIX}/openapi.json",
        swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect",
        static_url=f"{API_PREFIX}/docs/static",
        # No validator badge: it would load an image from a third-party host.
        swagger_ui_parameters={"persistAuthorization": True, "validatorUrl": None},
        # The order the docs show the sections in (the routers are included busiest first).
        openapi_tags=[
            {"name": tag}
            for tag in (
                "users",
                "products",
                "categories",
                "orders",
                "webhooks",
                "api keys",
                "audit",
                "health",
            )
        ],
    )
    # Any credential sent is checked on every route, public ones too: a bad one is a 401.
    # Each router is included straight into the app, the busiest first: FastAPI finds a
    # request's route by trying the routes of every router before it, again at each level of
    # nesting, and under one shared /api/v1 router that was a tenth of an order's CPU.
    for router in (
        orders.router,
        products.router,
        users.router,
        categories.router,
        webhooks.router,
        api_keys.router,
        audit.router,
    ):
        api.include_router(
            router,
            prefix=f"{API_PREFIX}/v1",
            responses=ERROR_RESPONSES,
            dependencies=[Depends(checked_credentials)],
        )
    api.include_router(health.router, prefix=API_PREFIX)
    install_error_handlers(api)
    install_request_context(api)
    install_hardening(api)
    install_content_security_policy(api, API_PREFIX)
    return api


def as_served(api: ASGIApp) -> ASGIApp:
    """The API with what the server puts around it besides Reflex's own layers: the cached
    catalogue reads first, then CORS (see `oms_app.py`). The tests' client talks to this."""
    return CachedReadsMiddleware(with_cors(api))
