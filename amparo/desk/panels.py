"""The desk's panel on the dashboard: the person's own open cases and those with overdue
follow-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from amparo.core.dashboard import panels
from amparo.desk import queries, rules
from amparo.desk.enums import OPEN
from amparo.desk.models import Accompaniment, CaseOfficer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = 10


def desk_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """The person's open cases and open cases with overdue follow-ups, in one query. Codes,
    states and dates only (Tier 2): the dashboard decrypts nothing here."""
    if not rules.can_view_desk(user) or user.pk is None:
        return None
    today = timezone.localdate()
    mine = Exists(CaseOfficer.objects.filter(case_id=OuterRef("pk"), user_id=user.pk))
    overdue = Accompaniment.objects.filter(
        case_id=OuterRef("pk"), follow_up_done=False, follow_up_due__lt=today
    )
    cases = list(
        queries.cases_visible_to(user)
        .filter(state__in=OPEN)
        .annotate(is_mine=mine, has_overdue=Exists(overdue))
        .filter(Q(is_mine=True) | Q(has_overdue=True))
        .order_by("-has_overdue", "-created_at", "-id")[: ROWS + 1]
    )
    if not cases:
        return None
    return {"cases": cases[:ROWS], "more": len(cases) > ROWS}


def defender_section(user: User | AnonymousUser, defender: Any) -> dict[str, Any] | None:
    """On a defender's page, the desk's way to open a case for them. No query: the desk's
    organisations come from the memberships the request already holds."""
    if not rules.can_open_case_for(user, defender):
        return None
    return {}


def register() -> None:
    from amparo.defenders import sections  # noqa: PLC0415 -- apps are loading

    sections.register(
        key="desk",
        template="desk/partials/defender_section.html",
        context=defender_section,
        order=30,
    )
    panels.register(
        key="desk-cases",
        template="desk/partials/dashboard_panel.html",
        context=desk_panel,
        order=15,
    )
