"""/admin/integrations: how outside systems connect to OMS. For now its webhooks."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.templates import admin_page
from oms_app.pages.admin_integrations.webhooks import WebhooksState, webhooks_section


@admin_page(routes.ADMIN_INTEGRATIONS, "Integrations", on_load=WebhooksState.load)
def admin_integrations() -> rx.Component:
    return rx.box(webhooks_section(), width="100%")
