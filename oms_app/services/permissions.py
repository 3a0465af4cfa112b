"""Who may do what. Every service asks here; nothing else decides.

An actor is a person's login (a `User`) or an API key (`KeyActor`). Admins may do anything an
admin page offers. A key acts like an admin, but only within its scopes, and never as a person:
it owns nothing, so what a user may do to their own things (`/me`, cancelling their own order)
is never open to it, and neither is anything without a scope (roles, deletions of users, keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from oms_app.core.errors import Forbidden, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.audit import ActorKind
from oms_app.models.user import User


@dataclass(frozen=True)
class KeyActor:
    """An API key making a request. Deliberately without `id`: a key is not a user, and code
    that reaches for a user id must not find one."""

    key_id: int
    name: str
    scopes: frozenset[Scope]
    # Checks that only admins pass stay closed to keys unless they name a scope.
    is_admin = False


Actor = User | KeyActor


@dataclass(frozen=True)
class ActorRef:
    """Who acted, as the audit log and order history record it."""

    kind: ActorKind
    id: int | None
    name: str
    user_id: int | None  # set for a person
    key_id: int | None  # set for a key


def ref(actor: Actor) -> ActorRef:
    if isinstance(actor, KeyActor):
        return ActorRef(ActorKind.API_KEY, actor.key_id, actor.name, None, actor.key_id)
    return ActorRef(ActorKind.USER, actor.id, actor.name, actor.id, None)


def is_key(actor: Actor) -> bool:
    return isinstance(actor, KeyActor)


def allows(actor: Actor, scope: Scope) -> bool:
    """Admins may do what any scope opens; a key only what its own scopes open."""
    if isinstance(actor, KeyActor):
        return scope in actor.scopes
    return actor.is_admin


def require(actor: Actor, scope: Scope) -> None:
    """An admin, or a key holding `scope`."""
    if allows(actor, scope):
        return
    if isinstance(actor, KeyActor):
        raise Forbidden(f"This API key does not have the {scope} scope")
    raise Forbidden("Admin privileges required")


def require_admin(actor: Actor) -> None:
    """An admin's own login: no key passes, whatever its scopes."""
    if not actor.is_admin:
        raise Forbidden(
            "API keys cannot do this; an admin must log in"
            if isinstance(actor, KeyActor)
            else "Admin privileges required"
        )


def require_person(actor: Actor) -> User:
    """A person's login (a key owns nothing: it has no orders, profile or cart)."""
    if isinstance(actor, KeyActor):
        raise Forbidden("API keys cannot do this; it needs a person's login")
    return actor


def screen(actor: Actor, scope: Scope) -> None:
    """Before any lookup: a key without `scope` is refused whatever the id, so that it cannot
    learn which ids exist from 403 versus 404."""
    if isinstance(actor, KeyActor):
        require(actor, scope)


def require_self_or_admin(
    actor: Actor, owner_id: int | None, what: str, scope: Scope | None = None
) -> None:
    """Owners and admins pass, and keys holding `scope`; anyone else learns nothing, not even
    that the thing exists."""
    if isinstance(actor, KeyActor):
        if scope is None:
            require_admin(actor)
        else:
            require(actor, scope)
        return
    if actor.is_admin or (owner_id is not None and owner_id == actor.id):
        return
    raise NotFound(f"{what} not found")
