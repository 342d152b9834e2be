"""The Protection Desk in the bench world (issue #6): the home office's desk with `cases`
cases (20,000 by default, 200 with `--quick`) over its defenders, so that the desk dashboard
and the case list are measured at scale: cost must follow the page, not the table.

Rows go in with bulk_create, as `amparo/incidents/benchdata.py` does: summaries and notes are
sealed here with one key lookup per run (the same token format and associated data as
`crypto.encrypt`) and stored as `Ciphertext`. Each case gets its `opened` timeline line; one
in ten has the desk officer assigned and an accompaniment entry whose follow-up is overdue;
one in five is closed with a reason. The desk also keeps `FUNDS` emergency grant funds with
their rules (DESK-2), and the first case a referral to the State mechanism whose risk study is
recorded (DESK-3), for the fund list and the study page. Ids come from the seeded generator, so
URLs repeat.

Wiring: in `bench/seed.py`, after the protection casework,
`desk.seed(home=home, officer=personas["desk_officer"], cases=..., seed=seed)`; in
`bench/pages.py`, `+ desk.pages(world)` in `key_pages`; a `[pages.*]` row per page in
`bench/budgets.toml`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amparo.core.crypto import aead, keyring
from amparo.core.crypto.fields import Ciphertext
from amparo.defenders.models import Defender
from amparo.desk.enums import (
    AccompanimentKind,
    CaseState,
    ClosureReason,
    EventKind,
    GrantCategory,
    MechanismRiskLevel,
    Priority,
    ReferralKind,
    ReferralStatus,
    Urgency,
)
from amparo.desk.models import Accompaniment, Case, CaseEvent, CaseOfficer, GrantFund, Referral

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from bench.pages import Page
    from bench.seed import World

BATCH = 2000
#: Cases in the full run; `--quick` passes fewer.
DEFAULT_CASES = 20_000
#: Emergency grant funds of the desk: a desk keeps a handful (the page lists up to 100).
FUNDS = 12
OPEN_STATES = [
    CaseState.RECEIVED,
    CaseState.SCREENING,
    CaseState.ACCEPTED,
    CaseState.ACTIVE,
    CaseState.ACTIVE,
    CaseState.EMERGENCY,
    CaseState.MONITORING,
    CaseState.MONITORING,
]
SUMMARIES = [
    "Threats by phone after the land restitution hearing.",
    "A car followed the community radio journalist home twice this week.",
    "Smear campaign and online threats after the march.",
    "Pamphlet naming the indigenous guard found at the school.",
    "Dismissed after the strike; men ask neighbours about the family.",
]


@dataclass(frozen=True)
class DeskBench:
    case: Case  # a case the detail page opens
    referral: Referral  # its referral to the State mechanism, with a risk study
    counts: dict[str, int]


class _Sealer:
    """`crypto.encrypt` for many rows of one organisation, with one key lookup."""

    def __init__(self, organisation_id: uuid.UUID) -> None:
        self.organisation_id = organisation_id
        self.current = keyring.current_key(organisation_id)

    def __call__(self, label: str, row_id: uuid.UUID, text: str) -> Ciphertext:
        aad = aead.field_aad(
            label=label,
            row_id=row_id,
            organisation_id=self.organisation_id,
            version=self.current.version,
        )
        blob = aead.seal(self.current.key, text.encode("utf-8"), aad)
        return Ciphertext(aead.format_token(self.current.version, blob))


def seed(*, home: Organisation, officer: User, cases: int = DEFAULT_CASES, seed: int) -> DeskBench:
    """`cases` cases of the home office, over its defenders (60 in the bench world)."""
    rng = random.Random(f"{seed}-desk")

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    defenders = list(
        Defender.objects.filter(organisation=home)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    if not defenders:
        raise ValueError("bench/desk.py: the home office keeps no defenders yet")
    seal = _Sealer(home.pk)
    today = timezone.localdate()
    counts = {"desk cases": 0, "desk accompaniment": 0, "desk assignments": 0}
    first: Case | None = None
    with transaction.atomic():
        for start in range(0, cases, BATCH):
            rows, events, work, assigned = [], [], [], []
            for index in range(start, min(start + BATCH, cases)):
                pk = new_id()
                closed = index % 5 == 4
                state = CaseState.CLOSED if closed else rng.choice(OPEN_STATES)
                case = Case(
                    id=pk,
                    organisation=home,
                    defender_id=defenders[index % len(defenders)],
                    state=state,
                    priority=rng.choice(Priority.values),
                    urgency=rng.choice(Urgency.values),
                    consent_scopes=["store", "share_team"],
                    opened_on=today - timedelta(days=rng.randrange(1, 1500)),
                    closure_reason=rng.choice(ClosureReason.values) if closed else "",
                    closed_on=today - timedelta(days=rng.randrange(1, 30)) if closed else None,
                    summary=seal("desk.Case.summary", pk, rng.choice(SUMMARIES)),
                    closure_note=seal("desk.Case.closure_note", pk, ""),
                )
                rows.append(case)
                events.append(
                    CaseEvent(
                        id=new_id(),
                        organisation=home,
                        case=case,
                        kind=EventKind.OPENED,
                        after=CaseState.RECEIVED,
                    )
                )
                if index % 10 == 0:
                    assigned.append(CaseOfficer(case=case, user=officer))
                    item = new_id()
                    work.append(
                        Accompaniment(
                            id=item,
                            organisation=home,
                            case=case,
                            kind=rng.choice(AccompanimentKind.values),
                            held_on=today - timedelta(days=40),
                            follow_up_due=today - timedelta(days=rng.randrange(1, 30)),
                            notes=seal(
                                "desk.Accompaniment.notes", item, "Agreed on weekly check-ins."
                            ),
                        )
                    )
            Case.objects.bulk_create(rows)
            CaseEvent.objects.bulk_create(events)
            Accompaniment.objects.bulk_create(work)
            CaseOfficer.objects.bulk_create(assigned)
            first = first or rows[0]
            counts["desk cases"] += len(rows)
            counts["desk accompaniment"] += len(work)
            counts["desk assignments"] += len(assigned)
        assert first is not None  # noqa: S101 -- cases >= 1
        GrantFund.objects.bulk_create(_funds(home, seal, new_id, rng))
        referral = _studied_referral(first, seal, new_id(), today)
        counts["desk grant funds"] = FUNDS
    return DeskBench(case=first, referral=referral, counts=counts)


def _funds(
    home: Organisation, seal: _Sealer, new_id: Callable[[], uuid.UUID], rng: random.Random
) -> list[GrantFund]:
    """`FUNDS` funds with their rules; one in four retired."""
    funds = []
    for index in range(FUNDS):
        pk = new_id()
        funds.append(
            GrantFund(
                id=pk,
                organisation=home,
                name=seal("desk.GrantFund.name", pk, f"Emergency fund {index + 1} (bench)"),
                categories=rng.sample(GrantCategory.values, 3),
                max_amount=rng.choice([None, 2500, 5000, 7500]),
                max_grants_per_year=rng.choice([None, 1, 2]),
                requires_current_analysis=index % 2 == 0,
                is_active=index % 4 != 3,
            )
        )
    return funds


def _studied_referral(case: Case, seal: _Sealer, pk: uuid.UUID, today: date) -> Referral:
    """A referral of `case` sent to the State mechanism, whose risk study is recorded."""
    return Referral.objects.create(
        id=pk,
        organisation_id=case.organisation_id,
        case=case,
        kind=ReferralKind.MECHANISM,
        status=ReferralStatus.SENT,
        requested_on=today - timedelta(days=75),
        risk_study_on=today - timedelta(days=40),
        mechanism_level=MechanismRiskLevel.ORDINARY,
        mechanism_studied_on=today - timedelta(days=40),
        target=seal("desk.Referral.target", pk, "National Protection Unit"),
        details=seal("desk.Referral.details", pk, ""),
        mechanism_measures=seal("desk.Referral.mechanism_measures", pk, "A mobile phone."),
    )


def pages(world: World) -> list[Page]:
    """The desk dashboard and the case list (newest first, and "assigned to me") at the home
    office's full scale, the emergency grant funds, the mechanism's risk study of a referral,
    and the API's case list, as the desk officer."""
    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    desk = "desk_officer"
    studied = (
        Referral.objects.filter(organisation=world.home, kind=ReferralKind.MECHANISM)
        .exclude(mechanism_level="")
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    html = [
        ("desk-dashboard", reverse("desk:dashboard")),
        ("desk-case-list", reverse("desk:case-list")),
        ("desk-case-list-mine", reverse("desk:case-list") + "?mine=1"),
        ("desk-fund-list", reverse("desk:fund-list")),
    ]
    if studied is not None:
        html.append(("desk-referral-study", reverse("desk:referral-study", args=[studied])))
    return [Page(name, path, desk) for name, path in html] + [
        Page("api-desk-case-list", reverse(f"{API}:desk-case-list"), desk, api=True),
    ]
