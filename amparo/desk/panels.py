"""The desk's panel on the dashboard: the person's own open cases and those with overdue
follow-ups."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from amparo.core.dashboard import panels
from amparo.core.prepared import Prepared
from amparo.desk import rules
from amparo.desk.enums import OPEN
from amparo.desk.models import Accompaniment, Case, CaseOfficer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = 10


def _panel_cases(
    user_id: Any, view: Collection[Any], assign: Collection[Any], today: date
) -> QuerySet[Case]:
    mine = Exists(CaseOfficer.objects.filter(case_id=OuterRef("pk"), user_id=user_id))
    overdue = Accompaniment.objects.filter(
        case_id=OuterRef("pk"), follow_up_done=False, follow_up_due__lt=today
    )
    return (
        Case.objects.filter(rules.cases_visible_q_for(user_id, view, assign), state__in=OPEN)
        .select_related("defender")
        .annotate(is_mine=mine, has_overdue=Exists(overdue))
        .filter(Q(is_mine=True) | Q(has_overdue=True))
        .order_by("-has_overdue", "-created_at", "-id")[: ROWS + 1]
    )


#: Compiled once per connection and shape of the desk's reach (ADR 0050): the panel is on
#: the first page every desk officer opens.
_PANEL_CASES = Prepared(
    Case,
    _panel_cases,
    fields=(
        CaseOfficer._meta.get_field("user"),
        Case._meta.get_field("organisation"),
        Case._meta.get_field("organisation"),
        Accompaniment._meta.get_field("follow_up_due"),
    ),
    samples=(
        (UUID(int=1), (), (), date(2001, 1, 1)),
        (UUID(int=2), (), (), date(2002, 2, 2)),
    ),
)


def desk_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """The person's open cases and open cases with overdue follow-ups, in one query. Codes,
    states and dates only (Tier 2): the dashboard decrypts nothing here."""
    if not rules.can_view_desk(user) or user.pk is None:
        return None
    cases = _PANEL_CASES(*rules.desk_reach_of(user), timezone.localdate())
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
