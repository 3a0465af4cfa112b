"""Reflex configuration, derived from the same settings as the rest of OMS (see README)."""

import os
import sys

import reflex as rx

from oms_app.core.config import get_settings

settings = get_settings()

# Reflex keeps browser sessions in process memory unless told to use Redis, and starts one granian
# worker per CPU when it sees Redis. We decide instead: WORKERS workers, and Redis-held state
# exactly when there is more than one of them (config.py refuses WORKERS > 1 without REDIS_URL).
os.environ.setdefault("GRANIAN_WORKERS", str(settings.workers))

# In production one port serves everything (the frontend port). `reflex run --backend-only`
# refuses any configured frontend port, so name it only when a frontend may run.
BACKEND_ONLY = "--backend-only" in sys.argv or os.environ.get("REFLEX_BACKEND_ONLY", "") in {
    "1",
    "true",
    "True",
}

config = rx.Config(
    app_name="oms_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=None if BACKEND_ONLY else settings.port,
    backend_port=settings.port,
    redis_url=settings.redis_url if settings.workers > 1 else None,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium")),
    ],
)
