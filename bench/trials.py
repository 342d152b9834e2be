"""Criminalisation cases in the bench world (issue #7): the home office with `cases` cases
(2,000 by default, 50 with `--quick`) over its defenders, each with a charge, two hearings
(one postponed), a few days of police custody and, for half of them, pre-trial detention from
days to more than a year (some still running), so that the case list, a case page, the case
form with its pickers over the large incident register, the hearing calendar, the public
statistics with their detention figures and the API case list are measured at scale: cost
must follow the page, not the table.

Rows go in with bulk_create; Tier-1 fields are sealed as bench/desk.py does.

Wiring: in `bench/seed.py`, after the desk,
`trials.seed(home=home, officer=personas["desk_officer"], cases=..., seed=seed)`; in
`bench/pages.py`, `+ trials.pages(world)` in `key_pages`; a `[pages.*]` row per page in
`bench/budgets.toml` (first HTML <= 28 KB: the "Library, trials, learning" row of
PERFORMANCE.md).
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amparo.defenders.models import Defender
from amparo.trials import detention
from amparo.trials.enums import (
    ChargeKind,
    CourtType,
    Detention,
    HearingKind,
    HearingResult,
    Initiator,
    Pattern,
    Stage,
)
from amparo.trials.models import (
    Charge,
    CriminalisationCase,
    DetentionPeriod,
    Hearing,
    LegalProvision,
)
from bench.desk import _Sealer

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from bench.pages import Page
    from bench.seed import World

BATCH = 2000
#: Cases in the full run; `--quick` passes fewer.
DEFAULT_CASES = 2_000


def seed(
    *, home: Organisation, officer: User, cases: int = DEFAULT_CASES, seed: int
) -> dict[str, int]:
    rng = random.Random(f"{seed}-trials")

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    defenders = list(
        Defender.objects.filter(organisation=home)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    if not defenders:
        raise ValueError("bench/trials.py: the home office keeps no defenders yet")
    seal = _Sealer(home.pk)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    provisions = [
        LegalProvision.objects.get_or_create(
            country="CO", article=f"Bench code, art. {kind}", defaults={"kind": kind}
        )[0]
        for kind in ChargeKind.values
    ]
    counts = {"criminalisation cases": 0, "hearings": 0, "detention periods": 0}
    with transaction.atomic():
        for start in range(0, cases, BATCH):
            rows, links, charges, hearings, periods = [], [], [], [], []
            for index in range(start, min(start + BATCH, cases)):
                pk = new_id()
                case = CriminalisationCase(
                    id=pk,
                    organisation=home,
                    country="CO",
                    court_type=rng.choice(CourtType.values),
                    initiator=rng.choice(Initiator.values),
                    patterns=rng.sample(Pattern.values, 2),
                    stage=rng.choice(Stage.values),
                    opened_on=today - timedelta(days=rng.randrange(30, 2000)),
                    court=seal("trials.CriminalisationCase.court", pk, "Juzgado (bench)"),
                    case_number=seal("trials.CriminalisationCase.case_number", pk, f"B-{index}"),
                    defence_counsel=seal("trials.CriminalisationCase.defence_counsel", pk, ""),
                    summary=seal("trials.CriminalisationCase.summary", pk, "Bench case."),
                    created_by=officer,
                )
                rows.append(case)
                defender_id = defenders[index % len(defenders)]
                links.append(
                    CriminalisationCase.defenders.through(
                        criminalisationcase_id=pk, defender_id=defender_id
                    )
                )
                held = _detention(case, defender_id, rng, today)
                for period in held:
                    period.id = new_id()
                    period.organisation = home
                    period.place = seal(
                        "trials.DetentionPeriod.place", period.id, "Estación (bench)"
                    )
                    period.notes = seal("trials.DetentionPeriod.notes", period.id, "")
                periods.extend(held)
                case.detention = detention.status_of(held)
                charges.append(
                    Charge(
                        id=new_id(),
                        organisation=home,
                        case=case,
                        provision=rng.choice(provisions),
                    )
                )
                day = today + timedelta(days=rng.randrange(-200, 200))
                for offset, result in (
                    (-14, HearingResult.POSTPONED),
                    (0, HearingResult.SCHEDULED),
                ):
                    hearing_id = new_id()
                    hearings.append(
                        Hearing(
                            id=hearing_id,
                            organisation=home,
                            case=case,
                            starts_at=datetime.combine(
                                day + timedelta(days=offset), time(9), tzinfo=zone
                            ),
                            kind=rng.choice(HearingKind.values),
                            result=result,
                            place=seal("trials.Hearing.place", hearing_id, "Sala (bench)"),
                            notes=seal("trials.Hearing.notes", hearing_id, ""),
                        )
                    )
            CriminalisationCase.objects.bulk_create(rows)
            CriminalisationCase.defenders.through.objects.bulk_create(links)
            Charge.objects.bulk_create(charges)
            Hearing.objects.bulk_create(hearings)
            DetentionPeriod.objects.bulk_create(periods)
            counts["criminalisation cases"] += len(rows)
            counts["hearings"] += len(hearings)
            counts["detention periods"] += len(periods)
    return counts


#: Days of pre-trial detention drawn for a case, across the public statistics' bands (under a
#: week to over a year); one that would end after today is still running.
PRE_TRIAL_DAYS = (3, 20, 90, 250, 500)


def _detention(
    case: CriminalisationCase, defender_id: uuid.UUID, rng: random.Random, today: date
) -> list[DetentionPeriod]:
    """Every case: a few days of police custody when the proceedings opened; half of them
    then pre-trial detention, of a length drawn from PRE_TRIAL_DAYS. The caller gives ids,
    organisation, place and notes."""
    custody_ends = case.opened_on + timedelta(days=rng.randrange(0, 5))
    periods = [
        DetentionPeriod(
            case=case,
            defender_id=defender_id,
            kind=Detention.POLICE_CUSTODY,
            starts_on=case.opened_on,
            ends_on=custody_ends,
        )
    ]
    if rng.random() < 0.5:
        ends_on = custody_ends + timedelta(days=rng.choice(PRE_TRIAL_DAYS))
        periods.append(
            DetentionPeriod(
                case=case,
                defender_id=defender_id,
                kind=Detention.PRE_TRIAL,
                starts_on=custody_ends,
                ends_on=ends_on if ends_on <= today else None,
            )
        )
    return periods


def pages(world: World) -> list[Page]:
    """The case list, the newest case, the case form and the calendar as the desk officer, the
    public statistics as an anonymous visitor (and again with the first answer's ETag: a 304),
    and the API's case list."""
    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    desk = "desk_officer"
    newest = CriminalisationCase.objects.filter(organisation=world.home).order_by("-created_at")
    case = newest.values_list("pk", flat=True).first()
    detail = (
        []
        if case is None
        else [Page("trials-case", reverse("trials:case-detail", args=[case]), desk)]
    )
    return [
        Page("trials-case-list", reverse("trials:case-list"), desk),
        *detail,
        # The form's pickers over the home office's defenders and its large incident register.
        Page("trials-case-new", reverse("trials:case-create"), desk),
        Page("trials-calendar", reverse("trials:calendar"), desk),
        Page("trials-public-stats", reverse("trials-public:stats"), None),
        Page("trials-public-stats-304", reverse("trials-public:stats"), None, conditional=True),
        Page("api-trials-case-list", reverse(f"{API}:trials-case-list"), desk, api=True),
    ]
