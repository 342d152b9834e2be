"""What the risk module adds to other modules' pages, through their extension points:

- the defender's page (amparo/defenders/sections.py): the analyses and threat assessments of
  the defender or collective, the one in force first, stale ones flagged (RISK-4);
- the incident's page (amparo/incidents/links.py): "Assess as a threat", one link per victim
  the person may work on, which ticks the incident in the new assessment.

Both answer through the risk module's own access path, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from amparo.risk import queries, rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.incidents.links import IncidentLink
    from amparo.incidents.models import Incident

SECTION_ROWS = 5


def defender_section(user: User | AnonymousUser, defender: Defender) -> dict[str, Any] | None:
    """None when the reader does not reach the defender's risk records."""
    if not queries.subjects_visible_to(user).filter(pk=defender.pk).exists():
        return None
    analyses = list(queries.analyses_visible_to(user).filter(subject=defender)[: SECTION_ROWS + 1])
    threats = list(
        queries.threats_visible_to(user).filter(subject=defender, analysis__isnull=True)[
            :SECTION_ROWS
        ]
    )
    return {
        "analyses": analyses[:SECTION_ROWS],
        "more": len(analyses) > SECTION_ROWS,
        "threats": threats,
        "can_edit": rules.can_work_on(user, defender),
        "today": timezone.localdate(),
    }


def incident_links(user: User | AnonymousUser, incident: Incident) -> Iterator[IncidentLink]:
    """ "Assess as a threat" for each victim of the incident the person may work on."""
    from amparo.incidents.links import IncidentLink  # noqa: PLC0415 -- loaded with the apps

    victims = {act.victim_id: act.victim for act in incident.acts.select_related("victim")}
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
