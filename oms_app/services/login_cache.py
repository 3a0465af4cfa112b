"""Is this login still alive? Answered from Redis, with the database as the authority.

Every authenticated request asks, and asking PostgreSQL cost a transaction per request. The
answer — the user as the database showed them for this login — is cached per login, in the
user's own namespace of `oms_app.core.cache` (`login:<user id>`), so one INCR of that namespace
forgets every cached login of the user at once, on every worker.

Whatever can change the answer forgets the user *after its transaction commits*: a revoked login
or a new password (`forget`, called by `services/auth.py`), and any change to a `User` row made
through the ORM — a new role, name or email, a deleted account — which the session hooks below
notice by themselves. Forgetting after the commit is what makes a racing reader harmless: a
reader that looked at the database before the commit stores its answer under the namespace
version it read *before* the bump, which nobody reads again; a reader that read the version after
the bump reads the database after the commit too.

When Redis is unset, down or slow, every check goes to the database (`Cache.get` answers a miss).
An invalidation Redis could not take makes the process advance the cache epoch as soon as Redis
answers again (see `oms_app.core.cache`), which drops every cached login with everything else.
Entries also expire after `LIFETIME_SECONDS`, the bound on anything that escapes all of that.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from oms_app.core.cache import get_cache
from oms_app.models.user import User

LIFETIME_SECONDS = 60
# Part of every key: a release that caches a different shape never reads this one's entries.
SHAPE = "u1"
_PENDING = "oms_forget_logins"


def _namespace(user_id: int) -> str:
    return f"login:{user_id}"


def cached_user(user_id: int, session_id: str) -> User | None:
    """The cached user of this live login, or None when only the database can tell."""
    _, cached = get_cache().get(_namespace(user_id), f"{SHAPE}:{session_id}")
    return None if cached is None else _load(cached)


def live_user(user_id: int, session_id: str, from_database: Callable[[], User]) -> User:
    """The user of this live login: from the cache, else `from_database()` (which raises when
    the login is dead; nothing is cached then), remembered for the next request."""
    cache = get_cache()
    slot, cached = cache.get(_namespace(user_id), f"{SHAPE}:{session_id}")
    if cached is not None:
        return _load(cached)
    user = from_database()
    cache.put(slot, _dump(user), ttl=LIFETIME_SECONDS)
    return user


def forget(session: Session, *user_ids: int) -> None:
    """Forget the cached logins of these users once `session`'s transaction commits."""
    session.info.setdefault(_PENDING, set()).update(user_ids)


# No password hash in Redis: nothing reads an authenticated actor's hash (a password check
# always loads the row it is about to change).
_FIELDS = ("id", "name", "email", "role")


def _dump(user: User) -> bytes:
    data: dict[str, Any] = {name: getattr(user, name) for name in _FIELDS}
    data["created_at"] = user.created_at.isoformat()
    data["updated_at"] = user.updated_at.isoformat()
    return json.dumps(data).encode()


def _load(raw: bytes) -> User:
    """The user as a row loaded from the database would be (the way the ORM builds one from
    a row): clean, nothing pending. `User(...)` took three times as long (29 against 10 us,
    every authenticated request) and left every field marked as changed."""
    data = json.loads(raw)
    user = _USERS.new_instance()
    for name in _FIELDS:
        set_committed_value(user, name, data[name])
    set_committed_value(user, "hashed_password", "")
    set_committed_value(user, "created_at", datetime.fromisoformat(data["created_at"]))
    set_committed_value(user, "updated_at", datetime.fromisoformat(data["updated_at"]))
    return user


_USERS = sa_inspect(User).class_manager


@event.listens_for(Session, "after_flush")
def _notice_changed_users(session: Session, _flush: UOWTransaction) -> None:
    # After a flush the session still lists what it just wrote as dirty and deleted.
    changed = [
        obj.id
        for obj in chain(session.dirty, session.deleted)
        if isinstance(obj, User) and obj.id is not None
    ]
    if changed:
        forget(session, *changed)


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    user_ids = session.info.pop(_PENDING, None)
    if user_ids:
        get_cache().invalidate(*(_namespace(user_id) for user_id in sorted(user_ids)))


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
