"""Signed-in sessions for the personas, written straight into the session store, and API
tokens for the personas the API endpoints are measured as.

Signing in through the form would need passwords, TOTP codes and axes' patience for every run;
a session that looks exactly like one left by a finished sign-in is what the pages see anyway.
Tokens are issued by the API's own service, as the token page does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from amparo.accounts import rules as account_rules
from amparo.accounts.middleware import SESSION_MFA_OK
from amparo.accounts.models import User
from amparo.api import services as api_services

# The key SessionLifetimeMiddleware keeps its idle and absolute clocks under.
SESSION_LIFETIME = "amparo_auth"
BACKEND = "amparo.accounts.backends.AmparoAuthenticationBackend"


@dataclass(frozen=True)
class Credentials:
    """How each persona proves who it is: a session for pages, a bearer token for the API."""

    sessions: dict[str, str]  # persona -> session key
    tokens: dict[str, str]  # persona -> API token secret (personas of API endpoints only)

    def headers(self, persona: str | None, *, api: bool) -> dict[str, str]:
        """The HTTP headers a request as `persona` carries (none for an anonymous visitor)."""
        if persona is None:
            return {}
        if api:
            return {"Authorization": f"Bearer {self.tokens[persona]}"}
        return {"Cookie": cookie_header(self.sessions[persona])}


def open_session(user: User) -> str:
    """A session as a completed sign-in with a second factor leaves it; returns its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Valid clocks, or the first request would log the persona out or rewrite the session.
    store[SESSION_LIFETIME] = {"uid": str(user.pk), "start": now, "seen": now}
    store[SESSION_MFA_OK] = True  # as after the TOTP step, so staff reach their pages
    store.create()
    return str(store.session_key)


def issue_token(user: User) -> str:
    """A personal API token in the persona's first organisation (the casework personas have
    one), for the shortest lifetime offered; returns the secret."""
    organisation = account_rules.active_memberships(user)[0].organisation
    _token, secret = api_services.create_api_token(
        user=user,
        organisation=organisation,
        name="bench",
        lifetime_days=min(api_services.LIFETIME_DAYS),
    )
    account_rules.forget_memberships(user)  # the pages must look memberships up themselves
    return secret


def cookie_header(session_key: str | None) -> str:
    """The Cookie header that carries a session (empty for an anonymous visitor)."""
    return f"{settings.SESSION_COOKIE_NAME}={session_key}" if session_key else ""
