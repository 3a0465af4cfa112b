"""The browser's login: tokens in localStorage, the user they belong to, and the guards.

Pages never trust what the browser says about the user: every action re-authenticates the
stored access token through the same service the REST API uses (rotating the refresh token
when the access token has expired), so a revoked login stops working in the UI at once too.
"""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.core.errors import DomainError, NotAuthenticated
from oms_app.models.user import User
from oms_app.services import auth


def safe_next(target: str | None, default: str = routes.CATALOGUE) -> str:
    """Where to go after logging in: only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


class SessionState(rx.State):
    access_token: str = rx.LocalStorage("", name="oms_access_token", sync=True)
    refresh_token: str = rx.LocalStorage("", name="oms_refresh_token", sync=True)

    user_id: int = 0
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    auth_checked: bool = False

    @rx.var
    def is_authenticated(self) -> bool:
        return self.user_id > 0

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    async def actor(self) -> User:
        """The user behind this browser's tokens; raises NotAuthenticated when there is none."""
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
        self._remember(user)
        return user

    def _remember(self, user: User) -> None:
        self.user_id = user.id
        self.user_name = user.name
        self.user_email = user.email
        self.user_role = user.role

    def _forget(self) -> None:
        self.access_token = self.refresh_token = ""
        self.user_id = 0
        self.user_name = self.user_email = self.user_role = ""

    async def sign_in(self, access_token: str, refresh_token: str) -> None:
        self.access_token, self.refresh_token = access_token, refresh_token
        await self.actor()

    @rx.event
    async def check_login(self):
        """on_load of pages that need a login: visitors and expired sessions go to /login."""
        try:
            await self.actor()
        except DomainError:
            had_session = bool(self.access_token)
            self._forget()
            self.auth_checked = True
            if had_session:
                yield rx.toast.warning("Your session has expired. Please log in again.")
            yield rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
            return
        self.auth_checked = True

    @rx.event
    async def load_optional_user(self):
        """on_load of public pages: show who is logged in, if anyone, without demanding it."""
        try:
            await self.actor()
        except DomainError:
            self._forget()
        self.auth_checked = True

    @rx.event
    async def logout(self):
        if self.access_token:
            try:
                user, session_id = await run_in_threadpool(auth.authenticate, self.access_token)
                await run_in_threadpool(auth.logout, user, session_id, self.refresh_token or None)
            except DomainError:
                pass  # already logged out server-side; forgetting the tokens is all that is left
        self._forget()
        yield rx.toast.info("You have been logged out.")
        yield rx.redirect(routes.LOGIN)
