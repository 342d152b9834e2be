"""Demo data of criminalisation cases and trial observation, for development only: cases at the
Colombia country office (a land defender charged with usurpation, released on bail and
arrested again, now under house arrest; a community radio collective charged with terrorism,
two of its presenters in pre-trial detention; postponed hearings, an observed hearing and a
published report),
one at the Guatemala office with an upcoming hearing observed by Tomás, and enough older cases
(most with a spell of pre-trial detention) for the public statistics to show counts above the
suppression threshold.

Idempotent and deterministic: every case has a fixed id, so a second run adds nothing. All
names, courts and numbers are fictional.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.trials import services
from amparo.trials.models import CriminalisationCase

_NS = uuid.UUID("5c1d2e77-3f0a-4b8e-9d21-7a6b4c3e2f10")


def _id(key: str) -> uuid.UUID:
    return uuid.uuid5(_NS, key)


def _defender(office: Organisation, key: str, pseudonym: str, kind: str = "individual") -> Defender:
    existing = Defender.objects.filter(pk=_id(f"defender.{key}")).first()
    if existing is not None:
        return existing
    return defender_services.create_defender(
        organisation=office,
        actor=None,
        kind=kind,
        pseudonym=pseudonym,
        collective_type="community" if kind == "collective" else "",
        country=office.country or "CO",
        id=_id(f"defender.{key}"),
    )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _land_case(office: Organisation, dora: User | None, lena: User | None, today: date) -> None:
    defender = _defender(office, "trials.luz", "Luz M. (fictional)")
    case = services.open_case(
        actor=dora,
        organisation=office,
        defenders=[defender],
        case_id=_id("case.land"),
        country="CO",
        court_type="ordinary",
        initiator="company",
        patterns=["meritless_charges", "repeated_postponement", "distant_court"],
        stage="trial",
        opened_on=today - timedelta(days=420),
        court="Juzgado 2 Penal del Circuito, Popayán (fictional)",
        case_number="19001-60-00-000-2024-00000 (fictional)",
        defence_counsel="Colectivo de Abogados (fictional)",
        summary="Charged with land usurpation after the restitution claim of her community.",
    )
    services.add_charge(case=case, actor=dora, article="Código Penal, art. 261", kind="land")
    _rearrest(case, defender, dora, today)
    for weeks in (40, 30, 20):
        services.add_hearing(
            case=case,
            actor=dora,
            starts_at=_at(today - timedelta(weeks=weeks), 9),
            kind="trial",
            result="postponed",
            place="Popayán (fictional)",
        )
    observed = services.add_hearing(
        case=case,
        actor=dora,
        starts_at=_at(today - timedelta(weeks=4), 9),
        kind="trial",
        result="held",
        place="Popayán (fictional)",
    )
    services.add_hearing(
        case=case,
        actor=dora,
        starts_at=_at(today + timedelta(days=10), 9),
        kind="judgment",
        place="Popayán (fictional)",
    )
    mission = services.open_mission(hearing=observed, actor=dora)
    services.update_mission(
        mission=mission,
        actor=dora,
        expected_version=1,
        changes={"access": "granted", "interpreter": False},
        observers=[person for person in (dora,) if person is not None],
    )
    services.save_checklist(
        mission=mission,
        actor=dora,
        expected_version=2,
        findings={
            "tribunal": ("concern", "Relatives were kept outside for an hour (fictional)."),
            "delay": ("violated", "Third postponement without reasons (fictional)."),
            "presumption": ("respected", ""),
        },
    )
    if lena is None:
        return
    report = services.draft_report(mission=mission, actor=dora)
    services.move_report(report=report, actor=lena, to="review", expected_version=1)
    services.move_report(report=report, actor=lena, to="approved", expected_version=2)
    services.move_report(
        report=report,
        actor=lena,
        to="published",
        expected_version=3,
        public_title="Land defender's trial postponed a third time (fictional)",
        public_text="Observers found repeated postponements without reasons and limited "
        "public access to the courtroom. (Fictional demo report.)",
    )


def _rearrest(case: CriminalisationCase, luz: Defender, dora: User | None, today: date) -> None:
    """Luz's story: arrested at the eviction, two days at the police station, pre-trial
    detention, released on bail; arrested again a month ago after a hearing, and since held
    under house arrest."""
    story = [
        ("custody", 400, 398, "Estación de Policía, Popayán (fictional)", ""),
        ("pre_trial", 398, 380, "Cárcel San Isidro, Popayán (fictional)", "Released on bail."),
        (
            "custody",
            30,
            28,
            "Estación de Policía, Popayán (fictional)",
            "Arrested after a hearing.",
        ),
        ("house_arrest", 28, None, "Her home in the vereda (fictional)", ""),
    ]
    for kind, since, until, place, notes in story:
        services.add_detention_period(
            case=case,
            actor=dora,
            defender=luz,
            kind=kind,
            starts_on=today - timedelta(days=since),
            ends_on=None if until is None else today - timedelta(days=until),
            place=place,
            notes=notes,
        )


def _radio_case(office: Organisation, dora: User | None, today: date) -> None:
    collective = _defender(office, "trials.radio", "Radio Comunitaria (fictional)", "collective")
    case = services.open_case(
        actor=dora,
        organisation=office,
        defenders=[collective],
        case_id=_id("case.radio"),
        country="CO",
        court_type="special",
        initiator="state",
        patterns=["stigmatising_labels", "invasive_investigation"],
        stage="charged",
        opened_on=today - timedelta(days=90),
        case_number="TER-2026-000 (fictional)",
        summary="Two presenters charged with terrorism for covering a road blockade.",
    )
    services.add_charge(case=case, actor=dora, article="Ley 1453, art. 4", kind="terrorism")
    for presenter in ("first", "second"):  # members of the collective, not recorded one by one
        services.add_detention_period(
            case=case,
            actor=dora,
            kind="pre_trial",
            starts_on=today - timedelta(days=60),
            place="La Picota, Bogotá (fictional)",
            notes=f"The {presenter} presenter (fictional).",
        )
    services.add_hearing(
        case=case, actor=dora, starts_at=_at(today + timedelta(days=2), 14), kind="pre_trial"
    )


def _guatemala_case(office: Organisation, tomas: User | None, today: date) -> None:
    defender = _defender(office, "trials.maya", "Ixchel K. (fictional)")
    case = services.open_case(
        actor=None,
        organisation=office,
        defenders=[defender],
        case_id=_id("case.gt"),
        country="GT",
        court_type="ordinary",
        initiator="private",
        patterns=["meritless_charges"],
        stage="pre_trial",
        opened_on=today - timedelta(days=200),
        summary="Defamation complaint by a landowner after a radio interview.",
    )
    services.add_charge(case=case, actor=None, article="Código Penal, art. 161", kind="defamation")
    hearing = services.add_hearing(
        case=case, actor=None, starts_at=_at(today + timedelta(days=5), 10), kind="pre_trial"
    )
    mission = services.open_mission(hearing=hearing, actor=tomas)
    if tomas is not None:
        services.update_mission(
            mission=mission,
            actor=tomas,
            expected_version=1,
            changes={"status": "prepared"},
            observers=[tomas],
        )


#: Older closed cases, only codes: the public statistics need counts of 5 and more. The last
#: number is the days of pre-trial detention after the arrest (None: never detained).
HISTORY: list[tuple[str, str, str, str, int, int | None]] = [
    ("h1", "company", "land", "acquitted", 900, 12),
    ("h2", "company", "land", "dismissed", 800, 45),
    ("h3", "state", "public_order", "convicted", 700, 200),
    ("h4", "company", "land", "acquitted", 650, 3),
    ("h5", "state", "terrorism", "withdrawn", 600, 400),
    ("h6", "private", "defamation", "acquitted", 500, None),
]


def _history(office: Organisation, today: date) -> None:
    for key, initiator, kind, outcome, age, held in HISTORY:
        defender = _defender(office, f"trials.{key}", f"Defender {key.upper()} (fictional)")
        case = services.open_case(
            actor=None,
            organisation=office,
            defenders=[defender],
            case_id=_id(f"case.{key}"),
            country="CO",
            initiator=initiator,
            stage="final",
            outcome=outcome,
            opened_on=today - timedelta(days=age),
            outcome_on=today - timedelta(days=age - 300),
        )
        article = {"land": "Código Penal, art. 261", "terrorism": "Ley 1453, art. 4"}.get(
            kind, f"Código Penal ({kind})"
        )
        services.add_charge(case=case, actor=None, article=article, kind=kind)
        if held is not None:
            arrested = case.opened_on + timedelta(days=2)
            services.add_detention_period(
                case=case,
                actor=None,
                defender=defender,
                kind="pre_trial",
                starts_on=arrested,
                ends_on=arrested + timedelta(days=held - 1),
            )


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo cases if missing. Returns how many cases were added."""
    refuse_without_debug()
    before = CriminalisationCase.objects.count()
    today = timezone.localdate()
    office = organisation_by_slug["office-co"]
    people: dict[str, Any] = {
        key: people_by_email.get(f"{key}@{DEMO_DOMAIN}") for key in ("dora", "lena", "tomas")
    }
    if not CriminalisationCase.objects.filter(pk=_id("case.land")).exists():
        _land_case(office, people["dora"], people["lena"], today)
    if not CriminalisationCase.objects.filter(pk=_id("case.radio")).exists():
        _radio_case(office, people["dora"], today)
    guatemala = organisation_by_slug.get("office-gt")
    if guatemala and not CriminalisationCase.objects.filter(pk=_id("case.gt")).exists():
        _guatemala_case(guatemala, people["tomas"], today)
    if not CriminalisationCase.objects.filter(pk=_id("case.h1")).exists():
        _history(office, today)
    return {"criminalisation cases": CriminalisationCase.objects.count() - before}
