"""Our CORS policy, applied where Reflex would apply its own.

Reflex wraps the backend in Starlette's CORSMiddleware with `allow_credentials=True`; given `*`,
that middleware reflects any origin *with* credentials. OMS authenticates with bearer tokens, never
cookies, so it needs no credentialed CORS: origins come from ALLOWED_ORIGINS, and credentials are
allowed only for an explicit list, never together with `*`.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware

from oms_app.core.config import get_settings


def add_cors(app: Starlette) -> None:
    origins = get_settings().allowed_origins
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials="*" not in origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Request-ID", "Retry-After", "Idempotent-Replayed"],
    )
