"""Fictional demo actor maps, for development only (the lead's `seed_demo` calls `seed` after
the accounts demo, and best after the defenders demo). Every actor is invented, and the names
of organisations and units say so where they could be mistaken for real ones.

Idempotent and deterministic: the maps belong to the defenders demo's records (same fixed ids);
when those are missing they are created here through the defenders' service with the same id
and pseudonym, so the defenders demo finds them later. A map that already has actors is left
alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.actors import services
from amparo.actors.enums import ActorType as T
from amparo.actors.enums import RelationKind as R
from amparo.actors.enums import Stance as S
from amparo.actors.enums import WillToProtect as W
from amparo.actors.models import Actor
from amparo.audit.services import audit_context
from amparo.defenders import demo as defenders_demo
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender


@dataclass(frozen=True)
class DemoActor:
    key: str
    name: str
    actor_type: str
    stance: str
    power: int
    positions: list[tuple[date, int, int, str]]  # (date, acceptance, deterrence, rationale)
    parent: str = ""
    will_to_protect: str = W.UNKNOWN
    interests: str = ""
    duties: str = ""
    resources: str = ""
    view_of_defender: str = ""


@dataclass(frozen=True)
class DemoMap:
    defender_key: str  # the key in amparo/defenders/demo.py
    actors: list[DemoActor]
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)


D1, D2, D3 = date(2025, 6, 10), date(2025, 11, 20), date(2026, 2, 5)

MAPS = [
    DemoMap(
        defender_key="rio-claro",
        actors=[
            DemoActor(
                "army",
                "National Army, 3rd Division (fictional)",
                T.MILITARY,
                S.NEUTRAL,
                5,
                [(D2, 0, 1, "Answered the community's letter; the commander met the desk.")],
                will_to_protect=W.WEAK,
                duties="Respect and protect the civilian population in its area of operations.",
            ),
            DemoActor(
                "battalion",
                "14th Infantry Battalion (fictional)",
                T.MILITARY,
                S.NEGATIVE,
                4,
                [
                    (D1, -2, 0, "Soldiers photographed the assembly and called it a front."),
                    (D3, -1, 1, "Since the embassy visit, patrols keep away from the school."),
                ],
                parent="army",
                will_to_protect=W.NONE,
                interests="Secure the road to the mining concession.",
                duties="Protect the civilian population; the Division can order it to.",
                view_of_defender="Sees the community guard as an obstacle to operations.",
            ),
            DemoActor(
                "police",
                "San Isidro municipal police station (fictional)",
                T.POLICE,
                S.NEUTRAL,
                2,
                [(D2, 0, 0, "Takes complaints but does not follow them up.")],
                will_to_protect=W.WEAK,
                duties="Receive complaints, protect people under threat.",
                resources="Six officers, one vehicle.",
            ),
            DemoActor(
                "mine",
                "Minera Andina S.A. (fictional)",
                T.COMPANY,
                S.NEGATIVE,
                4,
                [(D1, -2, 0, "Filed a complaint for trespass against the spokespeople.")],
                interests="Extend the concession along the river.",
                view_of_defender="Calls the community's opposition 'anti-development'.",
            ),
            DemoActor(
                "halcones",
                "Los Halcones armed group (fictional)",
                T.ARMED_GROUP,
                S.NEGATIVE,
                5,
                [(D2, -2, 0, "Pamphlets naming community leaders as targets.")],
                interests="Control of the river crossing and of illegal mining.",
            ),
            DemoActor(
                "ombudsman",
                "Regional Ombudsman's office (fictional)",
                T.STATE_BODY,
                S.POSITIVE,
                3,
                [(D2, 2, 2, "Issued an early warning for the river basin.")],
                will_to_protect=W.STRONG,
                duties="Monitor risk, issue early warnings, accompany complaints.",
            ),
            DemoActor(
                "diocese",
                "Diocese of the Valley (fictional)",
                T.COMMUNITY_LEADER,
                S.POSITIVE,
                3,
                [(D1, 2, 1, "The bishop visited the community after the pamphlets.")],
            ),
            DemoActor(
                "embassy",
                "Embassy human rights focal point (fictional)",
                T.INTERNATIONAL,
                S.POSITIVE,
                4,
                [(D3, 1, 3, "Visited the community and raised the case with the Division.")],
                will_to_protect=W.MODERATE,
            ),
            DemoActor(
                "radio",
                "Radio Comunitaria Río Claro (fictional)",
                T.MEDIA,
                S.POSITIVE,
                2,
                [(D2, 2, 1, "Broadcasts the assembly's statements.")],
            ),
        ],
        relations=[
            ("army", "battalion", R.COMMAND, "The Division commands the battalion."),
            ("mine", "battalion", R.FUNDING, "Security agreement for the concession road."),
            ("halcones", "battalion", R.RIVAL, "Clashes near the river crossing."),
            ("halcones", "mine", R.OTHER, "Reports of extortion payments (unverified)."),
            ("ombudsman", "diocese", R.ALLY, "Joint visits to the community."),
            ("embassy", "ombudsman", R.ALLY, ""),
        ],
    ),
    DemoMap(
        defender_key="harapan",
        actors=[
            DemoActor(
                "plantation",
                "PT Sawit Sejahtera (fictional)",
                T.COMPANY,
                S.NEGATIVE,
                4,
                [(D2, -2, 1, "Security guards destroyed the farmers' huts; NGO reports.")],
                interests="Plant oil palm on the disputed 300 hectares.",
            ),
            DemoActor(
                "district-police",
                "District police command (fictional district)",
                T.POLICE,
                S.NEUTRAL,
                3,
                [(D2, -1, 1, "Summoned three farmers for questioning.")],
                will_to_protect=W.WEAK,
            ),
            DemoActor(
                "village-head",
                "Village head (fictional village)",
                T.LOCAL_AUTHORITY,
                S.NEUTRAL,
                2,
                [(D2, 0, 0, "Signed the company's land letter, then withdrew it.")],
            ),
            DemoActor(
                "commission",
                "National human rights commission, regional desk (fictional)",
                T.STATE_BODY,
                S.POSITIVE,
                3,
                [(D3, 1, 2, "Opened a mediation file.")],
                will_to_protect=W.MODERATE,
            ),
            DemoActor(
                "network",
                "Jaringan Pembela Tanah (fictional)",
                T.ALLY,
                S.POSITIVE,
                2,
                [(D2, 2, 1, "Legal support for the summoned farmers.")],
            ),
        ],
        relations=[
            ("plantation", "district-police", R.FUNDING, "Pays for 'security posts'."),
            ("plantation", "village-head", R.OTHER, "Promised a road."),
            ("commission", "network", R.ALLY, ""),
        ],
    ),
]


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo actor maps that do not exist yet. Returns what was created."""
    refuse_without_debug()
    created = {"defenders": 0, "actors": 0, "relations": 0, "positions": 0}
    desk = people_by_email.get(f"dora@{DEMO_DOMAIN}")
    demo_defenders = {d.key: d for d in defenders_demo.DEFENDERS}
    with audit_context(actor=desk):
        for demo_map in MAPS:
            subject, was_created = _subject(
                demo_defenders[demo_map.defender_key], organisation_by_slug
            )
            if subject is None:
                continue
            created["defenders"] += was_created
            if Actor.objects.filter(subject=subject).exists():
                continue
            user = desk if subject.organisation.slug == "office-co" else None
            _draw(demo_map, subject, user, created)
    return created


def _subject(
    demo: defenders_demo.DemoDefender, organisation_by_slug: dict[str, Organisation]
) -> tuple[Defender | None, bool]:
    existing = Defender.objects.filter(pk=demo.id).select_related("organisation").first()
    if existing is not None:
        return existing, False
    organisation = organisation_by_slug.get(demo.office)
    if organisation is None:
        return None, False
    collective_organisation = organisation_by_slug.get(demo.collective_organisation)
    if (
        collective_organisation is not None
        and Defender.objects.filter(collective_organisation=collective_organisation).exists()
    ):
        collective_organisation = None
    subject = defender_services.create_defender(
        organisation=organisation,
        actor=None,
        kind=demo.kind,
        pseudonym=demo.pseudonym,
        id=demo.id,
        collective_type=demo.collective_type,
        categories=demo.categories,
        country=demo.country,
        region=demo.region,
        collective_organisation=collective_organisation,
    )
    return subject, True


def _draw(demo_map: DemoMap, subject: Defender, user: User | None, created: dict[str, int]) -> None:
    actors: dict[str, Actor] = {}
    for demo in demo_map.actors:  # parents come first in the lists above
        actors[demo.key] = services.create_actor(
            subject=subject,
            user=user,
            name=demo.name,
            actor_type=demo.actor_type,
            stance=demo.stance,
            power=demo.power,
            parent=actors.get(demo.parent),
            will_to_protect=demo.will_to_protect,
            interests=demo.interests,
            duties=demo.duties,
            resources=demo.resources,
            view_of_defender=demo.view_of_defender,
        )
        created["actors"] += 1
        for on, acceptance, deterrence, rationale in demo.positions:
            services.record_position(
                actor=actors[demo.key],
                user=user,
                positioned_on=on,
                acceptance=acceptance,
                deterrence=deterrence,
                rationale=rationale,
            )
            created["positions"] += 1
    for source, target, kind, note in demo_map.relations:
        services.add_relation(
            source=actors[source],
            target=actors[target],
            kind=kind,
            note=note,
            user=user,
        )
        created["relations"] += 1
