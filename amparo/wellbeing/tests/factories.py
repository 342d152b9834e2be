"""Well-being records for tests, made through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.incidents.enums import AttackType, IncidentStatus
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender, make_incident
from amparo.wellbeing import services
from amparo.wellbeing.models import CareAgreement, CheckIn, DebriefPlan


def make_check_in(owner: User, **fields: Any) -> CheckIn:
    values: dict[str, Any] = {"stress": 4, "rest": 2, "support": 1, "note": "Hard week", **fields}
    return services.record_check_in(owner=owner, **values)


def make_agreement(
    organisation: Organisation, actor: User | None = None, **fields: Any
) -> CareAgreement:
    values = {"rest": "No work on Sundays", "debriefing": "Within a week", **fields}
    return services.save_agreement(
        organisation=organisation,
        actor=actor,
        changes=values,
        expected_version=None,
    )


def make_serious_incident(
    organisation: Organisation,
    actor: User,
    *,
    act_type: str = AttackType.DEATH_THREAT,
    status: str = IncidentStatus.SUBMITTED,
    **facts: Any,
) -> Incident:
    victim = make_defender(organisation, "Victim")
    return make_incident(
        organisation, actor, victims=[victim], act_type=act_type, status=status, **facts
    )


def make_debrief(incident: Incident, actor: User | None, **fields: Any) -> DebriefPlan:
    values: dict[str, Any] = {
        "planned_on": date(2026, 1, 10),
        "participants": "Dora and the community",
        **fields,
    }
    return services.plan_debrief(incident=incident, actor=actor, **values)


def today() -> date:
    return timezone.localdate()
