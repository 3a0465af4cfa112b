"""Who may do what. Every service asks here; nothing else decides."""

from __future__ import annotations

from oms_app.core.errors import Forbidden, NotFound
from oms_app.models.user import User


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden("Admin privileges required")


def require_self_or_admin(actor: User, owner_id: int | None, what: str) -> None:
    """Owners and admins pass; anyone else learns nothing, not even that the thing exists."""
    if actor.is_admin or (owner_id is not None and owner_id == actor.id):
        return
    raise NotFound(f"{what} not found")
