"""/admin/integrations: what other systems use to work with the shop. One page, one module per
section: API keys (keys.py) and webhooks (webhooks.py, its state in webhooks_state.py)."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.templates import admin_page
from oms_app.pages.admin_integrations.keys import KeysState, keys_section
from oms_app.pages.admin_integrations.webhooks import webhooks_section
from oms_app.pages.admin_integrations.webhooks_state import WebhooksState


@admin_page(
    routes.ADMIN_INTEGRATIONS,
    "Integrations",
    on_load=[KeysState.open_page, WebhooksState.open_page],
)
def admin_integrations() -> rx.Component:
    # A block, not a flex column: a flex item would grow to its widest table, and on a phone
    # the page would scroll sideways instead of the table inside its own box.
    return rx.box(
        keys_section(), rx.separator(size="4", margin_y="2em"), webhooks_section(), width="100%"
    )
