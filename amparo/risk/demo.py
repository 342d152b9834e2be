"""Demo threat assessments and risk analyses, for development only (fictional throughout).

Three subjects, each with a story a newcomer can follow:
- the Río Claro community (Colombia): an analysis in two versions, the second concluded after
  a review added a threat and raised the level; the first is superseded;
- an individual defender accompanied by the Colombia office: a concluded analysis that a new
  incident marked for review, and a threat being assessed (two steps recorded);
- an individual defender accompanied by the Kenya office: a concluded analysis whose main
  threat is fully assessed, with an alert raised.

Uses the defenders seeded by the defenders module when they exist (the first individual
defender of the office, the collective's own record); otherwise creates its own with fixed
ids and fictional pseudonyms. Idempotent: a subject that already has an analysis is left
alone. Call it after the defenders' seed.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.defenders import services as defender_services
from amparo.defenders.enums import DefenderKind
from amparo.defenders.models import Defender
from amparo.risk import queries, services
from amparo.risk.enums import (
    Acceptability,
    AcceptabilityReason,
    AlertDecisionKind,
    Answer,
    FactorCategory,
    FactorKind,
    IntersectionalLens,
    ReviewTrigger,
    RiskLevel,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
)
from amparo.risk.models import RiskAnalysis, Threat

_NAMESPACE = uuid.UUID("4d1f7a52-2b55-4c3e-9d0c-5a7e0b3c9e11")
V, C = FactorKind.VULNERABILITY, FactorKind.CAPACITY


def _fixed_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


def _individual(organisation: Organisation, key: str, pseudonym: str) -> Defender:
    found = (
        Defender.objects.filter(
            organisation=organisation, kind=DefenderKind.INDIVIDUAL, user__isnull=True
        )
        .order_by("created_at", "id")
        .first()
    )
    if found is not None:
        return found
    return defender_services.create_defender(
        organisation=organisation,
        actor=None,
        kind=DefenderKind.INDIVIDUAL,
        pseudonym=pseudonym,
        id=_fixed_id(key),
        country=organisation.country,
    )


def _collective(organisation: Organisation, collective: Organisation, pseudonym: str) -> Defender:
    found = Defender.objects.filter(collective_organisation=collective).first()
    if found is not None:
        return found
    return defender_services.create_defender(
        organisation=organisation,
        actor=None,
        kind=DefenderKind.COLLECTIVE,
        pseudonym=pseudonym,
        id=_fixed_id(collective.slug),
        collective_type=collective.collective_type,
        collective_organisation=collective,
        country=organisation.country,
    )


def _participants(subject: Defender, *people: User | None) -> list[User]:
    """The demo people who may be named for this subject (the record may be kept elsewhere)."""
    allowed = set(queries.participant_candidates(subject).values_list("pk", flat=True))
    return [p for p in people if p is not None and p.pk in allowed]


def _assess(
    threat: Threat, actor: User | None, steps: list[dict[str, Any]], *, likelihood: int, impact: int
) -> Threat:
    """Record the given steps in order, then the rating."""
    for number, values in enumerate(steps, start=1):
        threat = services.record_threat_step(
            threat=threat, actor=actor, step=number, expected_version=threat.version, values=values
        )
    return services.rate_threat(
        threat=threat,
        actor=actor,
        expected_version=threat.version,
        likelihood=likelihood,
        impact=impact,
        is_focus=likelihood * impact >= 12,  # noqa: PLR2004 -- the demo's own choice
    )


def _decide(analysis: RiskAnalysis, actor: User | None, **fields: Any) -> RiskAnalysis:
    analysis = services.update_analysis(
        analysis=analysis, actor=actor, expected_version=analysis.version, **fields
    )
    return services.conclude_analysis(analysis=analysis, actor=actor)


def _rio_claro(subject: Defender, people: dict[str, User]) -> int:
    dora, carlos = people.get("dora@demo.amparo.test"), people.get("carlos@demo.amparo.test")
    today = timezone.localdate()
    first = services.create_analysis(
        subject=subject,
        actor=dora,
        analysed_on=today - timedelta(days=200),
        next_review=today + timedelta(days=30),
        participants=_participants(subject, dora, carlos),
        defenders_present=9,
        consultation="Community assembly with nine members of the land committee (fictional).",
        context="A palm-oil company wants the community's river land; the land claim is in court.",
    )
    threat = services.create_threat(
        subject=subject,
        actor=dora,
        summary="Armed men warn the land committee to drop the claim.",
        analysis=first,
        nature=ThreatNature.DECLARED,
        directness=ThreatDirectness.DIRECT,
        domain=ThreatDomain.ENVIRONMENTAL,
        recurrence=ThreatRecurrence.RECURRING,
        bounded_to=["place"],
    )
    threat = _assess(
        threat,
        dora,
        [
            {"facts": "Three visits to the committee's leader at home at night in March."},
            {"pattern_timing": "Each visit came a few days before a court hearing."},
            {"objective": "Stop the land claim before the court rules."},
            {"source_description": "Men who say they guard the plantation (fictional)."},
            {
                "capability": Answer.YES,
                "intent": Answer.UNCLEAR,
                "conclusion": "They are armed and near; whether they would act is unclear.",
            },
        ],
        likelihood=3,
        impact=4,
    )
    services.add_factor(
        threat=threat,
        actor=dora,
        kind=V,
        category=FactorCategory.PHYSICAL,
        description="Houses far apart, no phone signal by the river.",
    )
    services.add_factor(
        threat=threat,
        actor=dora,
        kind=C,
        category=FactorCategory.NETWORKS,
        description="A regional network and a diocese follow the case.",
    )
    first = _decide(
        first,
        dora,
        level=RiskLevel.MODERATE,
        level_rationale="Threats are recurring but have not gone beyond warnings.",
        acceptability=Acceptability.CONDITIONAL,
        acceptability_reasons=[AcceptabilityReason.CONTROLS],
        decision_by="The land committee, in assembly",
        decision_rationale="Work goes on if nobody walks the river path alone.",
        review_triggers=[ReviewTrigger.INCIDENT, ReviewTrigger.PROCEEDINGS],
    )
    # The review: a second threat, a new vulnerability, and the level goes up.
    second = services.start_review(analysis=first, actor=dora)
    copy = second.threats.get()
    services.add_factor(
        threat=copy,
        actor=dora,
        kind=V,
        category=FactorCategory.PSYCHOSOCIAL,
        description="Fear after the last visit; two members left the committee.",
        lenses=[IntersectionalLens.GENDER],
    )
    services.rate_threat(
        threat=copy,
        actor=dora,
        expected_version=copy.version,
        likelihood=4,
        impact=4,
        is_focus=True,
    )
    smear = services.create_threat(
        subject=subject,
        actor=dora,
        summary="A local radio calls the committee guerrilla supporters.",
        analysis=second,
        nature=ThreatNature.POSSIBLE,
        directness=ThreatDirectness.INDIRECT,
        domain=ThreatDomain.POLITICAL,
        recurrence=ThreatRecurrence.ONGOING,
    )
    services.rate_threat(
        threat=smear,
        actor=dora,
        expected_version=smear.version,
        likelihood=4,
        impact=3,
        is_focus=False,
    )
    second.refresh_from_db()
    _decide(
        second,
        dora,
        level=RiskLevel.HIGH,
        level_rationale="Stigmatisation now adds to the visits.",
        next_review=timezone.localdate() + timedelta(days=60),
    )
    return 2


def _colombia_individual(subject: Defender, people: dict[str, User]) -> int:
    lena = people.get("lena@demo.amparo.test")
    today = timezone.localdate()
    analysis = services.create_analysis(
        subject=subject,
        actor=lena,
        analysed_on=today - timedelta(days=40),
        next_review=today + timedelta(days=50),
        participants=_participants(subject, lena),
        defenders_present=1,
        context="A lawyer representing families of the disappeared (fictional).",
    )
    threat = services.create_threat(
        subject=subject,
        actor=lena,
        summary="Her phone and email may be watched.",
        analysis=analysis,
        nature=ThreatNature.POSSIBLE,
        directness=ThreatDirectness.DIRECT,
        domain=ThreatDomain.DIGITAL,
        recurrence=ThreatRecurrence.ONGOING,
    )
    services.rate_threat(
        threat=threat,
        actor=lena,
        expected_version=threat.version,
        likelihood=3,
        impact=3,
        is_focus=True,
    )
    services.add_factor(
        threat=threat,
        actor=lena,
        kind=C,
        category=FactorCategory.DIGITAL,
        description="Uses Signal with disappearing messages for clients.",
    )
    analysis.refresh_from_db()
    analysis = _decide(
        analysis,
        lena,
        level=RiskLevel.MODERATE,
        acceptability=Acceptability.GO,
        acceptability_reasons=[AcceptabilityReason.CONTROLS],
        decision_by="The defender herself",
        decision_rationale="Digital care is in place.",
    )
    # INC-4 in the demo: a new incident marked it for review.
    services.mark_for_review(analysis=analysis, actor=None, reason=ReviewTrigger.INCIDENT)
    # A threat assessment under way, outside any analysis.
    pending = services.create_threat(
        subject=subject,
        actor=lena,
        summary="A car without plates parked outside her office twice.",
        nature=ThreatNature.POSSIBLE,
        directness=ThreatDirectness.DIRECT,
        domain=ThreatDomain.POLITICAL,
        recurrence=ThreatRecurrence.RECURRING,
    )
    _steps = [
        {"facts": "A grey car, no plates, two men inside, on two mornings last week."},
        {"pattern_timing": "Both times on the day she filed a petition."},
    ]
    for number, values in enumerate(_steps, start=1):
        pending = services.record_threat_step(
            threat=pending,
            actor=lena,
            step=number,
            expected_version=pending.version,
            values=values,
        )
    return 1


def _kenya_individual(subject: Defender) -> int:
    today = timezone.localdate()
    analysis = services.create_analysis(
        subject=subject,
        actor=None,
        analysed_on=today - timedelta(days=10),
        next_review=today + timedelta(days=80),
        defenders_present=1,
        participants_other="The defender and two colleagues from the network (fictional).",
        context="A journalist covering evictions around the lake (fictional).",
    )
    threat = services.create_threat(
        subject=subject,
        actor=None,
        summary="Messages threatening her children if the story runs.",
        analysis=analysis,
        nature=ThreatNature.DECLARED,
        directness=ThreatDirectness.INDIRECT,
        domain=ThreatDomain.GENDER_BASED,
        recurrence=ThreatRecurrence.RECURRING,
    )
    threat = _assess(
        threat,
        None,
        [
            {"facts": "Five text messages from unknown numbers in two weeks."},
            {"pattern_content": "Each names a child's school; tone grows harsher."},
            {"objective": "Stop the story on the evictions before it airs."},
            {"source_description": "Unknown; the messages echo a developer's statements."},
            {
                "capability": Answer.YES,
                "intent": Answer.YES,
                "conclusion": "Someone knows the school and escalates: treat it as serious.",
            },
        ],
        likelihood=4,
        impact=5,
    )
    services.decide_alert(
        threat=threat,
        actor=None,
        decision=AlertDecisionKind.RAISE,
        rationale="Escalating messages naming the school; the network is informed.",
    )
    services.add_factor(
        threat=threat,
        actor=None,
        kind=V,
        category=FactorCategory.WORK,
        description="Her byline and photo are public.",
        lenses=[IntersectionalLens.GENDER],
    )
    analysis.refresh_from_db()
    _decide(
        analysis,
        None,
        level=RiskLevel.HIGH,
        acceptability=Acceptability.NO_GO,
        decision_by="The editor and the defender",
        decision_rationale="The story waits until the children are safe.",
    )
    return 1


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo analyses where they are missing. Returns what was created."""
    created = {"risk_analyses": 0}
    office_co = organisation_by_slug.get("office-co")
    office_ke = organisation_by_slug.get("office-ke")
    rio_claro = organisation_by_slug.get("collective-rio-claro")
    with audit_context(actor=None):
        if office_co is not None and rio_claro is not None:
            subject = _collective(office_co, rio_claro, "Comunidad Río Claro (fictional)")
            if not RiskAnalysis.objects.filter(subject=subject).exists():
                created["risk_analyses"] += _rio_claro(subject, people_by_email)
        if office_co is not None:
            subject = _individual(office_co, "demo-co-individual", "Mariela (fictional)")
            if not RiskAnalysis.objects.filter(subject=subject).exists():
                created["risk_analyses"] += _colombia_individual(subject, people_by_email)
        if office_ke is not None:
            subject = _individual(office_ke, "demo-ke-individual", "Wanjiru (fictional)")
            if not RiskAnalysis.objects.filter(subject=subject).exists():
                created["risk_analyses"] += _kenya_individual(subject)
    return created
