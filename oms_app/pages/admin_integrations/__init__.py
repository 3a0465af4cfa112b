"""/admin/integrations: what other systems use to work with the shop. One page, one module per
section: API keys (keys.py) and, beside them, webhooks (webhooks.py, `webhooks_section()`)."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.templates import admin_page
from oms_app.pages.admin_integrations.keys import KeysState, keys_section


# Each section brings its own state's on_load; the webhooks section's joins this list.
@admin_page(routes.ADMIN_INTEGRATIONS, "Integrations", on_load=[KeysState.open_page])
def admin_integrations() -> rx.Component:
    # Sections in reading order; the webhooks section follows the keys.
    return rx.box(keys_section(), width="100%")
