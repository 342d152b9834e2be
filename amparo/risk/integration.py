"""What the risk module adds to other modules' pages, through their extension points:

- the defender's page (amparo/defenders/sections.py): the analyses of the defender or
  collective, the one in force first, stale ones flagged (RISK-4), each with its number of
  threats, and a link to all their threats and analyses;
- the incident's page (amparo/incidents/links.py): "Assess as a threat", one link per victim
  the person may work on, which ticks the incident in the new assessment.

Both answer through the risk module's own access path, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from amparo.accounts.permissions import Perm
from amparo.defenders.lookups import ReachQuery
from amparo.defenders.rules import reads_defender
from amparo.risk import rules
from amparo.risk.enums import CURRENT_STATUSES, AnalysisStatus
from amparo.risk.models import RiskAnalysis, Threat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.incidents.links import IncidentLink
    from amparo.incidents.models import Incident

SECTION_ROWS = 5


def _section_analyses(reach: Q, subject_id: UUID) -> QuerySet[RiskAnalysis]:
    """`queries.analyses_visible_to(user)` of one subject, as the section reads them: the one
    in force first, superseded versions left out, each with its number of threats, one row
    more than the section shows (so it knows there are more)."""
    threats = (
        Threat.objects.filter(analysis=OuterRef("pk"))
        .order_by()
        .values("analysis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        RiskAnalysis.objects.filter(reach, subject_id=subject_id)
        .exclude(status=AnalysisStatus.SUPERSEDED)
        .annotate(
            threat_count=Coalesce(Subquery(threats, output_field=IntegerField()), Value(0)),
            in_force=Case(When(status__in=CURRENT_STATUSES, then=Value(0)), default=Value(1)),
        )
        .order_by("in_force", "-analysed_on", "-created_at", "-id")[: SECTION_ROWS + 1]
    )


#: The section's query, prepared through the risk module's reach (`queries._reach_q`'s
#: permissions and prefix): building and compiling its annotated queryset cost the defender's
#: page more than all of the section's SQL and HTML (ADR 0050).
_SECTION_ANALYSES = ReachQuery(
    RiskAnalysis,
    _section_analyses,
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
    fields=(RiskAnalysis._meta.get_field("subject"),),
    samples=((UUID(int=3),), (UUID(int=4),)),
)


def defender_section(user: User | AnonymousUser, defender: Defender) -> dict[str, Any] | None:
    """None when the reader does not reach the defender's risk records.

    One query. The reach is answered from what the defender's page loaded with the record
    (`reads_defender`: memberships, and the reader's organisations the record is shared
    with), not asked again of the database. The analyses come through the risk access path,
    the one in force first, superseded versions left out, each with how many threats it
    weighs as a number on its row: the threats themselves, and those assessed outside an
    analysis, are on the subject's risk page the section links to."""
    if not reads_defender(
        user, defender, staff_perm=Perm.RISK_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
    ):
        return None
    analyses = _SECTION_ANALYSES(user, defender.pk)
    return {
        "analyses": analyses[:SECTION_ROWS],
        "more": len(analyses) > SECTION_ROWS,
        "can_edit": rules.can_work_on(user, defender),
    }


def incident_links(user: User | AnonymousUser, incident: Incident) -> Iterator[IncidentLink]:
    """ "Assess as a threat" for each victim of the incident the person may work on."""
    from amparo.incidents.links import IncidentLink  # noqa: PLC0415 -- loaded with the apps

    # The incident's page has loaded its acts with their victims (queries.with_parts): reuse
    # them rather than ask for the acts a second time.
    victims = {act.victim_id: act.victim for act in incident.acts.all()}
    workable = [v for v in victims.values() if rules.can_work_on(user, v)]
    for victim in sorted(workable, key=lambda v: v.code):
        url = reverse("risk:threat-create", args=[victim.pk])
        label = (
            _("Assess as a threat")
            if len(workable) == 1
            else _("Assess as a threat against %(code)s") % {"code": victim.code}
        )
        yield IncidentLink(url=f"{url}?{urlencode({'incident': str(incident.pk)})}", label=label)


def register() -> None:
    """Called once from RiskConfig.ready()."""
    from amparo.defenders import sections  # noqa: PLC0415 -- apps are loading
    from amparo.incidents import links  # noqa: PLC0415

    sections.register(
        key="risk",
        template="risk/defender_section.html",
        context=defender_section,
        order=20,
    )
    links.register(incident_links)
