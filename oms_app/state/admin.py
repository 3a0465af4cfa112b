"""What every admin page's state shares: who is acting, and how a refusal reaches the screen."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from oms_app.core.errors import DomainError, Forbidden, NotAuthenticated
from oms_app.models.user import User
from oms_app.state.session import SessionState


class AdminState(rx.State):
    """Base of the admin pages' states. The services decide what an admin may do; this only
    finds the acting user and turns a refusal into feedback."""

    loading: bool = False

    async def _actor(self) -> User:
        session = await self.get_state(SessionState)
        return await session.actor()

    def _failed(self, exc: DomainError) -> list[EventType]:
        if isinstance(exc, NotAuthenticated):
            # The login ended (expired, logged out elsewhere): the guard sends them to log in.
            return [
                rx.toast.warning("Your session has expired. Please log in again."),
                SessionState.check_login,
            ]
        return [rx.toast.error(exc.message)]

    @staticmethod
    def _silent_on_load(exc: DomainError) -> bool:
        """On page load the guard already shows why (login page or refusal); say nothing more."""
        return isinstance(exc, NotAuthenticated | Forbidden)
