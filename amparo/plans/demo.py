"""Demo security plans, for development only: Río Claro's adopted plan, born from a concluded
risk analysis, and a draft for the next season.

Idempotent and deterministic: the plans have fixed ids, so a second run finds them and adds
nothing. It uses the demo risk analysis of Río Claro when the risk module's demo made one,
and otherwise records a small one itself. All names and events are fictional.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.plans import services
from amparo.plans.enums import (
    MeasureKind,
    MeasureStatus,
    PlanLevel,
    PlanStatus,
    ProtocolKind,
    Situation,
)
from amparo.plans.models import SecurityPlan
from amparo.risk.models import RiskAnalysis, Threat, VCFactor

_NS = uuid.UUID("6d1c1f8e-9f6b-4d59-9b0e-3b8f2f0c5a11")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


ADOPTED_PLAN = _id("plans.demo.rio-claro.adopted")
DRAFT_PLAN = _id("plans.demo.rio-claro.draft")

THREATS = [
    # summary, likelihood, impact, factors
    (
        "Death threats by phone against the community's spokespeople after the land claim",
        4,
        5,
        [
            ("V", "networks", "Few contacts with authorities outside the municipality"),
            ("C", "organisational", "A community guard that already meets every week"),
        ],
    ),
    (
        "Surveillance of the community house by unknown men on motorbikes",
        3,
        3,
        [
            ("V", "physical", "The community house has one door and no lighting"),
            ("C", "networks", "Neighbours who call each other when strangers arrive"),
        ],
    ),
]


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo plans if missing. Returns how many plans, measures and protocols."""
    refuse_without_debug()
    created = {"plans": 0, "measures": 0, "protocols": 0}
    office = organisation_by_slug["office-co"]
    dora = people_by_email.get(f"dora@{DEMO_DOMAIN}")
    subject = _rio_claro(office, organisation_by_slug["collective-rio-claro"])
    analysis = _concluded_analysis(subject, dora)
    threats = list(analysis.threats.order_by("-likelihood", "created_at"))
    if not SecurityPlan.objects.filter(pk=ADOPTED_PLAN).exists():
        _adopted_plan(subject, analysis, threats, dora, created)
    if not SecurityPlan.objects.filter(pk=DRAFT_PLAN).exists():
        _draft_plan(subject, analysis, dora, created)
    return created


def _rio_claro(office: Organisation, collective: Organisation) -> Defender:
    existing = Defender.objects.filter(collective_organisation=collective).first()
    if existing is not None:
        return existing
    return defender_services.create_defender(
        organisation=office,
        actor=None,
        kind="collective",
        pseudonym="Comunidad Río Claro (fictional)",
        categories=["land", "environmental"],
        collective_type="community",
        collective_organisation=collective,
        country="CO",
        id=_id("plans.demo.rio-claro.defender"),
    )


def _concluded_analysis(subject: Defender, actor: User | None) -> RiskAnalysis:
    existing = (
        RiskAnalysis.objects.filter(subject=subject, status="concluded")
        .filter(threats__isnull=False)
        .order_by("-analysed_on")
        .first()
    )
    if existing is not None:
        return existing
    today = timezone.localdate()
    analysis, made = RiskAnalysis.objects.get_or_create(
        pk=_id("plans.demo.rio-claro.analysis"),
        defaults={
            "organisation_id": subject.organisation_id,
            "subject": subject,
            "status": "concluded",
            "level": "high",
            "analysed_on": today - timedelta(days=40),
            "next_review": today + timedelta(days=50),
            "created_by": actor,
        },
    )
    if made:
        for n, (summary, likelihood, impact, factors) in enumerate(THREATS):
            threat = Threat(
                pk=_id(f"plans.demo.rio-claro.threat.{n}"),
                organisation_id=subject.organisation_id,
                subject=subject,
                analysis=analysis,
                summary=summary,
                likelihood=likelihood,
                impact=impact,
            )
            threat.save(force_insert=True)
            for m, (kind, category, description) in enumerate(factors):
                VCFactor(
                    pk=_id(f"plans.demo.rio-claro.factor.{n}.{m}"),
                    organisation_id=subject.organisation_id,
                    threat=threat,
                    kind=kind,
                    category=category,
                    description=description,
                ).save(force_insert=True)
    return analysis


def _plan(
    pk: uuid.UUID, subject: Defender, analysis: RiskAnalysis, actor: User | None, **fields: Any
) -> SecurityPlan:
    plan = SecurityPlan(
        pk=pk,
        organisation_id=subject.organisation_id,
        subject=subject,
        analysis=analysis,
        level=PlanLevel.COMMUNITY,
        created_by=actor,
        **fields,
    )
    plan.save(force_insert=True)
    return plan


def _adopted_plan(
    subject: Defender,
    analysis: RiskAnalysis,
    threats: list[Threat],
    actor: User | None,
    created: dict[str, int],
) -> None:
    today = timezone.localdate()
    adopted_on: date = today - timedelta(days=30)
    plan = _plan(
        ADOPTED_PLAN,
        subject,
        analysis,
        actor,
        title="Río Claro community protection plan (fictional)",
        status=PlanStatus.IN_FORCE,
        adopted_on=adopted_on,
        next_review=adopted_on + timedelta(days=90),
        objective_threats="Make threats against the spokespeople costly for whoever sends them.",
        objective_vulnerabilities="Light and a second exit for the community house.",
        objective_capacities="Train the community guard in incident reporting.",
        decider="The community assembly; between assemblies, the coordination team",
        sources="Community workshop; incident register of the Colombia office",
        distribution="The coordination team (printed card); the Colombia desk (in Amparo)",
    )
    focus = threats[:1]
    plan.focus_threats.set(focus)
    main = focus[0] if focus else None
    measures = [
        services.add_measure(
            plan=plan,
            actor=actor,
            description="The ombudsman's office is told of every threat and calls the mayor",
            kind=MeasureKind.NETWORKING,
            is_deterrence=True,
            threat=main,
            status=MeasureStatus.IN_PLACE,
            owner_name="Coordination team",
        ),
        services.add_measure(
            plan=plan,
            actor=actor,
            description="Spokespeople check in by phone with the guard every evening",
            kind=MeasureKind.ROUTINE,
            is_protection=True,
            threat=main,
            status=MeasureStatus.AGREED,
            owner_name="Community guard",
            deadline=today + timedelta(days=20),
        ),
        services.add_measure(
            plan=plan,
            actor=actor,
            description="Meet the regional human rights ombudsman to present the community",
            kind=MeasureKind.NETWORKING,
            is_acceptance=True,
            status=MeasureStatus.PROPOSED,
            deadline=today + timedelta(days=45),
        ),
    ]
    created["measures"] += len(measures)
    services.add_protocol(
        plan=plan,
        actor=actor,
        kind=ProtocolKind.EMERGENCY,
        situation=Situation.DETENTION,
        title="If a spokesperson is detained",
        steps=[
            "Note where, when, by whom and the vehicle's plate",
            "Call the community's lawyer",
            "Tell the Colombia desk",
            "The coordination team calls the ombudsman's office",
        ],
        contacts="Lawyer first; if no answer in 30 minutes, the desk's emergency line",
        threats=focus,
        prerequisites=[measures[1]],
    )
    services.add_protocol(
        plan=plan,
        actor=actor,
        kind=ProtocolKind.PREVENTIVE,
        situation=Situation.TRAVEL,
        title="Trips to the municipal capital",
        steps=["Travel in pairs", "Tell the guard when you leave and when you arrive"],
    )
    created["protocols"] += 2
    created["plans"] += 1


def _draft_plan(
    subject: Defender, analysis: RiskAnalysis, actor: User | None, created: dict[str, int]
) -> None:
    plan = _plan(
        DRAFT_PLAN,
        subject,
        analysis,
        actor,
        title="Río Claro plan for the harvest season (draft, fictional)",
        status=PlanStatus.DRAFT,
        next_review=timezone.localdate() + timedelta(days=120),
    )
    services.add_from_guide(plan=plan, actor=actor, key="field_trips")
    services.add_from_guide(plan=plan, actor=actor, key="rest_stress")
    created["measures"] += 1
    created["protocols"] += 1
    created["plans"] += 1
