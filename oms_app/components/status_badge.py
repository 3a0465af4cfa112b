"""An order's status as a coloured badge, the same on every page (colours: services/statuses)."""

from __future__ import annotations

import reflex as rx

from oms_app.services import statuses


def status_badge(status: rx.Var[str], **props) -> rx.Component:
    color = rx.match(status, *((s.value, c) for s, c in statuses.COLORS.items()), "gray")
    # High contrast: amber text on its soft background falls short of AA (4.5:1).
    return rx.badge(
        status, color_scheme=color, variant="surface", size="2", high_contrast=True, **props
    )
