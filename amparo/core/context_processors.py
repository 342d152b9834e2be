"""What every page's layout needs: navigation to modules that exist, the organisation switcher,
the quick-exit target."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from amparo.accounts import rules
from amparo.core.navigation import navigation_for


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    common = {"nav_items": navigation_for(request), "quick_exit_url": settings.QUICK_EXIT_URL}
    if user is None or not user.is_authenticated:
        return {**common, "switcher_organisations": []}
    seen: dict[object, Any] = {}
    for membership in rules.active_memberships(user):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return {
        **common,
        "switcher_organisations": list(seen.values()),
        "current_organisation": getattr(request, "organisation", None),
    }
