"""Signed-in sessions for the personas, written straight into the session store.

Signing in through the form would need passwords, TOTP codes and axes' patience for every run;
a session that looks exactly like one left by a finished sign-in is what the pages see anyway.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from amparo.accounts.middleware import SESSION_MFA_OK
from amparo.accounts.models import User

# The key SessionLifetimeMiddleware keeps its idle and absolute clocks under.
SESSION_LIFETIME = "amparo_auth"
BACKEND = "amparo.accounts.backends.AmparoAuthenticationBackend"


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


def cookie_header(session_key: str | None) -> str:
    """The Cookie header that carries a session (empty for an anonymous visitor)."""
    return f"{settings.SESSION_COOKIE_NAME}={session_key}" if session_key else ""
