"""Fictional demo defenders and collectives, for development only (the lead's `seed_demo`
calls `seed` after the accounts demo). Every name, place detail and number is invented.

Idempotent and deterministic: each record has a fixed id derived from its key, so a second
run finds what the first made and adds nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.defenders import services
from amparo.defenders.enums import (
    Category,
    ChannelKind,
    CollectiveRole,
    CollectiveType,
    ConsentScope,
    DefenderKind,
    DefenderStatus,
)
from amparo.defenders.models import Defender, DefenderShare

#: Fixed namespace: the same key always gives the same record id.
NAMESPACE = uuid.UUID("5b0f3f57-8c1e-4a7e-9b1f-2f4c0d6a9e11")


@dataclass(frozen=True)
class DemoDefender:
    key: str
    office: str
    pseudonym: str
    country: str
    region: str
    categories: list[str]
    kind: str = DefenderKind.INDIVIDUAL
    collective_type: str = ""
    collective_organisation: str = ""
    own_account: str = ""  # demo persona key (ana → ana@demo.amparo.test)
    legal_name: str = ""
    languages: str = ""
    rights_defended: str = ""
    channel: tuple[str, str] | None = None
    consent_by: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)  # (key, role)
    shared_with: list[str] = field(default_factory=list)

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, self.key)


C = Category
DEFENDERS = [
    DemoDefender(
        key="ana",
        office="office-co",
        pseudonym="Ana del Río",
        legal_name="Ana Lucía Quintero (fictional)",
        country="CO",
        region="Cauca",
        languages="es",
        categories=[C.LAND, C.WHRD],
        rights_defended="Land restitution for the families of the river basin.",
        own_account="ana",
        channel=(ChannelKind.SIGNAL, "+57 300 555 0101 (fictional)"),
        consent_by="Ana",
    ),
    DemoDefender(
        key="emilio",
        office="office-co",
        pseudonym="Don Emilio",
        country="CO",
        region="Cauca",
        languages="es, nasa",
        categories=[C.LAND, C.INDIGENOUS],
        channel=(ChannelKind.IN_PERSON, "Through the community's radio operator (fictional)"),
        consent_by="Don Emilio",
    ),
    DemoDefender(
        key="rio-claro",
        office="office-co",
        pseudonym="Comunidad Río Claro",
        kind=DefenderKind.COLLECTIVE,
        collective_type=CollectiveType.COMMUNITY,
        collective_organisation="collective-rio-claro",
        country="CO",
        region="Cauca",
        languages="es, nasa",
        categories=[C.LAND, C.ENVIRONMENTAL],
        rights_defended="Collective title to the river basin; clean water against mining waste.",
        consent_by="Community assembly (fictional)",
        members=[("ana", CollectiveRole.MEMBER), ("emilio", CollectiveRole.SPOKESPERSON)],
        shared_with=["hub-mesoamerica"],
    ),
    DemoDefender(
        key="harapan",
        office="office-id",
        pseudonym="Kelompok Tani Harapan",
        kind=DefenderKind.COLLECTIVE,
        collective_type=CollectiveType.COMMUNITY,
        collective_organisation="collective-harapan",
        country="ID",
        region="Jambi",
        languages="id",
        categories=[C.LAND, C.ENVIRONMENTAL],
        consent_by="Village farmers' meeting (fictional)",
    ),
    DemoDefender(
        key="lake-wd",
        office="office-ke",
        pseudonym="Lake Region Women Defenders Network",
        kind=DefenderKind.COLLECTIVE,
        collective_type=CollectiveType.NETWORK,
        collective_organisation="collective-lake-wd",
        country="KE",
        region="Kisumu",
        languages="sw, en, luo",
        categories=[C.WHRD, C.HEALTH],
        consent_by="Network coordinating committee (fictional)",
    ),
    DemoDefender(
        key="periodista",
        office="office-gt",
        pseudonym="Periodista del Norte",
        country="GT",
        region="Petén",
        languages="es",
        categories=[C.JOURNALIST, C.ENVIRONMENTAL],
        channel=(ChannelKind.SIGNAL, "+502 5555 0102 (fictional)"),
        consent_by="The journalist",
    ),
    DemoDefender(
        key="avocat",
        office="office-cd",
        pseudonym="Maître Kivu",
        country="CD",
        region="Nord-Kivu",
        languages="fr, sw",
        categories=[C.LAWYER],
        channel=(ChannelKind.EMAIL, "maitre.kivu@example.org"),
    ),
    DemoDefender(
        key="guardia",
        office="office-br",
        pseudonym="Guardiã do Xingu",
        country="BR",
        region="Pará",
        languages="pt",
        categories=[C.ENVIRONMENTAL, C.INDIGENOUS],
        consent_by="The defender",
    ),
]

#: Consents in the demo are dated, not "today": the data must not change between runs.
CONSENT_DAY = date(2025, 3, 14)


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo defenders that do not exist yet. Returns what was created."""
    refuse_without_debug()
    created = {"defenders": 0, "members": 0, "shares": 0}
    existing = set(
        Defender.objects.filter(pk__in=[d.id for d in DEFENDERS]).values_list("pk", flat=True)
    )
    records: dict[str, Defender] = {}
    for demo in DEFENDERS:
        organisation = organisation_by_slug.get(demo.office)
        if organisation is None:
            continue
        if demo.id in existing:
            records[demo.key] = Defender.objects.get(pk=demo.id)
            continue
        records[demo.key] = _create(demo, organisation, organisation_by_slug, people_by_email)
        created["defenders"] += 1
    for demo in DEFENDERS:
        collective = records.get(demo.key)
        if collective is None:
            continue
        for member_key, role in demo.members:
            member = records.get(member_key)
            if member is not None and not collective.members.filter(member=member).exists():
                services.add_member(
                    collective=collective, member=member, actor=_desk(people_by_email), role=role
                )
                created["members"] += 1
        for slug in demo.shared_with:
            target = organisation_by_slug.get(slug)
            if (
                target is not None
                and not DefenderShare.objects.filter(
                    defender=collective, organisation=target
                ).exists()
            ):
                services.share_defender(
                    defender=collective, organisation=target, actor=_lead(people_by_email)
                )
                created["shares"] += 1
    return created


def _desk(people_by_email: dict[str, User]) -> User | None:
    return people_by_email.get(f"dora@{DEMO_DOMAIN}")


def _lead(people_by_email: dict[str, User]) -> User | None:
    return people_by_email.get(f"lena@{DEMO_DOMAIN}")


def _create(
    demo: DemoDefender,
    organisation: Organisation,
    organisation_by_slug: dict[str, Organisation],
    people_by_email: dict[str, User],
) -> Defender:
    # The Colombian desk's personas record their own office's defenders; elsewhere the
    # records appear as written by the system.
    actor = _desk(people_by_email) if demo.office == "office-co" else None
    user = people_by_email.get(f"{demo.own_account}@{DEMO_DOMAIN}") if demo.own_account else None
    if user is not None and Defender.objects.filter(user=user).exists():
        user = None  # linked to another record by hand meanwhile: leave that link alone
    collective_organisation = organisation_by_slug.get(demo.collective_organisation)
    if (
        collective_organisation is not None
        and Defender.objects.filter(collective_organisation=collective_organisation).exists()
    ):
        collective_organisation = None
    defender = services.create_defender(
        organisation=organisation,
        actor=actor,
        kind=demo.kind,
        pseudonym=demo.pseudonym,
        id=demo.id,
        legal_name=demo.legal_name,
        collective_type=demo.collective_type,
        categories=demo.categories,
        country=demo.country,
        region=demo.region,
        languages=demo.languages,
        rights_defended=demo.rights_defended,
        status=DefenderStatus.DRAFT,
        user=user,
        collective_organisation=collective_organisation,
        channel={"kind": demo.channel[0], "value": demo.channel[1]} if demo.channel else None,
    )
    if demo.consent_by:
        # Storing is agreed first; that makes the draft active (DOMAIN.md 2.1 step 2).
        services.record_consent(
            defender=defender,
            actor=actor,
            scope=ConsentScope.STORE,
            given_by=demo.consent_by,
            given_on=CONSENT_DAY,
        )
        services.record_consent(
            defender=defender,
            actor=actor,
            scope=ConsentScope.SHARE_TEAM,
            given_by=demo.consent_by,
            given_on=CONSENT_DAY,
        )
    return defender
