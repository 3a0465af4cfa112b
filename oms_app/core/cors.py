"""Our CORS policy, applied where Reflex would apply its own.

Reflex wraps the backend in Starlette's CORSMiddleware with `allow_credentials=True`; given `*`,
that middleware reflects any origin *with* credentials. OMS authenticates with bearer tokens, never
cookies, so it needs no credentialed CORS: origins come from ALLOWED_ORIGINS, and credentials are
allowed only for an explicit list, never together with `*`.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from oms_app.core.config import get_settings


def add_cors(app: Starlette) -> None:
    app.add_middleware(CORSMiddleware, **_policy())


def with_cors(app: ASGIApp) -> ASGIApp:
    """`app` behind the same policy, for a stack built without Starlette's middleware list."""
    return CORSMiddleware(app, **_policy())


def _policy() -> dict[str, Any]:
    origins = get_settings().allowed_origins
    return {
        "allow_origins": origins,
        "allow_credentials": "*" not in origins,
        "allow_methods": ["*"],
        "allow_headers": ["*"],
        "expose_headers": ["X-Request-ID", "Retry-After", "Idempotent-Replayed"],
    }
