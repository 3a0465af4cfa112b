"""The browser's login: tokens in localStorage, the user they belong to, and the guards.

Pages never trust what the browser says about the user: every action re-authenticates the
stored access token through the same service the REST API uses (rotating the refresh token
when the access token has expired), so a revoked login stops working in the UI at once too.
"""

from __future__ import annotations

import uuid

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import reflex_adapter, routes
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.core.logging import bind_request
from oms_app.models.user import User
from oms_app.services import auth
from oms_app.state.redirects import safe_next

__all__ = ["SessionState", "safe_next"]


class SessionState(rx.State):
    access_token: str = rx.LocalStorage("", name="oms_access_token", sync=True)
    refresh_token: str = rx.LocalStorage("", name="oms_refresh_token", sync=True)

    user_id: int = 0
    user_name: str = ""
    user_role: str = ""
    auth_checked: bool = False

    @rx.var
    def is_authenticated(self) -> bool:
        return self.user_id > 0

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    async def _actor(self) -> User:
        """The user behind this browser's tokens; raises NotAuthenticated when there is none.

        Every event that acts for someone comes through here, so this is where an event is
        named (a new request id) and its client address bound: what it writes to the audit log
        and the log lines it emits carry them, as a REST request's do."""
        bind_request(uuid.uuid4().hex, self.router.session.client_ip)
        if not self.access_token:
            raise NotAuthenticated("Please log in")
        try:
            user, _ = await run_in_threadpool(auth.authenticate, self.access_token)
        except NotAuthenticated:
            if not self.refresh_token:
                raise
            pair = await run_in_threadpool(auth.refresh, self.refresh_token)
            self.access_token, self.refresh_token = pair.access_token, pair.refresh_token
            user, _ = await run_in_threadpool(auth.authenticate, self.access_token)
        if self.user_id and self.user_id != user.id:
            # Another user's tokens reached this tab (a login in another tab shares them):
            # nothing the last user loaded may stay beside the new user's data.
            tokens = self.access_token, self.refresh_token
            await reflex_adapter.reset_tree(self)
            self.access_token, self.refresh_token = tokens
        self.user_id, self.user_name, self.user_role = user.id, user.name, user.role
        return user

    def _forget(self) -> None:
        self.access_token = self.refresh_token = ""
        self.user_id = 0
        self.user_name = self.user_role = ""

    async def _sign_in(self, access_token: str, refresh_token: str) -> User:
        self.access_token, self.refresh_token = access_token, refresh_token
        return await self._actor()

    @rx.event
    async def check_login(self):
        """on_load of pages that need a login: visitors and expired sessions go to /login."""
        try:
            await self._actor()
        except DomainError:
            had_session = bool(self.access_token)
            self._forget()
            self.auth_checked = True
            if had_session:
                yield rx.toast.warning("Your session has expired. Please log in again.")
            yield rx.redirect(f"{routes.LOGIN}?next={safe_next(self.router.url.path)}")
            return
        self.auth_checked = True

    @rx.event
    async def load_optional_user(self):
        """on_load of public pages: show who is logged in, if anyone, without demanding it."""
        try:
            await self._actor()
        except DomainError:
            self._forget()
        self.auth_checked = True

    @rx.event
    async def logout(self):
        """End the login server-side, then leave nothing of this user in the tab: every state
        of its tree back to its defaults (the cart and tokens in localStorage included)."""
        if self.access_token:
            try:
                user, session_id = await run_in_threadpool(auth.authenticate, self.access_token)
                await run_in_threadpool(auth.logout, user, session_id, self.refresh_token or None)
            except DomainError:
                pass  # already logged out server-side; forgetting the tokens is all that is left
        await reflex_adapter.reset_tree(self)
        self.auth_checked = True
        yield rx.toast.info("You have been logged out.")
        yield rx.redirect(routes.LOGIN)
