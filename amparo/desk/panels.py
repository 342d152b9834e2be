"""The desk's panel on the dashboard: the person's own open cases and those with overdue
follow-ups."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.dashboard import panels
from amparo.core.prepared import PreparedRows
from amparo.core.reversing import linker
from amparo.defenders.models import defender_code
from amparo.desk import generations, rules
from amparo.desk.enums import OPEN
from amparo.desk.models import Accompaniment, Case, CaseOfficer, case_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = 10


def _overdue_follow_ups(today: date) -> QuerySet[Accompaniment]:
    return Accompaniment.objects.filter(follow_up_done=False, follow_up_due__lt=today)


def _panel_cases(
    user_id: Any, view: Collection[Any], assign: Collection[Any], today: date
) -> QuerySet[Case, tuple[Any, ...]]:
    """The panel's first ROWS + 1 cases: overdue first, then the newest.

    Driven from the two small sets the panel is about, the person's assignments and the open
    follow-ups past due, never from the desk's whole case list: asking every open case whether
    it is the person's or has an overdue follow-up cost an EXISTS pair per case (47 ms of SQL
    at 20,000 cases). The inner query orders the candidates by their ids and the columns of
    `desk_case_panel` only; the outer one reads the few rows it kept."""
    overdue = _overdue_follow_ups(today)
    candidates = (
        CaseOfficer.objects.filter(user_id=user_id)
        .order_by()
        .values("case_id")
        .union(overdue.order_by().values("case_id"))
    )
    has_overdue = Exists(overdue.filter(case_id=OuterRef("pk")))
    first = (
        Case.objects.filter(
            rules.cases_visible_q_for(user_id, view, assign),
            state__in=OPEN,
            pk__in=candidates,
        )
        .annotate(has_overdue=has_overdue)
        .order_by("-has_overdue", "-created_at", "-id")
        .values("pk")[: ROWS + 1]
    )
    return (
        Case.objects.filter(pk__in=first)
        .annotate(has_overdue=has_overdue)
        .order_by("-has_overdue", "-created_at", "-id")
        .values_list("pk", "defender_id", "state", "priority", "has_overdue")
    )


#: Compiled once per connection and shape of the desk's reach (ADR 0050): the panel is on
#: the first page every desk officer opens.
_PANEL_CASES = PreparedRows(
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


#: A cached panel is recomputed after this long even without a write (a change made around
#: the services, a data repair, shows within the quarter hour).
PANEL_SECONDS = 15 * 60


def _panel_rows(
    user_id: Any, view: Collection[Any], assign: Collection[Any], today: date
) -> list[tuple[Any, ...]]:
    """`_PANEL_CASES`, cached under the generations of the desks the person sees (ADR 0034
    addendum): at 2,000 assignments and 2,000 overdue follow-ups the query orders thousands of
    candidates (about 10 ms of SQL), on the first page every desk officer opens, far more often
    than the desk's cases change. Every case write (assignments and follow-ups included)
    changes the generation after it commits; the day is in the key, since "overdue" moves
    with it. Ids, states and flags only (Tier 2)."""
    reach = "|".join(
        [
            str(user_id),
            today.isoformat(),
            *(",".join(sorted(map(str, ids))) for ids in (view, assign)),
        ]
    )
    return generations.CASES.cached(
        f"desk:panel:{hashlib.sha256(reach.encode()).hexdigest()}",
        view,
        lambda: _PANEL_CASES(user_id, view, assign, today),
        PANEL_SECONDS,
    )


def desk_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """The person's open cases and open cases with overdue follow-ups, in one query. Codes,
    states and dates only (Tier 2): the dashboard decrypts nothing here."""
    if not rules.can_view_desk(user) or user.pk is None:
        return None
    found = _panel_rows(*rules.desk_reach_of(user), timezone.localdate())
    if not found:
        return None
    states = translated_labels(Case, "state")
    priorities = translated_labels(Case, "priority")
    cases = [
        {
            "pk": pk,
            "code": case_code(pk),
            "defender_code": defender_code(defender_id),
            "state": states.get(state, state),
            "priority": priorities.get(priority, priority),
            "has_overdue": bool(has_overdue),
        }
        for pk, defender_id, state, priority, has_overdue in found[:ROWS]
    ]
    return {"cases": cases, "items": _items(cases), "more": len(found) > ROWS}


def _items(cases: list[dict[str, Any]]) -> SafeString:
    """The panel's `<li>`s, written here rather than by a loop of the template (ADR 0062):
    the case's link, the codes, state, priority and the overdue mark."""
    detail = linker("desk:case-detail")
    overdue_text = escape(gettext("follow-up overdue"))
    overdue = f" · <strong>{overdue_text}</strong>"
    return mark_safe(  # noqa: S308 # every value below is escaped
        "".join(
            f'<li><a href="{escape(detail(case["pk"]))}">{escape(case["defender_code"])} · '
            f"{escape(case['code'])}</a> — {escape(case['state'])} · {escape(case['priority'])}"
            f"{overdue if case['has_overdue'] else ''}</li>"
            for case in cases
        )
    )


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
