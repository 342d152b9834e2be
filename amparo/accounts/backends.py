"""Sign-in backend: allauth's, but demo accounts are refused whenever DEBUG is off."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.http import HttpRequest

from amparo.accounts import rules


class AmparoAuthenticationBackend(AuthenticationBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return bool(super().user_can_authenticate(user))

    def get_user(self, user_id: Any) -> Any:
        """The person of a session, with their active memberships in the same query: every
        signed-in page needs both, so a separate memberships query would be paid on each."""
        memberships = rules.fetch_active_memberships(user_id, with_person=True)
        if memberships:
            person = memberships[0].user
            for membership in memberships:
                membership.user = person  # one instance, as a separate query would give
            user = person if self.user_can_authenticate(person) else None
        else:
            user = super().get_user(user_id)
            memberships = []
        if user is not None:
            rules.remember_memberships(user, memberships)
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
