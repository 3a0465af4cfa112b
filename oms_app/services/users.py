"""User accounts: reading, self-service updates, roles and deletion."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.core.errors import Conflict, Forbidden, NotFound
from oms_app.core.security import hash_password, verify_password
from oms_app.models.api_key import Scope
from oms_app.models.common import Page, PageParams, utcnow
from oms_app.models.user import Role, User, UserPublic, UserUpdate
from oms_app.services import audit, auth, order_totals
from oms_app.services.permissions import (
    Actor,
    require,
    require_admin,
    require_person,
    require_self_or_admin,
)


def get_user(actor: Actor, user_id: int) -> UserPublic:
    require_self_or_admin(actor, user_id, "User", Scope.USERS_READ)
    with session_scope() as session:
        return UserPublic.model_validate(_load(session, user_id))


def list_users(actor: Actor, params: PageParams) -> Page[UserPublic]:
    require(actor, Scope.USERS_READ)
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(User)).one()
        users = session.exec(
            select(User)
            .order_by(User.created_at.desc(), User.id.desc())
            .offset(params.offset)
            .limit(params.limit)
        ).all()
        return Page.of([UserPublic.model_validate(u) for u in users], total, params)


def count_shoppers() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).where(User.role == Role.USER)).one()


def update_user(
    actor: Actor, user_id: int, data: UserUpdate, current_login: str | None = None
) -> UserPublic:
    """Users change themselves (the email and password need the current password); admins
    change anyone, without it. A new password ends every other login of that user; the
    caller's own `current_login` goes on when they changed their own password. Every change
    by an admin is audited (a shopper's change of their own account is not an admin action).
    """
    person = require_person(actor)
    own = person.id == user_id
    if not own and not person.is_admin:
        raise NotFound("User not found")
    # bcrypt before the row lock, so logins of this user wait for the change only briefly.
    new_hash = hash_password(data.password) if data.password is not None else None
    with session_scope() as session:
        user = _load(session, user_id, lock=True)
        sensitive = (data.email is not None and data.email != user.email) or data.password
        if (
            own
            and sensitive
            and not (
                data.current_password
                and verify_password(data.current_password, user.hashed_password)
            )
        ):
            raise Forbidden(
                "current_password is required and must be correct to change the email or password"
            )
        before = audit.snapshot(user, ("name", "email"))
        if data.name is not None:
            user.name = data.name
        if data.email is not None:
            user.email = data.email
        if new_hash is not None:
            keep = current_login if own else None
            auth.replace_password(session, user, new_hash, keep_login=keep)
        user.updated_at = utcnow()
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raise Conflict("Email already registered") from None
        changed = audit.diff(before, audit.snapshot(user, ("name", "email")))
        if new_hash is not None:
            changed["password"] = (True, True)  # recorded as changed, never with a value
        if person.is_admin and changed:
            audit.record(session, actor, "user.update", "user", user_id, changed)
        updated = UserPublic.model_validate(user)
    if changed.keys() & {"name", "email"}:
        order_totals.invalidate()  # a search by name or email may now match other orders
    return updated


def toggle_role(actor: Actor, user_id: int) -> UserPublic:
    require_admin(actor)
    with session_scope() as session:
        admin_ids = _lock_admins(session)
        user = _load(session, user_id)
        before = user.role
        if user.is_admin:
            if admin_ids == [user.id]:
                raise Conflict("The last admin cannot be demoted")
            user.role = Role.USER
        else:
            user.role = Role.ADMIN
        user.updated_at = utcnow()
        session.flush()
        audit.record(session, actor, "user.role", "user", user_id, {"role": (before, user.role)})
        return UserPublic.model_validate(user)


def delete_user(actor: Actor, user_id: int) -> None:
    """Delete the account; its orders stay, no longer linked to anyone."""
    require_admin(actor)
    with session_scope() as session:
        admin_ids = _lock_admins(session)
        user = _load(session, user_id)
        if admin_ids == [user.id]:
            raise Conflict("The last admin cannot be deleted")
        audit.record(
            session,
            actor,
            "user.delete",
            "user",
            user_id,
            audit.removed(audit.snapshot(user, ("name", "email", "role"))),
        )
        session.delete(user)
    order_totals.invalidate()  # their orders no longer match a search or a customer filter


def _lock_admins(session: Session) -> list[int]:
    """Lock every admin row, so two admins demoting each other at once cannot both succeed."""
    return list(
        session.exec(
            select(User.id).where(User.role == Role.ADMIN).order_by(User.id).with_for_update()
        ).all()
    )


def _load(session: Session, user_id: int, lock: bool = False) -> User:
    user = session.get(User, user_id, with_for_update=lock)
    if user is None:
        raise NotFound("User not found")
    return user
