"""Incidents, defenders and perpetrators for tests, made through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.enums import DefenderKind
from amparo.defenders.models import Defender
from amparo.incidents import services
from amparo.incidents.enums import AttackType, IncidentStatus, PerpetratorKind
from amparo.incidents.models import Incident, Perpetrator


def make_defender(
    organisation: Organisation,
    pseudonym: str = "Ana",
    *,
    kind: str = DefenderKind.INDIVIDUAL,
    actor: User | None = None,
    **fields: Any,
) -> Defender:
    return defender_services.create_defender(
        organisation=organisation, actor=actor, kind=kind, pseudonym=pseudonym, **fields
    )


def make_collective_defender(
    organisation: Organisation, collective: Organisation, pseudonym: str = "Río Claro"
) -> Defender:
    """The collective's own record, kept by `organisation`, seen by its members."""
    return make_defender(
        organisation,
        pseudonym,
        kind=DefenderKind.COLLECTIVE,
        collective_type="community",
        collective_organisation=collective,
    )


def make_perpetrator(
    organisation: Organisation,
    name: str = "Battalion 14",
    *,
    kind: str = PerpetratorKind.MILITARY,
    actor: User | None = None,
) -> Perpetrator:
    return services.create_perpetrator(organisation=organisation, actor=actor, kind=kind, name=name)


def make_incident(
    organisation: Organisation,
    actor: User,
    *,
    victims: list[Defender] = (),  # type: ignore[assignment]
    perpetrators: list[Perpetrator] = (),  # type: ignore[assignment]
    act_type: str = AttackType.THREAT,
    status: str = IncidentStatus.SUBMITTED,
    **facts: Any,
) -> Incident:
    values = {
        "title": "Followed home",
        "occurred_on": date(2025, 3, 14),
        "country": "CO",
        "region": "Cauca",
        **facts,
    }
    incident = services.record_incident(
        organisation=organisation,
        actor=actor,
        facts=values,
        act_type=act_type,
        victims=[services.VictimEntry(defender=d) for d in victims],
        perpetrators=[services.PerpetratorEntry(perpetrator=p) for p in perpetrators],
        status=IncidentStatus.DRAFT if status == IncidentStatus.DRAFT else IncidentStatus.SUBMITTED,
    )
    if incident.status != status:
        # Straight to a later state, as if the desk had moved it along.
        Incident.objects.filter(pk=incident.pk).update(status=status)
        incident.status = status
    return incident
