"""Plain, predictable builders for plans tests: defenders through their service, analyses with
threats and factors straight through the risk models (the anchor fields only), plans through
the plans services so audit and encryption are what people get."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.plans import services
from amparo.plans.enums import MeasureKind, PlanLevel, ProtocolKind, Situation
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.risk.models import RiskAnalysis, Threat, VCFactor


def make_defender(
    organisation: Organisation,
    *,
    pseudonym: str = "Marta",
    user: User | None = None,
    collective_organisation: Organisation | None = None,
) -> Defender:
    kind = "collective" if collective_organisation is not None else "individual"
    return defender_services.create_defender(
        organisation=organisation,
        actor=None,
        kind=kind,
        pseudonym=pseudonym,
        user=user,
        collective_organisation=collective_organisation,
        **({"collective_type": "community"} if kind == "collective" else {}),
    )


@dataclass
class ThreatSpec:
    summary: str
    likelihood: int | None = 3
    impact: int | None = 3
    factors: list[tuple[str, str, str]] = field(
        default_factory=lambda: [
            ("V", "physical", "The office door does not lock"),
            ("C", "networks", "Good relations with the ombudsman"),
        ]
    )


def make_analysis(
    subject: Defender,
    *,
    status: str = "concluded",
    threats: Iterable[ThreatSpec] = (),
    next_review: date | None = None,
) -> RiskAnalysis:
    today = timezone.localdate()
    analysis = RiskAnalysis(
        organisation_id=subject.organisation_id,
        subject=subject,
        status=status,
        level="high",
        analysed_on=today - timedelta(days=3),
        next_review=next_review or today + timedelta(days=90),
    )
    analysis.save(force_insert=True)
    for spec in threats:
        threat = Threat(
            organisation_id=subject.organisation_id,
            subject=subject,
            analysis=analysis,
            summary=spec.summary,
            likelihood=spec.likelihood,
            impact=spec.impact,
        )
        threat.save(force_insert=True)
        for kind, category, description in spec.factors:
            VCFactor(
                organisation_id=subject.organisation_id,
                threat=threat,
                kind=kind,
                category=category,
                description=description,
            ).save(force_insert=True)
    return analysis


def make_plan(
    subject: Defender,
    *,
    analysis: RiskAnalysis | None = None,
    actor: User | None = None,
    title: str = "Río Claro security plan",
    focus: Iterable[Threat] = (),
    **texts: Any,
) -> SecurityPlan:
    return services.create_plan(
        actor=actor,
        subject=subject,
        analysis=analysis,
        level=PlanLevel.COMMUNITY if subject.is_collective else PlanLevel.INDIVIDUAL,
        title=title,
        focus_threats=focus,
        next_review=timezone.localdate() + timedelta(days=90),
        **texts,
    )


def make_measure(plan: SecurityPlan, **fields: Any) -> Measure:
    values: dict[str, Any] = {
        "description": "Lock the office at night",
        "kind": MeasureKind.EQUIPMENT,
        "is_protection": True,
    } | fields
    return services.add_measure(plan=plan, actor=None, **values)


def make_protocol(plan: SecurityPlan, **fields: Any) -> Protocol:
    values: dict[str, Any] = {
        "kind": ProtocolKind.EMERGENCY,
        "situation": Situation.DETENTION,
        "title": "If someone is detained",
        "steps": ["Call the lawyer", "Tell the desk"],
        "contacts": "Lawyer: +57 300 000 0000",
    } | fields
    return services.add_protocol(plan=plan, actor=None, **values)


def ready_plan(subject: Defender, *, likelihood: int = 3) -> SecurityPlan:
    """A plan that passes every rule: analysis with V and C, a focus threat with an emergency
    protocol, a deterrence measure on it, a decider, sources and a review date."""
    analysis = make_analysis(
        subject, threats=[ThreatSpec("Death threats by phone", likelihood=likelihood, impact=5)]
    )
    threat = analysis.threats.get()
    plan = make_plan(
        subject,
        analysis=analysis,
        focus=[threat],
        decider="The coordination team",
        sources="Interviews with the community",
    )
    make_measure(
        plan,
        description="Ask the ombudsman to call the mayor",
        kind=MeasureKind.NETWORKING,
        is_deterrence=True,
        is_protection=False,
        threat=threat,
    )
    make_protocol(plan, threats=[threat])
    return SecurityPlan.objects.get(pk=plan.pk)
