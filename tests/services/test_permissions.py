"""The actor abstraction: a person's login or an API key, and what each may do."""

from __future__ import annotations

import pytest

from oms_app.core.errors import Forbidden, NotFound
from oms_app.models.api_key import Scope
from oms_app.models.audit import ActorKind
from oms_app.models.user import Role, User
from oms_app.services import permissions
from oms_app.services.permissions import KeyActor

ADMIN = User(id=1, name="Ada", email="ada@example.com", hashed_password="x", role=Role.ADMIN)
SHOPPER = User(id=2, name="Sam", email="sam@example.com", hashed_password="x", role=Role.USER)
EVERY_SCOPE = KeyActor(key_id=2, name="All", scopes=frozenset(Scope))
READER = KeyActor(key_id=3, name="Reader", scopes=frozenset({Scope.ORDERS_READ}))


def test_a_key_is_never_a_user_and_never_an_admin_login() -> None:
    assert not hasattr(EVERY_SCOPE, "id")  # code reaching for a user id finds none
    assert EVERY_SCOPE.is_admin is False
    with pytest.raises(Forbidden):
        permissions.require_admin(EVERY_SCOPE)
    with pytest.raises(Forbidden):
        permissions.require_person(EVERY_SCOPE)
    assert permissions.require_person(SHOPPER) is SHOPPER


@pytest.mark.parametrize("scope", list(Scope))
def test_admins_pass_every_scope_and_shoppers_none(scope: Scope) -> None:
    permissions.require(ADMIN, scope)
    with pytest.raises(Forbidden, match="Admin privileges"):
        permissions.require(SHOPPER, scope)


def test_a_key_passes_only_its_own_scopes() -> None:
    permissions.require(READER, Scope.ORDERS_READ)
    with pytest.raises(Forbidden, match="orders:write"):
        permissions.require(READER, Scope.ORDERS_WRITE)
    permissions.screen(SHOPPER, Scope.ORDERS_WRITE)  # only keys are screened
    with pytest.raises(Forbidden):
        permissions.screen(READER, Scope.ORDERS_WRITE)


def test_owners_admins_and_scoped_keys_see_a_thing_others_learn_nothing() -> None:
    permissions.require_self_or_admin(SHOPPER, SHOPPER.id, "Order")
    permissions.require_self_or_admin(ADMIN, SHOPPER.id, "Order")
    with pytest.raises(NotFound):
        permissions.require_self_or_admin(SHOPPER, ADMIN.id, "Order")
    permissions.require_self_or_admin(READER, SHOPPER.id, "Order", Scope.ORDERS_READ)
    # A key owns nothing: even an owner id equal to its own key id opens nothing.
    with pytest.raises(Forbidden):
        permissions.require_self_or_admin(READER, READER.key_id, "Order", Scope.ORDERS_WRITE)
    with pytest.raises(Forbidden):
        permissions.require_self_or_admin(EVERY_SCOPE, EVERY_SCOPE.key_id, "User")


def test_who_acted_as_the_history_names_it() -> None:
    person, key = permissions.ref(ADMIN), permissions.ref(READER)
    assert (person.kind, person.id, person.name, person.user_id, person.key_id) == (
        ActorKind.USER,
        1,
        "Ada",
        1,
        None,
    )
    assert (key.kind, key.id, key.name, key.user_id, key.key_id) == (
        ActorKind.API_KEY,
        3,
        "Reader",
        None,
        3,
    )
