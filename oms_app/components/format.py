"""How money and moments read on every page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal


def money(amount: Decimal | float) -> str:
    return f"${amount:,.2f}"


def moment(when: datetime) -> str:
    """A timestamp in UTC, minute precision; naive values are taken to be UTC already."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")
