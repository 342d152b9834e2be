"""Threats and analyses for tests, made through the real services so they are what people
make. Reading what they return decrypts: tests call these inside `audit_context` (the
`risk_audit` fixture of conftest.py opens one for the whole test)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.defenders.models import Defender
from amparo.defenders.tests.factories import DefenderFactory, make_collective
from amparo.incidents.models import Act, Incident
from amparo.incidents.signals import incident_recorded
from amparo.risk import services
from amparo.risk.enums import Acceptability, Answer, FactorCategory, FactorKind, RiskLevel
from amparo.risk.models import RiskAnalysis, Threat

STEP_VALUES: dict[int, dict[str, Any]] = {
    1: {"facts": "Two calls at night to the leader's phone."},
    2: {"pattern_timing": "Each call the evening before a hearing."},
    3: {"objective": "That the land claim be dropped."},
    4: {"source_description": "Guards of the plantation, by their own words."},
    5: {"capability": Answer.YES, "intent": Answer.UNCLEAR, "conclusion": "Armed, near, unclear."},
}


def subject_in(organisation: Organisation, **fields: Any) -> Defender:
    return DefenderFactory(organisation=organisation, **fields)


def collective_subject(organisation: Organisation, collective: Organisation) -> Defender:
    return make_collective(organisation, collective_organisation=collective, pseudonym="Río Claro")


def make_threat(subject: Defender, actor: User | None = None, **fields: Any) -> Threat:
    fields.setdefault("summary", "Calls at night")
    return services.create_threat(subject=subject, actor=actor, **fields)


def record_steps(threat: Threat, actor: User | None, upto: int) -> Threat:
    for step in range(threat.step + 1, upto + 1):
        threat = services.record_threat_step(
            threat=threat,
            actor=actor,
            step=step,
            expected_version=threat.version,
            values=STEP_VALUES[step],
        )
    return threat


def make_analysis(subject: Defender, actor: User | None = None, **fields: Any) -> RiskAnalysis:
    fields.setdefault("analysed_on", timezone.localdate())
    return services.create_analysis(subject=subject, actor=actor, **fields)


def complete_analysis(
    subject: Defender, actor: User | None = None, *, threats: int = 1, **fields: Any
) -> RiskAnalysis:
    """A draft with everything a conclusion needs: rated threats with factors, a level, the
    decision and its reasons."""
    analysis = make_analysis(subject, actor, **fields)
    for number in range(threats):
        threat = make_threat(subject, actor, summary=f"Threat {number}", analysis=analysis)
        threat = services.rate_threat(
            threat=threat,
            actor=actor,
            expected_version=threat.version,
            likelihood=3,
            impact=4,
            is_focus=True,
        )
        services.add_factor(
            threat=threat,
            actor=actor,
            kind=FactorKind.VULNERABILITY,
            category=FactorCategory.PHYSICAL,
            description=f"No escape route {number}",
        )
        services.add_factor(
            threat=threat,
            actor=actor,
            kind=FactorKind.CAPACITY,
            category=FactorCategory.NETWORKS,
            description=f"Regional network {number}",
        )
    analysis.refresh_from_db()
    return services.update_analysis(
        analysis=analysis,
        actor=actor,
        expected_version=analysis.version,
        level=RiskLevel.MODERATE,
        acceptability=Acceptability.CONDITIONAL,
        decision_by="The committee",
        decision_rationale="With escorts only.",
    )


def concluded_analysis(subject: Defender, actor: User | None = None, **fields: Any) -> RiskAnalysis:
    analysis = complete_analysis(subject, actor, **fields)
    return services.conclude_analysis(analysis=analysis, actor=actor)


def incident_against(*victims: Defender, title: str = "Men at the gate") -> Incident:
    """An incident with one act per victim, announced as the register announces it."""
    organisation = victims[0].organisation
    incident = Incident.objects.create(
        organisation=organisation,
        title=title,
        occurred_on=timezone.localdate() - timedelta(days=1),
    )
    for victim in victims:
        Act.objects.create(
            organisation=organisation, incident=incident, victim=victim, act_type="threat"
        )
    incident_recorded.send(
        sender=Incident, incident=incident, defender_ids=[victim.pk for victim in victims]
    )
    return incident
