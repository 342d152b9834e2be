"""Demo data of the Protection Desk, for development only: a living desk at the Colombia
country office. Cases in every state, accompaniment with overdue follow-ups, referrals in
progress (an emergency grant naming one of the desk's two funds, the State protection mechanism
with its delays and its risk studies, a lawyer), and two requests for support waiting in the
inbox. When the defenders' and
risk demos ran first, the Río Claro community has a case too, whose mechanism rated the risk
lower than our analysis (DESK-3).

Idempotent and deterministic: every record has a fixed id, so a second run adds nothing. All
names and events are fictional.
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
from amparo.desk import services
from amparo.desk.enums import CaseState
from amparo.desk.models import Case, GrantFund, Referral, RequestDesk, SupportRequest

_NS = uuid.UUID("0b6f3e54-5d0e-4a4f-9a57-2f3c1d7e8a90")

#: Path of states from `received` to each final state.
PATHS: dict[str, list[str]] = {
    CaseState.RECEIVED: [],
    CaseState.SCREENING: ["screening"],
    CaseState.ACCEPTED: ["screening", "accepted"],
    CaseState.ACTIVE: ["screening", "accepted", "active"],
    CaseState.EMERGENCY: ["screening", "accepted", "active", "emergency"],
    CaseState.MONITORING: ["screening", "accepted", "active", "monitoring"],
    CaseState.CLOSED: ["screening", "accepted", "active", "closed"],
    CaseState.DECLINED: ["screening", "declined"],
    CaseState.REFERRED_OUT: ["screening", "referred_out"],
}

# key, pseudonym, categories, state, priority, urgency, summary
CASES: list[tuple[str, str, list[str], str, str, str, str]] = [
    (
        "marta",
        "Marta G. (fictional)",
        ["land"],
        "active",
        "high",
        "days",
        "Threats by phone after the land restitution hearing; family of four.",
    ),
    (
        "jaime",
        "Jaime R. (fictional)",
        ["journalist"],
        "emergency",
        "critical",
        "hours",
        "Community radio journalist; a car followed him home twice this week.",
    ),
    (
        "consejo",
        "Consejo Comunitario La Ceiba (fictional)",
        ["environmental", "land"],
        "monitoring",
        "medium",
        "weeks",
        "Collective case after the river mining protests; measures in place.",
    ),
    (
        "rosa",
        "Rosa P. (fictional)",
        ["whrd", "lgbtiq"],
        "active",
        "high",
        "days",
        "Trans women's rights activist; smear campaign and online threats.",
    ),
    (
        "andres",
        "Andrés M. (fictional)",
        ["trade_union"],
        "screening",
        "medium",
        "weeks",
        "Union leader at a palm oil plant; dismissed after a strike.",
    ),
    (
        "lucia",
        "Lucía V. (fictional)",
        ["disappeared"],
        "received",
        "medium",
        "routine",
        "Searcher for her disappeared son; asks for digital security training.",
    ),
    (
        "pedro",
        "Pedro L. (fictional)",
        ["indigenous"],
        "accepted",
        "high",
        "days",
        "Indigenous guard coordinator; threats pamphlet found at the school.",
    ),
    (
        "elena",
        "Elena S. (fictional)",
        ["lawyer"],
        "closed",
        "low",
        "routine",
        "Lawyer of the Río Claro families; threats stopped after the ruling.",
    ),
    (
        "tomasa",
        "Tomasa H. (fictional)",
        ["housing"],
        "declined",
        "low",
        "routine",
        "Housing rights request outside the desk's region.",
    ),
    (
        "nicolas",
        "Nicolás F. (fictional)",
        ["student"],
        "referred_out",
        "medium",
        "weeks",
        "Student leader in exile; referred to the desk in the host country.",
    ),
]

REQUESTS = [
    (
        "request-1",
        "Sofía (fictional)",
        "signal",
        "Men on motorbikes asked for me at the "
        "cooperative twice. I lead the coffee growers' association.",
        "Cauca",
    ),
    (
        "request-2",
        "",
        "",
        "Our community radio received a threat pamphlet. We do not know who to ask for help.",
        "",
    ),
]


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo desk if missing. Returns how many cases and requests were added."""
    refuse_without_debug()
    created = {"desk cases": 0, "support requests": 0, "grant funds": 0}
    office = organisation_by_slug["office-co"]
    dora = people_by_email.get(f"dora@{DEMO_DOMAIN}")
    lena = people_by_email.get(f"lena@{DEMO_DOMAIN}")
    RequestDesk.objects.get_or_create(organisation=office)
    today = timezone.localdate()
    created["grant funds"] = _funds(office, lena)
    for row in CASES:
        key, pseudonym, categories = row[:3]
        if Case.objects.filter(pk=_id(f"case.{key}")).exists():
            continue
        defender = _defender(office, key, pseudonym, categories)
        _case(defender, row, (dora, lena), today)
        created["desk cases"] += 1
    created["desk cases"] += _rio_claro(office, (dora, lena), today)
    for key, name, contact_kind, text, place in REQUESTS:
        if SupportRequest.objects.filter(pk=_id(key)).exists():
            continue
        services.submit_request(
            organisation=office,
            request=text,
            name=name,
            contact_kind=contact_kind,
            contact="+57 300 000 0000 (fictional)" if contact_kind else "",
            place=place,
            request_id=_id(key),
        )
        created["support requests"] += 1
    return created


# key, name, categories, maximum (EUR), grants per defender in twelve months, needs a current
# risk analysis. Both need consent to share with partner organisations.
FUNDS: list[tuple[str, str, list[str], int, int, bool]] = [
    (
        "protection",
        "Protection grants fund (fictional)",
        ["physical", "digital", "communications", "legal", "medical", "humanitarian"],
        7500,
        1,
        True,
    ),
    (
        "relocation",
        "Relocation fund (fictional)",
        ["relocation", "transport", "humanitarian"],
        10000,
        2,
        False,
    ),
]


def _funds(office: Organisation, lead: User | None) -> int:
    """The two emergency grant funds the desk refers to, with their rules (DESK-2)."""
    added = 0
    for key, name, categories, maximum, per_year, analysis in FUNDS:
        if GrantFund.objects.filter(pk=_id(f"fund.{key}")).exists():
            continue
        services.create_fund(
            organisation=office,
            actor=lead,
            fund_id=_id(f"fund.{key}"),
            name=name,
            categories=categories,
            max_amount=maximum,
            currency="EUR",
            max_grants_per_year=per_year,
            requires_current_analysis=analysis,
            requires_partner_consent=True,
        )
        added += 1
    return added


def _defender(office: Organisation, key: str, pseudonym: str, categories: list[str]) -> Defender:
    existing = Defender.objects.filter(pk=_id(f"defender.{key}")).first()
    if existing is not None:
        return existing
    collective = key == "consejo"
    return defender_services.create_defender(
        organisation=office,
        actor=None,
        kind="collective" if collective else "individual",
        pseudonym=pseudonym,
        categories=categories,
        collective_type="community" if collective else "",
        country="CO",
        region="Cauca",
        id=_id(f"defender.{key}"),
    )


def _case(
    defender: Defender,
    row: tuple[str, str, list[str], str, str, str, str],
    people: tuple[User | None, User | None],
    today: date,
) -> None:
    key, _pseudonym, _categories, state, priority, urgency, summary = row
    dora, lena = people
    case = services.open_case(
        actor=dora,
        defender=defender,
        summary=summary,
        priority=priority,
        urgency=urgency,
        consent_scopes=["store", "share_team"] + (["share_mechanism"] if key == "jaime" else []),
        case_id=_id(f"case.{key}"),
    )
    # Opened some weeks ago, so reports and the dashboard have a history to show.
    Case.objects.filter(pk=case.pk).update(opened_on=today - timedelta(days=7 * len(key)))
    officers = [u for u in (dora,) if u is not None]
    if officers:
        services.assign(case=case, actor=lena, expected_version=case.version, officers=officers)
    for to in PATHS[state]:
        ending: dict[str, Any] = {}
        if to == "closed":
            ending = {"closure_reason": "risk_acceptable", "closure_note": "Threats stopped."}
        elif to == "declined":
            ending = {"closure_reason": "out_of_mandate"}
        elif to == "referred_out":
            ending = {"closure_reason": "transferred"}
        services.change_state(case=case, actor=dora, expected_version=case.version, to=to, **ending)
    if state in {"active", "emergency", "monitoring", "accepted"}:
        _work(case, key, dora, today)


def _work(case: Case, key: str, actor: User | None, today: date) -> None:
    """Accompaniment (one follow-up overdue on the active cases) and referrals in progress."""
    services.add_accompaniment(
        case=case,
        actor=actor,
        kind="meeting",
        held_on=today - timedelta(days=30),
        notes="First meeting at a safe place; agreed on a check-in by phone every week.",
        follow_up_due=today - timedelta(days=9),
    )
    services.add_accompaniment(
        case=case,
        actor=actor,
        kind="training" if key != "rosa" else "psychosocial",
        held_on=today - timedelta(days=6),
        notes="Digital security session: phone locks, Signal, disappearing messages.",
        follow_up_due=today + timedelta(days=20),
    )
    if key == "marta":
        # Not sent yet: the relocation fund needs consent to share with partner organisations,
        # which Marta's case does not record, so sending it is refused until it does (DESK-2).
        services.add_referral(
            case=case,
            actor=actor,
            kind="grant",
            grant_category="relocation",
            status="consented",
            fund=GrantFund.objects.get(pk=_id("fund.relocation")),
            amount_requested="4800",
            target="Relocation fund (fictional)",
            details="Temporary relocation of the family for three months.",
        )
    if key == "jaime":
        referral = services.add_referral(
            case=case,
            actor=actor,
            kind="mechanism",
            status="consented",
            requested_on=today - timedelta(days=75),
            measures_granted_on=today - timedelta(days=12),
            target="National Protection Unit (fictional office)",
            details="Request for a protection scheme.",
        )
        _studied(
            referral,
            actor,
            level="extraordinary",
            on=today - timedelta(days=40),
            measures="A mobile phone and a bulletproof vest (fictional).",
        )
    if key == "consejo":
        referral = services.add_referral(
            case=case,
            actor=actor,
            kind="lawyer",
            status="consented",
            requested_on=today - timedelta(days=50),
            target="Legal clinic (fictional)",
        )
        services.update_referral(
            referral=referral,
            actor=actor,
            expected_version=referral.version,
            changes={"status": "delivered", "outcome": "granted"},
        )


def _studied(
    referral: Referral, actor: User | None, *, level: str, on: date, measures: str
) -> Referral:
    """Send a consented mechanism referral, then record the mechanism's risk study (DESK-3)."""
    referral = services.update_referral(
        referral=referral,
        actor=actor,
        expected_version=referral.version,
        changes={"status": "sent"},
    )
    if actor is None:
        return referral
    return services.record_mechanism_study(
        referral=referral,
        actor=actor,
        expected_version=referral.version,
        level=level,
        studied_on=on,
        measures=measures,
    )


def _rio_claro(office: Organisation, people: tuple[User | None, User | None], today: date) -> int:
    """The Río Claro community's case, when the defenders' demo keeps its record: the State
    mechanism found an ordinary risk where our analysis (the risk demo's) says high, so the
    case page and the dashboard suggest an appeal (DESK-3)."""
    dora, lena = people
    defender = Defender.objects.filter(
        organisation=office, collective_organisation__slug="collective-rio-claro"
    ).first()
    if defender is None or Case.objects.filter(pk=_id("case.rio-claro")).exists():
        return 0
    case = services.open_case(
        actor=dora,
        defender=defender,
        summary="Collective protection route after the visits by armed men (fictional).",
        priority="high",
        urgency="days",
        consent_scopes=["store", "share_team", "share_mechanism"],
        case_id=_id("case.rio-claro"),
    )
    if dora is not None:
        services.assign(case=case, actor=lena, expected_version=case.version, officers=[dora])
    for to in PATHS[CaseState.ACTIVE]:
        services.change_state(case=case, actor=dora, expected_version=case.version, to=to)
    referral = services.add_referral(
        case=case,
        actor=dora,
        kind="mechanism",
        status="consented",
        requested_on=today - timedelta(days=60),
        target="National Protection Unit, collective route (fictional office)",
    )
    _studied(
        referral,
        dora,
        level="ordinary",
        on=today - timedelta(days=5),
        measures="None: the study found an ordinary risk.",
    )
    return 1
