"""The pages the harness measures, and as whom.

PERFORMANCE.md measures private pages as the desk officer. The member list needs a desk lead
or an organisation admin, who sees a heavier page (a "change" link per row), so it is measured
as both; invitations and the audit log need the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from bench.seed import World

BASELINE = "health"


@dataclass(frozen=True)
class Page:
    name: str  # its row in budgets.toml [pages]
    path: str
    persona: str | None  # None: an anonymous visitor
    rows: int | None = None  # list checks only: rows on the page


def key_pages(world: World) -> list[Page]:
    home = world.home.pk
    members = reverse("accounts:member-list", args=[home])
    with translation.override("en"):  # the public home sits under the language prefix
        public_home = reverse("public:home")
    return [
        Page(BASELINE, reverse("health"), None),
        Page("home", public_home, None),
        Page("login", reverse("account_login"), None),
        Page("dashboard", reverse("core:dashboard"), "desk_officer"),
        Page("account-settings", reverse("accounts:settings"), "desk_officer"),
        Page("organisation", reverse("accounts:organisation-detail", args=[home]), "desk_officer"),
        Page("member-list", members, "desk_lead"),
        Page("member-list-admin", members, "org_admin"),
        Page("invitation-list", reverse("accounts:invitation-list", args=[home]), "org_admin"),
        Page("audit-log", reverse("audit:organisation-log", args=[home]), "org_admin"),
        Page("records-opened", reverse("audit:reads-about-me"), "desk_officer"),
        Page("attachments", reverse("files:attachment-list", args=[home]), "desk_officer"),
        Page("api-tokens", reverse("api:token-list"), "desk_officer"),
        Page("api-docs", reverse("api:docs"), "desk_officer"),
    ]


def list_pages(world: World) -> list[Page]:
    """Each list at 1 and at 50 rows, as the admin of both list offices: only the rows differ."""
    pages = []
    for rows, org in sorted(world.lists.items()):
        members = reverse("accounts:member-list", args=[org.pk])
        invitations = reverse("accounts:invitation-list", args=[org.pk])
        pages += [
            Page("member-list-admin", members, "list_admin", rows),
            Page("invitation-list", invitations, "list_admin", rows),
        ]
    return pages
