"""What every page's layout needs: navigation to modules that exist, the organisation switcher,
the quick-exit target."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from amparo.accounts import rules
from amparo.core.navigation import NavItem, navigation_for


def nav_links(items: list[NavItem], path: str) -> list[dict[str, Any]]:
    """The header's links as the layout prints them: label translated and current page marked
    here once, so the template reads plain values (every page renders this loop)."""
    return [
        {"url": item.url, "label": str(item.label), "current": item.url == path} for item in items
    ]


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = navigation_for(request)
    common = {
        "nav_items": items,
        "nav_links": nav_links(items, request.path),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
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
