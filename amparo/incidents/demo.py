"""Fictional demo incidents, for development only (the lead's `seed_demo` calls `seed` after
the accounts and defenders demos). Every event, name and place detail is invented.

Idempotent: each incident and perpetrator has a fixed id derived from its key, so a second run
finds what the first made and adds nothing. Dates are counted back from the day of the first
run, so the patterns page (last 12 months, INC-5's 90 days) shows a living system: in Cauca, the
same private security company appears in three incidents within 90 days, and the region has
more, which raises both pattern signals.

The victims are the defenders module's demo defenders (looked up by their fixed ids); when that
demo has not run, two defenders of our own are recorded in the Colombian office instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.enums import DefenderKind
from amparo.defenders.models import Defender
from amparo.incidents import services
from amparo.incidents.enums import (
    Answer,
    AttackType,
    Channel,
    DatePrecision,
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

NAMESPACE = uuid.UUID("0c6f1d2e-4b7a-4f51-9a3e-7d21b9e4c8a5")
#: The defenders demo's namespace: its records' ids are uuid5(that namespace, key).
DEFENDERS_NAMESPACE = uuid.UUID("5b0f3f57-8c1e-4a7e-9b1f-2f4c0d6a9e11")

A = AttackType
K = PerpetratorKind
S = IncidentStatus


@dataclass(frozen=True)
class DemoPerpetrator:
    key: str
    office: str
    kind: str
    name: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"perpetrator:{self.key}")


@dataclass(frozen=True)
class DemoIncident:
    key: str
    office: str
    days_ago: int
    title: str
    what: str
    act_type: str
    victims: list[str]
    region: str
    country: str
    status: str = S.SUBMITTED
    perpetrators: list[str] = field(default_factory=list)
    danger_now: bool = False
    channel: str = Channel.PHONE
    precision: str = DatePrecision.DAY
    reported_by: str = ""  # demo persona key
    evaluated: tuple[str, str, str, str] | None = None  # security, work, threat, follow-up
    source: tuple[str, str, str] | None = None  # connection, reliability, identity
    intervention: tuple[str, str, str] | None = None  # type, party, response

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"incident:{self.key}")


PERPETRATORS = [
    DemoPerpetrator(
        "seguridad", "office-co", K.PRIVATE_SECURITY, "Seguridad Minera del Alto (fictional)"
    ),
    DemoPerpetrator(
        "grupo", "office-co", K.NON_STATE_ARMED, "Armed group of the upper river (fictional)"
    ),
    DemoPerpetrator("policia", "office-co", K.POLICE, "Municipal police station (fictional)"),
    DemoPerpetrator("cuentas", "office-co", K.ANONYMOUS_ONLINE, "Anonymous accounts on X"),
    DemoPerpetrator("juzgado", "office-gt", K.JUDICIARY, "Peace court of the district (fictional)"),
    DemoPerpetrator("trolls", "office-gt", K.ANONYMOUS_ONLINE, "Coordinated troll accounts"),
    DemoPerpetrator("anr", "office-cd", K.INTELLIGENCE, "Intelligence agency office (fictional)"),
    DemoPerpetrator("kebun", "office-id", K.EXTRACTIVE_COMPANY, "PT Sawit Makmur (fictional)"),
    DemoPerpetrator("elders", "office-ke", K.RELIGIOUS, "A group of local elders (fictional)"),
    DemoPerpetrator("fazenda", "office-br", K.LANDOWNER, "Fazenda Boa Vista (fictional)"),
]

INCIDENTS = [
    DemoIncident(
        "rio-claro-surveillance",
        "office-co",
        85,
        "Drone over the assembly",
        "A drone flew over the community assembly for an hour; the company's guards watched.",
        A.SURVEILLANCE,
        ["rio-claro"],
        "Cauca",
        "CO",
        status=S.CODED,
        perpetrators=["seguridad"],
        evaluated=(Answer.YES, Answer.YES, Answer.UNSURE, FollowUp.MONITOR),
        source=(SourceConnection.WITNESS, Reliability.HIGH, "Two assembly members (fictional)"),
    ),
    DemoIncident(
        "rio-claro-fence",
        "office-co",
        62,
        "Community fence cut",
        "The fence of the communal plot was cut in three places during the night.",
        A.PROPERTY_DESTRUCTION,
        ["rio-claro"],
        "Cauca",
        "CO",
        status=S.UNDER_EVALUATION,
        perpetrators=["seguridad"],
    ),
    DemoIncident(
        "ana-death-threat",
        "office-co",
        48,
        "Death threat in a pamphlet",
        "A pamphlet naming Ana and two other leaders was left at the school gate.",
        A.DEATH_THREAT,
        ["ana", "emilio"],
        "Cauca",
        "CO",
        status=S.UNDER_EVALUATION,
        perpetrators=["grupo"],
        danger_now=True,
        evaluated=(Answer.YES, Answer.YES, Answer.YES, FollowUp.ASSESS_THREAT),
        intervention=(
            InterventionType.DEMAND_INVESTIGATION,
            "The desk, by letter to the regional prosecutor (fictional)",
            Response.TOKEN,
        ),
    ),
    DemoIncident(
        "rio-claro-smear",
        "office-co",
        33,
        "Posts calling the community guerrillas",
        "Several accounts posted photos of the assembly calling its leaders guerrillas.",
        A.SMEAR,
        ["rio-claro"],
        "Cauca",
        "CO",
        status=S.TRIAGED,
        perpetrators=["cuentas"],
        channel=Channel.MESSAGING,
    ),
    DemoIncident(
        "emilio-harassment",
        "office-co",
        21,
        "Stopped at the company checkpoint",
        "Don Emilio was held for two hours at the company's checkpoint on the river road.",
        A.HARASSMENT,
        ["emilio"],
        "Cauca",
        "CO",
        perpetrators=["seguridad"],
    ),
    DemoIncident(
        "rio-claro-raid",
        "office-co",
        9,
        "Police entered the community house",
        "Police entered the community house without a warrant and took the meeting records.",
        A.RAID,
        ["rio-claro"],
        "Cauca",
        "CO",
        perpetrators=["policia"],
        danger_now=True,
        channel=Channel.QUICK_REPORT,
        reported_by="ana",
    ),
    DemoIncident(
        "ana-calls",
        "office-co",
        3,
        "Calls from an unknown number",
        "Three calls at night; nobody spoke. Not sure it matters.",
        A.UNCLASSIFIED,
        ["ana"],
        "Cauca",
        "CO",
        status=S.DRAFT,
        channel=Channel.QUICK_REPORT,
        reported_by="ana",
    ),
    DemoIncident(
        "periodista-complaint",
        "office-gt",
        120,
        "Criminal complaint for defamation",
        "A complaint for defamation was filed after the article on illegal logging.",
        A.JUDICIAL_HARASSMENT,
        ["periodista"],
        "Petén",
        "GT",
        status=S.CLOSED,
        perpetrators=["juzgado"],
        evaluated=(Answer.YES, Answer.YES, Answer.NO, FollowUp.LEGAL_ACTION),
    ),
    DemoIncident(
        "periodista-account",
        "office-gt",
        40,
        "Email account taken over",
        "The journalist's email account was taken over and used to send messages to sources.",
        A.DIGITAL_ATTACK,
        ["periodista"],
        "Petén",
        "GT",
        status=S.TRIAGED,
        perpetrators=["trolls"],
    ),
    DemoIncident(
        "kivu-detention",
        "office-cd",
        70,
        "Held for a night after a hearing",
        "Maître Kivu was taken from the court to an office and held until the morning.",
        A.ARBITRARY_DETENTION,
        ["avocat"],
        "Nord-Kivu",
        "CD",
        status=S.CODED,
        perpetrators=["anr"],
        evaluated=(Answer.YES, Answer.YES, Answer.YES, FollowUp.REVIEW_ANALYSIS),
    ),
    DemoIncident(
        "kivu-followed",
        "office-cd",
        15,
        "Followed from the office",
        "The same car followed Maître Kivu from the office twice this week.",
        A.SURVEILLANCE,
        ["avocat"],
        "Nord-Kivu",
        "CD",
        perpetrators=["anr"],
    ),
    DemoIncident(
        "harapan-eviction",
        "office-id",
        150,
        "Eviction notice for the farm plots",
        "Company staff with police escort posted eviction notices on the farm plots.",
        A.EVICTION,
        ["harapan"],
        "Jambi",
        "ID",
        status=S.CODED,
        perpetrators=["kebun"],
        precision=DatePrecision.MONTH,
        evaluated=(Answer.YES, Answer.YES, Answer.YES, FollowUp.REVIEW_PLAN),
    ),
    DemoIncident(
        "harapan-crops",
        "office-id",
        45,
        "Crops sprayed",
        "Crops along the boundary were sprayed with herbicide from the plantation side.",
        A.LIVELIHOOD_ATTACK,
        ["harapan"],
        "Jambi",
        "ID",
        status=S.UNDER_EVALUATION,
        perpetrators=["kebun"],
    ),
    DemoIncident(
        "lake-wd-meeting",
        "office-ke",
        27,
        "Meeting broken up",
        "Elders interrupted the network's meeting on health rights and told members to leave.",
        A.HARASSMENT,
        ["lake-wd"],
        "Kisumu",
        "KE",
        perpetrators=["elders"],
    ),
    DemoIncident(
        "guardia-threat",
        "office-br",
        55,
        "Threat delivered by a farm worker",
        "A farm worker said the guardian would 'disappear in the river' if the patrols went on.",
        A.DEATH_THREAT,
        ["guardia"],
        "Pará",
        "BR",
        status=S.TRIAGED,
        perpetrators=["fazenda"],
        danger_now=True,
    ),
]

#: When the defenders demo has not run: two defenders of our own, in the Colombian office.
FALLBACK_DEFENDERS = {
    "ana": ("Ana (incidents demo)", DefenderKind.INDIVIDUAL),
    "rio-claro": ("Río Claro (incidents demo)", DefenderKind.COLLECTIVE),
}


def _person(people_by_email: dict[str, User], key: str) -> User | None:
    return people_by_email.get(f"{key}@{DEMO_DOMAIN}") if key else None


def _defenders(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> tuple[dict[str, Defender], int]:
    keys = {key for demo in INCIDENTS for key in demo.victims}
    ids = {uuid.uuid5(DEFENDERS_NAMESPACE, key): key for key in keys}
    found = {ids[d.pk]: d for d in Defender.objects.filter(pk__in=list(ids))}
    created = 0
    office = organisation_by_slug.get("office-co")
    if not found and office is not None:
        for key, (pseudonym, kind) in FALLBACK_DEFENDERS.items():
            pk = uuid.uuid5(NAMESPACE, f"defender:{key}")
            defender = Defender.objects.filter(pk=pk).first()
            if defender is None:
                defender = defender_services.create_defender(
                    organisation=office,
                    actor=_person(people_by_email, "dora"),
                    kind=kind,
                    pseudonym=pseudonym,
                    id=pk,
                    country="CO",
                    region="Cauca",
                    collective_type="community" if kind == DefenderKind.COLLECTIVE else "",
                )
                created += 1
            found[key] = defender
    return found, created


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo incidents that do not exist yet. Returns what was created."""
    refuse_without_debug()
    created = {"perpetrators": 0, "incidents": 0, "defenders": 0}
    victims, created["defenders"] = _defenders(organisation_by_slug, people_by_email)
    desk = _person(people_by_email, "dora")
    perpetrators: dict[uuid.UUID, Perpetrator] = {
        p.pk: p for p in Perpetrator.objects.filter(pk__in=[d.id for d in PERPETRATORS])
    }
    by_key: dict[str, Perpetrator] = {}
    for known in PERPETRATORS:
        office = organisation_by_slug.get(known.office)
        if office is None:
            continue
        perpetrator = perpetrators.get(known.id)
        if perpetrator is None:
            perpetrator = services.create_perpetrator(
                organisation=office,
                actor=desk if known.office == "office-co" else None,
                kind=known.kind,
                name=known.name,
                perpetrator_id=known.id,
            )
            created["perpetrators"] += 1
        by_key[known.key] = perpetrator
    existing = set(
        Incident.objects.filter(pk__in=[d.id for d in INCIDENTS]).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    for demo in INCIDENTS:
        organisation = organisation_by_slug.get(demo.office)
        chosen = [victims[key] for key in demo.victims if key in victims]
        if demo.id in existing or organisation is None or not chosen:
            continue
        if any(v.organisation_id != organisation.pk for v in chosen):
            continue  # the defenders demo keeps them elsewhere: leave this one out
        _create(
            demo,
            organisation=organisation,
            victims=chosen,
            perpetrators=by_key,
            today=today,
            desk=desk,
            people_by_email=people_by_email,
        )
        created["incidents"] += 1
    return created


def _create(
    demo: DemoIncident,
    *,
    organisation: Organisation,
    victims: list[Defender],
    perpetrators: dict[str, Perpetrator],
    today: date,
    desk: User | None,
    people_by_email: dict[str, User],
) -> Incident:
    actor = _person(people_by_email, demo.reported_by) or (
        desk if demo.office == "office-co" else None
    )
    incident = services.record_incident(
        organisation=organisation,
        actor=actor,
        incident_id=demo.id,
        facts={
            "title": demo.title,
            "description": demo.what,
            "occurred_on": today - timedelta(days=demo.days_ago),
            "date_precision": demo.precision,
            "country": demo.country,
            "region": demo.region,
            "is_danger_now": demo.danger_now,
            "channel": demo.channel,
            "violation_status": ViolationStatus.LIKELY
            if demo.status in (S.CODED, S.CLOSED)
            else ViolationStatus.UNKNOWN,
        },
        act_type=demo.act_type,
        victims=[services.VictimEntry(defender=v) for v in victims],
        perpetrators=[
            services.PerpetratorEntry(perpetrator=perpetrators[k])
            for k in demo.perpetrators
            if k in perpetrators
        ],
        status=S.DRAFT if demo.status == S.DRAFT else S.SUBMITTED,
    )
    evaluator = desk if demo.office == "office-co" else None
    if demo.source:
        connection, reliability, identity = demo.source
        services.add_source(
            incident=incident,
            actor=evaluator,
            values={"connection": connection, "reliability": reliability, "identity": identity},
        )
    if demo.intervention:
        kind, party, response = demo.intervention
        services.add_intervention(
            incident=incident,
            actor=evaluator,
            values={
                "intervention_type": kind,
                "party": party,
                "done_on": today - timedelta(days=max(demo.days_ago - 3, 0)),
                "response": response,
                "priority": Priority.HIGH,
            },
        )
    if demo.evaluated:
        security, work, threat, follow_up = demo.evaluated
        services.evaluate_incident(
            incident=incident,
            actor=evaluator,
            expected_version=incident.version,
            answers={
                "is_security_incident": security,
                "is_work_related": work,
                "is_known_threat": threat,
                "follow_up": follow_up,
            },
        )
    # Along the workflow to the demo's status, one allowed step at a time.
    path: list[str] = [S.SUBMITTED, S.TRIAGED, S.UNDER_EVALUATION, S.CODED, S.CLOSED]
    if demo.status in path:
        for step in path[path.index(S.SUBMITTED) + 1 : path.index(demo.status) + 1]:
            services.transition_incident(
                incident=incident, actor=evaluator, to=step, expected_version=incident.version
            )
    return incident
