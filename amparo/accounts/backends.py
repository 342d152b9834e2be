"""Sign-in backend: allauth's, but demo accounts are refused whenever DEBUG is off."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.http import HttpRequest


class AmparoAuthenticationBackend(AuthenticationBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return bool(super().user_can_authenticate(user))

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        # A demo session opened in development must not survive a switch to DEBUG=false.
        if user is not None and user.is_demo and not settings.DEBUG:
            return None
        return user


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The address being tried, from allauth's credentials or the posted form."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
