"""The header's navigation: only modules that exist and that this person can use.

Each module adds its entry here when it lands; a test renders every link and follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.accounts import rules
from amparo.accounts.middleware import SESSION_MFA_OK


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    key: str


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [NavItem(reverse("public:home"), _("Home"), "home")]
    if rules.requires_mfa(user) and not request.session.get(SESSION_MFA_OK):
        return []  # every page but enrolment is closed to them until they add a factor
    items = [NavItem(reverse("core:dashboard"), _("Dashboard"), "dashboard")]
    organisation = getattr(request, "organisation", None)
    if organisation:
        items.append(
            NavItem(
                reverse("accounts:organisation-detail", args=[organisation.pk]),
                _("Organisation"),
                "organisation",
            )
        )
        if rules.can_view_members(user, organisation):
            items.append(
                NavItem(
                    reverse("accounts:member-list", args=[organisation.pk]),
                    _("Members"),
                    "members",
                )
            )
    items.append(NavItem(reverse("accounts:settings"), _("Account"), "account"))
    return items
