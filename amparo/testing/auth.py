"""Signing test clients in the way the real sign-in would."""

from __future__ import annotations

import time

from django.test import Client

from amparo.accounts.models import User


def login_fresh(client: Client, user: User) -> None:
    """force_login, plus allauth's record of a password entered just now, so views behind
    `reauthentication_required` run instead of asking for the password again."""
    client.force_login(user, backend="amparo.accounts.backends.AmparoAuthenticationBackend")
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()
