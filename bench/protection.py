"""The protection method's data in the bench world (issue #4): defenders and collectives,
incidents with acts and perpetrators, an actor map, a risk analysis with its threats and
vulnerabilities and capacities, a security plan with measures and protocols.

The home office keeps it all, plus the large incident register (`--incidents`, 100,000 by
default) made by `amparo.incidents.benchdata.bulk_seed`, which seals values in bulk. The few
records the pages open go through the apps' own services, so they are exactly what a desk
makes: validated, audited, with their derived rows (snapshots, copies, focus threats). Each
casework list office gets exactly one or fifty of everything a list shows.

Deterministic: the services give new rows `uuid4` ids, so while seeding, the UUID fields of
the protection apps take theirs from the seeded generator instead (`ids_from`). Dates are
counted from today, as the demo's are: the patterns page looks at the last twelve months, and
an analysis must be reviewed in the future.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import UUIDField
from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.actors import services as actor_services
from amparo.actors.enums import ActorType, RelationKind, Stance, WillToProtect
from amparo.actors.models import Actor
from amparo.audit.services import audit_context
from amparo.defenders import services as defender_services
from amparo.defenders.enums import (
    Category,
    ChannelKind,
    CloseRelation,
    CollectiveRole,
    CollectiveType,
    ConsentScope,
    DefenderKind,
)
from amparo.defenders.models import Defender
from amparo.incidents import services as incident_services
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.enums import (
    Answer,
    AttackType,
    Channel,
    FollowUp,
    IncidentStatus,
    InterventionType,
    PerpetratorKind,
    Priority,
    Reliability,
    Response,
    SourceConnection,
    ViolationStatus,
)
from amparo.incidents.models import Incident, Perpetrator
from amparo.plans import services as plan_services
from amparo.plans.enums import MeasureKind, MeasureStatus, PlanLevel, PlanStatus, ProtocolKind
from amparo.plans.enums import Situation as On
from amparo.plans.models import SecurityPlan
from amparo.risk import queries as risk_queries
from amparo.risk import services as risk_services
from amparo.risk.enums import (
    Acceptability,
    AcceptabilityReason,
    AlertDecisionKind,
    FactorCategory,
    IntersectionalLens,
    ReviewTrigger,
    RiskLevel,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
)
from amparo.risk.enums import Answer as Judged
from amparo.risk.models import RiskAnalysis, Threat

#: Apps whose rows get seeded UUIDs while this module runs.
APPS = ("defenders", "incidents", "actors", "risk", "plans")
HOME_INDIVIDUALS = 48
HOME_COLLECTIVES = 12  # with the individuals: 60, a full page of 50 and paging, as members
BULK_VICTIMS = 24  # the register's incidents fall on these (the featured two among them)
MEMBERS = 4  # of each collective but the featured one, which has more
V, C = "V", "C"

GIVEN = ["Amaru", "Brisa", "Ceci", "Dayo", "Elif", "Fidel", "Gaia", "Hamid", "Ixchel", "Jomo",
         "Kalani", "Luz", "Mariam", "Nayeli", "Obi", "Pilar", "Rahel", "Sami", "Tupac",
         "Wairimu"]  # fmt: skip
PLACES = ["Río Claro", "Cerro Azul", "Kijiji cha Ziwa", "Ban Na", "Lembah Hijau", "Vila Nova",
          "Loma Larga", "San Isidro", "Mto Mdogo", "Sungai Kecil", "Alto Verde",
          "Pampa Seca"]  # fmt: skip
CATEGORIES = [Category.LAND, Category.ENVIRONMENTAL, Category.INDIGENOUS, Category.WHRD,
              Category.JOURNALIST, Category.LAWYER, Category.HEALTH]  # fmt: skip
REGIONS = ["Cauca", "Nariño", "Antioquia", "Chocó", "Huila", "Putumayo"]


@dataclass(frozen=True)
class Casework:
    """What the protection-method pages open."""

    individual: Defender  # detail, timeline; a member of the collective
    collective: Defender  # actor map, analysis, plan
    incident: Incident  # a fully worked incident against both
    threat: Threat  # fully assessed, in the analysis
    analysis: RiskAnalysis  # concluded: the version in force
    review: RiskAnalysis  # its next version, a draft: compared with the one in force
    plan: SecurityPlan  # adopted, in force
    lists: dict[int, Defender]  # rows -> the subject of that casework list office
    counts: dict[str, int]


def seed(
    *,
    home: Organisation,
    desk: User,
    lead: User,
    lists: dict[int, Organisation],
    incidents: int,
    seed: int,
) -> Casework:
    """The home office's casework, `incidents` bulk incidents, and for each casework list
    office (rows -> office) exactly `rows` defenders, incidents, and actors on one map."""
    rng = random.Random(f"{seed}-protection")
    with transaction.atomic(), audit_context(actor=None), ids_from(rng):
        seeder = _Seeder(rng, home, desk, lead)
        casework = seeder.home_casework()
        # The register goes in after the records above: their incidents must not move the
        # analysis to "review due" (services do that for a new incident, bulk_seed does not).
        victims = seeder.individuals[: BULK_VICTIMS - 4] + seeder.collectives[:4]
        register = bulk_seed(home, victims, incidents, seed)
        subjects = {rows: seeder.list_office(office, rows, seed) for rows, office in lists.items()}
    counts = {**seeder.counts, **{f"register {k}": n for k, n in register.items()}}
    return Casework(**casework, lists=subjects, counts=counts)


@contextmanager
def ids_from(rng: random.Random, labels: tuple[str, ...] = APPS) -> Iterator[None]:
    """The UUID fields of the apps in `labels` (the protection apps by default) default to ids
    from `rng` while seeding, so services (which take no id) still make the same URLs for the
    same seed. Django caches a field's default callable in `_get_default`: it is dropped on
    the way in and out."""

    def seeded() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    fields = [
        field
        for model in apps.get_models()
        if model._meta.app_label in labels
        for field in model._meta.concrete_fields
        if isinstance(field, UUIDField) and field.default is uuid.uuid4
    ]
    for field in fields:
        field.default = seeded
        field.__dict__.pop("_get_default", None)
    # Should a Django upgrade read defaults some other way, say so instead of silently making
    # different URLs on every run.
    state = rng.getstate()
    probe, expected = fields[0].get_default(), (rng.setstate(state), seeded())[1]
    rng.setstate(state)
    if probe != expected:
        raise RuntimeError("bench/protection.py: Django ignored the seeded UUID default")
    try:
        yield
    finally:
        for field in fields:
            field.default = uuid.uuid4
            field.__dict__.pop("_get_default", None)


class _Seeder:
    def __init__(self, rng: random.Random, home: Organisation, desk: User, lead: User) -> None:
        self.rng, self.home, self.desk, self.lead = rng, home, desk, lead
        self.today = timezone.localdate()
        self.individuals: list[Defender] = []
        self.collectives: list[Defender] = []
        self.counts: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    # --- defenders ---

    def defender(self, office: Organisation, kind: str, pseudonym: str, **fields: Any) -> Defender:
        self.count("defenders")
        return defender_services.create_defender(
            organisation=office,
            actor=self.desk if office == self.home else None,
            kind=kind,
            pseudonym=pseudonym,
            categories=self.rng.sample(CATEGORIES, k=self.rng.randint(1, 3)),
            country=office.country,
            region=self.rng.choice(REGIONS),
            languages=self.rng.choice(["es", "es, nasa", "pt", "sw, en", "fr"]),
            **fields,
        )

    def home_defenders(self) -> None:
        for i in range(HOME_INDIVIDUALS):
            name = f"{self.rng.choice(GIVEN)} {i + 1} (fictional)"
            self.individuals.append(self.defender(self.home, DefenderKind.INDIVIDUAL, name))
        for i, place in enumerate(PLACES[:HOME_COLLECTIVES]):
            kind = CollectiveType.NETWORK if i % 4 == 3 else CollectiveType.COMMUNITY
            self.collectives.append(
                self.defender(
                    self.home,
                    DefenderKind.COLLECTIVE,
                    f"Comunidad {place} (fictional)",
                    collective_type=kind,
                )
            )
        for i, collective in enumerate(self.collectives):
            size = 8 if i == 0 else MEMBERS
            start = 0 if i == 0 else 8 + (i - 1) * MEMBERS
            for j, member in enumerate(self.individuals[start : start + size]):
                role = CollectiveRole.SPOKESPERSON if j == 0 else CollectiveRole.MEMBER
                defender_services.add_member(
                    collective=collective, member=member, actor=self.desk, role=role
                )
                self.count("collective members")

    def featured_details(self, person: Defender, collective: Defender) -> None:
        """The detail page's sections: a safe channel, consents, close people, a fuller
        profile."""
        person = defender_services.update_defender(
            defender=person,
            actor=self.desk,
            expected_version=person.version,
            legal_name="Amaru Quispe Condori (fictional)",
            rights_defended="Land restitution for the families of the river basin.",
            location="The upper village, two hours from the road (fictional).",
            notes="Prefers calls after 7 pm; the community radio relays messages.",
            leadership="Spokesperson of the land committee since 2021.",
        )
        defender_services.add_channel(
            defender=person,
            actor=self.desk,
            kind=ChannelKind.SIGNAL,
            value="+57 300 555 0199 (fictional)",
            instructions="Text first; disappearing messages on.",
            is_safe=True,
        )
        for subject, by in ((person, "The defender"), (collective, "Community assembly")):
            for scope in (ConsentScope.STORE, ConsentScope.SHARE_TEAM):
                defender_services.record_consent(
                    defender=subject,
                    actor=self.desk,
                    scope=scope,
                    given_by=f"{by} (fictional)",
                    given_on=self.ago(300),
                )
        for relation, name in ((CloseRelation.CHILD, "Inti"), (CloseRelation.PARTNER, "Rosa")):
            defender_services.add_close_person(
                defender=person, actor=self.desk, relation=relation, name=f"{name} (fictional)"
            )

    # --- incidents ---

    def featured_incidents(self, person: Defender, collective: Defender) -> Incident:
        """A handful of recent incidents through the one flow, so the patterns page finds the
        same company three times in 90 days; the first is worked through to coded."""
        perpetrators = {
            key: incident_services.create_perpetrator(
                organisation=self.home, actor=self.desk, kind=kind, name=name
            )
            for key, kind, name in (
                ("armed", PerpetratorKind.NON_STATE_ARMED, "Armed group of the upper river"),
                ("guards", PerpetratorKind.PRIVATE_SECURITY, "Seguridad Minera del Alto"),
                ("police", PerpetratorKind.POLICE, "Municipal police station"),
            )
        }
        self.count("perpetrators", len(perpetrators))
        main = self.incident(
            "Death threat in a pamphlet",
            "A pamphlet naming the spokesperson and the land committee was left at the school.",
            AttackType.DEATH_THREAT,
            [person, collective],
            [perpetrators["armed"], perpetrators["guards"]],
            days=12,
            danger=True,
        )
        incident_services.add_source(
            incident=main,
            actor=self.desk,
            values={
                "connection": SourceConnection.WITNESS,
                "reliability": Reliability.HIGH,
                "identity": "Two teachers at the school (fictional)",
                "received_on": self.ago(11),
            },
        )
        incident_services.add_intervention(
            incident=main,
            actor=self.desk,
            values={
                "intervention_type": InterventionType.DEMAND_INVESTIGATION,
                "party": "The desk, by letter to the regional prosecutor (fictional)",
                "done_on": self.ago(9),
                "response": Response.TOKEN,
                "priority": Priority.HIGH,
            },
        )
        main = incident_services.evaluate_incident(
            incident=main,
            actor=self.lead,
            expected_version=main.version,
            answers={
                "is_security_incident": Answer.YES,
                "is_work_related": Answer.YES,
                "is_known_threat": Answer.YES,
                "follow_up": FollowUp.ASSESS_THREAT,
                "evaluation_notes": "Third warning since the court hearing was set.",
            },
        )
        for step in (IncidentStatus.TRIAGED, IncidentStatus.UNDER_EVALUATION):
            main = incident_services.transition_incident(
                incident=main, actor=self.lead, to=step, expected_version=main.version
            )
        guards = [perpetrators["guards"]]
        for days, title, act, victims, by in (
            (30, "Stopped at the company checkpoint", AttackType.HARASSMENT, [person], guards),
            (52, "Drone over the assembly", AttackType.SURVEILLANCE, [collective], guards),
            (75, "Community fence cut", AttackType.PROPERTY_DESTRUCTION, [collective], guards),
            (140, "Police entered the community house", AttackType.RAID, [collective],
             [perpetrators["police"]]),
        ):  # fmt: skip
            self.incident(title, title + " (fictional).", act, victims, by, days=days)
        return main

    def incident(
        self,
        title: str,
        what: str,
        act_type: str,
        victims: list[Defender],
        perpetrators: list[Perpetrator],
        *,
        days: int,
        danger: bool = False,
    ) -> Incident:
        self.count("incidents")
        return incident_services.record_incident(
            organisation=self.home,
            actor=self.desk,
            facts={
                "title": title,
                "description": what,
                "occurred_on": self.ago(days),
                "country": self.home.country or "CO",
                "region": "Cauca",
                "is_danger_now": danger,
                "channel": Channel.PHONE,
                "violation_status": ViolationStatus.LIKELY,
            },
            act_type=act_type,
            victims=[incident_services.VictimEntry(defender=v) for v in victims],
            perpetrators=[incident_services.PerpetratorEntry(perpetrator=p) for p in perpetrators],
        )

    # --- risk ---

    def analysis(
        self, collective: Defender, incident: Incident
    ) -> tuple[RiskAnalysis, Threat, list[Threat]]:
        allowed = set(risk_queries.participant_candidates(collective).values_list("pk", flat=True))
        analysis = risk_services.create_analysis(
            subject=collective,
            actor=self.desk,
            analysed_on=self.ago(40),
            next_review=self.today + timedelta(days=50),
            participants=[p for p in (self.desk, self.lead) if p.pk in allowed],
            defenders_present=9,
            consultation="Community assembly with nine members of the land committee.",
            context="A mining company wants the community's river land; the claim is in court.",
        )
        threat = risk_services.create_threat(
            subject=collective,
            actor=self.desk,
            summary="Armed men warn the land committee to drop the claim.",
            analysis=analysis,
            incidents=[incident],
            nature=ThreatNature.DECLARED,
            directness=ThreatDirectness.DIRECT,
            domain=ThreatDomain.ENVIRONMENTAL,
            recurrence=ThreatRecurrence.RECURRING,
            bounded_to=["place"],
        )
        for number, values in enumerate(
            [
                {"facts": "Three visits to the committee's leader at home at night."},
                {"pattern_timing": "Each visit came a few days before a court hearing."},
                {"objective": "Stop the land claim before the court rules."},
                {"source_description": "Men who say they guard the concession."},
                {
                    "capability": Judged.YES,
                    "intent": Judged.UNCLEAR,
                    "conclusion": "They are armed and near; whether they would act is unclear.",
                },
            ],
            start=1,
        ):
            threat = risk_services.record_threat_step(
                threat=threat,
                actor=self.desk,
                step=number,
                expected_version=threat.version,
                values=values,
            )
        threat = risk_services.rate_threat(
            threat=threat,
            actor=self.desk,
            expected_version=threat.version,
            likelihood=4,
            impact=5,
            is_focus=True,
        )
        risk_services.decide_alert(
            threat=threat,
            actor=self.lead,
            decision=AlertDecisionKind.RAISE,
            rationale="Visits before every hearing; the network is informed.",
        )
        smear = risk_services.create_threat(
            subject=collective,
            actor=self.desk,
            summary="A local radio calls the committee guerrilla supporters.",
            analysis=analysis,
            nature=ThreatNature.POSSIBLE,
            directness=ThreatDirectness.INDIRECT,
            domain=ThreatDomain.POLITICAL,
            recurrence=ThreatRecurrence.ONGOING,
        )
        smear = risk_services.rate_threat(
            threat=smear,
            actor=self.desk,
            expected_version=smear.version,
            likelihood=3,
            impact=3,
            is_focus=False,
        )
        for on, kind, category, text, lenses in (
            (threat, V, FactorCategory.PHYSICAL, "Houses far apart, no signal by the river.", []),
            (threat, V, FactorCategory.PSYCHOSOCIAL, "Fear after the last visit.",
             [IntersectionalLens.GENDER]),
            (threat, C, FactorCategory.NETWORKS, "A regional network follows the case.", []),
            (threat, C, FactorCategory.ORGANISATIONAL, "A community guard meets weekly.", []),
            (smear, V, FactorCategory.WORK, "The spokespeople speak on the radio.", []),
            (smear, C, FactorCategory.NETWORKS, "A journalists' network answers smears.", []),
        ):  # fmt: skip
            risk_services.add_factor(
                threat=on,
                actor=self.desk,
                kind=kind,
                category=category,
                description=text,
                lenses=lenses,
            )
            self.count("v/c factors")
        analysis.refresh_from_db()
        analysis = risk_services.update_analysis(
            analysis=analysis,
            actor=self.lead,
            expected_version=analysis.version,
            level=RiskLevel.HIGH,
            level_rationale="Threats are recurring and tied to the court calendar.",
            acceptability=Acceptability.CONDITIONAL,
            acceptability_reasons=[AcceptabilityReason.CONTROLS],
            decision_by="The land committee, in assembly",
            decision_rationale="Work goes on if nobody walks the river path alone.",
            review_triggers=[ReviewTrigger.INCIDENT],
        )
        analysis = risk_services.conclude_analysis(analysis=analysis, actor=self.lead)
        self.count("risk analyses")
        self.count("threats", 2)
        return analysis, threat, [threat, smear]

    def review(self, analysis: RiskAnalysis) -> RiskAnalysis:
        """The next version, a draft with one more threat and one more factor: the compare
        page has something to show."""
        draft = risk_services.start_review(analysis=analysis, actor=self.desk)
        copy = draft.threats.order_by("-likelihood", "created_at").first()
        if copy is not None:
            risk_services.add_factor(
                threat=copy,
                actor=self.desk,
                kind=V,
                category=FactorCategory.CONFLICT,
                description="Two members left the committee after the last visit.",
            )
        risk_services.create_threat(
            subject=analysis.subject,
            actor=self.desk,
            summary="Company staff photograph people at the assembly.",
            analysis=draft,
            nature=ThreatNature.POSSIBLE,
            directness=ThreatDirectness.DIRECT,
            domain=ThreatDomain.ENVIRONMENTAL,
            recurrence=ThreatRecurrence.RECURRING,
        )
        self.count("risk analyses")
        return draft

    # --- plans ---

    def plan(self, analysis: RiskAnalysis, focus: Threat, threats: list[Threat]) -> SecurityPlan:
        plan = plan_services.create_plan(
            actor=self.desk,
            subject=analysis.subject,
            level=PlanLevel.COMMUNITY,
            title="Community protection plan (fictional)",
            analysis=analysis,
            focus_threats=[focus],
            objective_threats="Make threats against the spokespeople costly for their authors.",
            objective_vulnerabilities="Light and a second exit for the community house.",
            objective_capacities="Train the community guard in incident reporting.",
            decider="The community assembly; between assemblies, the coordination team",
            sources="Community workshop; the office's incident register",
            distribution="The coordination team (printed card); the desk (in Amparo)",
        )
        M = MeasureKind
        measures = [
            plan_services.add_measure(
                plan=plan,
                actor=self.desk,
                description=text,
                kind=kind,
                status=status,
                threat=threat,
                owner_name=owner,
                deadline=self.today + timedelta(days=days) if days else None,
                **{f"is_{strategy}": True},
            )
            for text, kind, strategy, status, threat, owner, days in (
                ("The ombudsman is told of every threat and calls the mayor", M.NETWORKING,
                 "deterrence", MeasureStatus.IN_PLACE, focus, "Coordination team", 0),
                ("Spokespeople check in with the guard every evening", M.ROUTINE, "protection",
                 MeasureStatus.AGREED, focus, "Community guard", 20),
                ("Meet the regional ombudsman to present the community", M.NETWORKING,
                 "acceptance", MeasureStatus.PROPOSED, None, "", 45),
                ("A second exit and lights for the community house", M.EQUIPMENT, "protection",
                 MeasureStatus.AGREED, focus, "Assembly", 60),
                ("Answer each smear on the community radio the same day", M.POLICY,
                 "acceptance", MeasureStatus.IN_PLACE, threats[1], "Radio team", 0),
                ("Digital care workshop for the committee", M.TRAINING, "protection",
                 MeasureStatus.PROPOSED, threats[1], "The desk", 30),
            )
        ]  # fmt: skip
        self.count("measures", len(measures))
        plan_services.add_protocol(
            plan=plan,
            actor=self.desk,
            kind=ProtocolKind.EMERGENCY,
            situation=On.DETENTION,
            title="If a spokesperson is detained",
            steps=[
                "Note where, when, by whom and the vehicle's plate",
                "Call the community's lawyer",
                "Tell the desk",
                "The coordination team calls the ombudsman's office",
            ],
            contacts="Lawyer first; if no answer in 30 minutes, the desk's emergency line",
            threats=[focus],
            prerequisites=[measures[1]],
        )
        plan_services.add_protocol(
            plan=plan,
            actor=self.desk,
            kind=ProtocolKind.PREVENTIVE,
            situation=On.TRAVEL,
            title="Trips to the municipal capital",
            steps=["Travel in pairs", "Tell the guard when you leave and when you arrive"],
        )
        self.count("protocols", 2)
        plan = plan_services.change_plan_status(
            plan=plan,
            actor=self.lead,
            to=PlanStatus.ADOPTED,
            expected_version=plan.version,
            on=self.ago(30),
        )
        plan = plan_services.change_plan_status(
            plan=plan, actor=self.lead, to=PlanStatus.IN_FORCE, expected_version=plan.version
        )
        self.count("plans")
        return plan

    # --- actors ---

    def actor_map(self, subject: Defender, *, actors: int | None = None) -> None:
        """The featured map (a command chain, positions over time, relations), or `actors`
        plain actors with one position each (the list offices)."""
        user = self.desk if subject.organisation_id == self.home.pk else None
        if actors is not None:
            for i in range(actors):
                actor = actor_services.create_actor(
                    subject=subject,
                    user=user,
                    name=f"Actor {i + 1} (fictional)",
                    actor_type=self.rng.choice(ActorType.values),
                    stance=self.rng.choice(Stance.values),
                    power=self.rng.randint(1, 5),
                )
                actor_services.record_position(
                    actor=actor,
                    user=user,
                    positioned_on=self.ago(30),
                    acceptance=self.rng.randint(-2, 2),
                    deterrence=self.rng.randint(0, 2),
                )
            self.count("actors", actors)
            return
        T, S, W = ActorType, Stance, WillToProtect
        made: dict[str, Actor] = {}
        for key, name, kind, stance, power, parent, will, positions in (
            ("army", "National Army, 3rd Division", T.MILITARY, S.NEUTRAL, 5, "", W.WEAK,
             [(200, 0, 1)]),
            ("battalion", "14th Infantry Battalion", T.MILITARY, S.NEGATIVE, 4, "army", W.NONE,
             [(200, -2, 0), (60, -1, 1)]),
            ("police", "Municipal police station", T.POLICE, S.NEUTRAL, 2, "", W.WEAK,
             [(90, 0, 0)]),
            ("mine", "Minera Andina S.A.", T.COMPANY, S.NEGATIVE, 4, "", W.UNKNOWN,
             [(200, -2, 0), (45, -2, 1)]),
            ("guards", "Seguridad Minera del Alto", T.COMPANY, S.NEGATIVE, 3, "mine", W.UNKNOWN,
             [(45, -2, 0)]),
            ("armed", "Armed group of the upper river", T.ARMED_GROUP, S.NEGATIVE, 5, "",
             W.UNKNOWN, [(90, -2, 0)]),
            ("ombudsman", "Regional Ombudsman's office", T.STATE_BODY, S.POSITIVE, 3, "",
             W.STRONG, [(90, 2, 2)]),
            ("diocese", "Diocese of the Valley", T.COMMUNITY_LEADER, S.POSITIVE, 3, "",
             W.MODERATE, [(120, 2, 1)]),
            ("embassy", "An embassy's human rights officer", T.INTERNATIONAL, S.POSITIVE, 4,
             "", W.MODERATE, [(60, 1, 2)]),
            ("radio", "Regional radio station", T.MEDIA, S.NEGATIVE, 2, "", W.UNKNOWN,
             [(30, -1, 0)]),
            ("network", "Regional defenders' network", T.ALLY, S.POSITIVE, 2, "", W.UNKNOWN,
             [(90, 2, 1)]),
            ("mayor", "Mayor's office", T.LOCAL_AUTHORITY, S.NEUTRAL, 3, "", W.WEAK,
             [(90, 0, 1)]),
        ):  # fmt: skip
            made[key] = actor_services.create_actor(
                subject=subject,
                user=user,
                name=f"{name} (fictional)",
                actor_type=kind,
                stance=stance,
                power=power,
                parent=made.get(parent),
                will_to_protect=will,
                interests="Control of the river land." if stance == S.NEGATIVE else "",
            )
            for days, acceptance, deterrence in positions:
                actor_services.record_position(
                    actor=made[key],
                    user=user,
                    positioned_on=self.ago(days),
                    acceptance=acceptance,
                    deterrence=deterrence,
                    rationale="Seen at the last assembly.",
                )
                self.count("actor positions")
        self.count("actors", len(made))
        for source, target, kind in (
            ("mine", "guards", RelationKind.FUNDING),
            ("mine", "mayor", RelationKind.OTHER),
            ("battalion", "armed", RelationKind.RIVAL),
            ("ombudsman", "network", RelationKind.ALLY),
            ("diocese", "network", RelationKind.ALLY),
            ("army", "battalion", RelationKind.COMMAND),
        ):
            actor_services.add_relation(
                source=made[source], target=made[target], kind=kind, user=user
            )
            self.count("actor relations")

    # --- putting it together ---

    def home_casework(self) -> dict[str, Any]:
        self.home_defenders()
        person, collective = self.individuals[0], self.collectives[0]
        self.featured_details(person, collective)
        incident = self.featured_incidents(person, collective)
        self.actor_map(collective)
        analysis, threat, threats = self.analysis(collective, incident)
        plan = self.plan(analysis, threat, threats)
        review = self.review(analysis)
        return {
            "individual": person,
            "collective": collective,
            "incident": incident,
            "threat": threat,
            "analysis": analysis,
            "review": review,
            "plan": plan,
        }

    def list_office(self, office: Organisation, rows: int, seed: int) -> Defender:
        """`rows` defenders, `rows` incidents all against the first (so its timeline has
        `rows` too) and `rows` actors on its map."""
        defenders = [
            self.defender(office, DefenderKind.INDIVIDUAL, f"{self.rng.choice(GIVEN)} {i + 1}")
            for i in range(rows)
        ]
        subject = defenders[0]
        made = bulk_seed(office, [subject], rows, seed + rows)
        self.count("list-office incidents", made["incidents"])
        self.actor_map(subject, actors=rows)
        return subject
