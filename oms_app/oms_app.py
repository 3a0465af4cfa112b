"""The Reflex app: pages, the mounted REST API and start-up work. Rules live in services/."""

from __future__ import annotations

import reflex as rx
from fastapi import FastAPI
from starlette.types import ASGIApp

from oms_app import (
    pages,  # noqa: F401 - importing registers every page
    reflex_adapter,
)
from oms_app.api.cached_reads import CachedReadsMiddleware
from oms_app.api.main import create_api
from oms_app.components.layout import offline_banner
from oms_app.components.templates import add_pages
from oms_app.core.config import get_settings
from oms_app.core.cors import add_cors
from oms_app.core.logging import clean_records, configure_logging
from oms_app.core.uploads import upload_dir
from oms_app.services.bootstrap import prepare_database
from oms_app.services.webhook_sender import webhook_sender
from oms_app.state.live import live_push

reflex_adapter.install_cors(add_cors)
clean_records(reflex_adapter.unwrapped)
api = create_api()
upload_dir()  # asked before Reflex compiles, so it serves product images at /_upload


def mount_reflex(reflex_app: ASGIApp) -> FastAPI:
    """The REST API becomes the outer app; what it does not route falls through to Reflex."""
    api.mount("", reflex_app)
    return api


def on_start() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    prepare_database()


# Cached catalogue reads are answered before any of Reflex's layers (api/cached_reads.py).
App = reflex_adapter.app_class_serving_first(CachedReadsMiddleware)
app = App(
    api_transformer=mount_reflex,
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
    app_wraps=reflex_adapter.overlay(offline_banner),
    backend_exception_handler=reflex_adapter.event_failed,
)
add_pages(app)
app.register_lifespan_task(on_start)
app.register_lifespan_task(live_push)
app.register_lifespan_task(webhook_sender)
