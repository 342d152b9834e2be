"""The one access path to criminalisation cases, hearings, missions and reports, for pages, API,
calendar feed and jobs; and the public, aggregated statistics.

Invisible records raise Http404 (nobody can probe for a case they may not know exists);
visible records the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.core.paging import Page, page_from
from amparo.core.pickers import Known, Picker, pick
from amparo.defenders.models import Defender
from amparo.incidents.models import Incident
from amparo.incidents.queries import LIST_ORDER as INCIDENT_ORDER
from amparo.incidents.queries import incidents_visible_to
from amparo.trials import detention, rules
from amparo.trials.enums import Detention, HearingResult, ReportStatus
from amparo.trials.models import (
    CalendarFeed,
    Charge,
    CriminalisationCase,
    DetentionPeriod,
    Hearing,
    LegalProvision,
    Mission,
    Report,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Person = User | AnonymousUser

#: Newest first; the index `trials_case_list` serves it per organisation.
LIST_ORDER = ("-created_at", "-id")


def _postponements() -> Coalesce:
    counted = (
        Hearing.objects.filter(case_id=OuterRef("pk"), result=HearingResult.POSTPONED)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _next_hearing() -> Subquery:
    upcoming = Hearing.objects.filter(
        case_id=OuterRef("pk"),
        result=HearingResult.SCHEDULED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at")
    return Subquery(upcoming.values("starts_at")[:1])


def cases_visible_to(user: Person) -> QuerySet[CriminalisationCase]:
    """Every read of cases goes through here."""
    return CriminalisationCase.objects.filter(rules.visible_q(user)).order_by(*LIST_ORDER)


def case_page(
    cases: QuerySet[CriminalisationCase], *, after: UUID | None, size: int
) -> Page[CriminalisationCase]:
    """`size` cases after the case `after`, with their defenders, in two queries at any depth."""
    if after is not None:
        at = Subquery(CriminalisationCase.objects.filter(pk=after).values("created_at")[:1])
        cases = cases.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=after))
    rows = cases.annotate(postponements=_postponements(), next_hearing=_next_hearing())
    fetched = rows.prefetch_related(
        Prefetch("defenders", queryset=Defender.objects.order_by("created_at"))
    )[: size + 1]
    return page_from(fetched, size=size, is_first=after is None)


def get_case_for_user(
    user: Person, case_id: UUID, *, for_write: bool = False
) -> CriminalisationCase:
    case = get_object_or_404(
        cases_visible_to(user).annotate(postponements=_postponements()), pk=case_id
    )
    if for_write and not rules.can_edit(user, case):
        raise PermissionDenied
    return case


def defenders_of(case: CriminalisationCase) -> list[Defender]:
    return list(case.defenders.order_by("created_at"))


def charges_of(case: CriminalisationCase) -> list[Charge]:
    return list(Charge.objects.filter(case=case).select_related("provision"))


def incidents_of(user: Person, case: CriminalisationCase) -> list[Incident]:
    """The linked incidents the person may read through the incidents module."""
    return list(incidents_visible_to(user).filter(criminalisation_cases=case).order_by("-pk")[:50])


def hearings_of(case: CriminalisationCase) -> list[Hearing]:
    return list(
        Hearing.objects.filter(case=case)
        .select_related("mission", "mission__report")
        .order_by("starts_at", "id")
    )


def detention_periods_of(
    case: CriminalisationCase, defenders: list[Defender]
) -> list[DetentionPeriod]:
    """The case's periods in order, each with its defender taken from `defenders` (the case's,
    already loaded): one query whatever the number of periods."""
    by_id = {defender.pk: defender for defender in defenders}
    periods = list(
        DetentionPeriod.objects.filter(case=case).order_by("starts_on", "created_at", "id")
    )
    for period in periods:
        if period.defender_id in by_id:
            period.defender = by_id[period.defender_id]
    return periods


def get_detention_period_for_user(
    user: Person, period_id: UUID, *, for_write: bool = False
) -> DetentionPeriod:
    period = get_object_or_404(
        DetentionPeriod.objects.filter(rules.visible_q(user)).select_related("case"),
        pk=period_id,
    )
    if for_write and not rules.can_edit(user, period):
        raise PermissionDenied
    return period


def get_hearing_for_user(user: Person, hearing_id: UUID, *, for_write: bool = False) -> Hearing:
    hearing = get_object_or_404(
        Hearing.objects.filter(rules.visible_q(user)).select_related("case"), pk=hearing_id
    )
    if for_write and not rules.can_edit(user, hearing):
        raise PermissionDenied
    return hearing


def organisations_to_open_in(user: Person) -> list[Organisation]:
    """The organisations where the person opens cases (`trials.edit`), by name."""
    ids = rules.organisations(user, Perm.TRIALS_EDIT)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


# --- pickers over large tables (PERFORMANCE.md 6, amparo/core/pickers.py) ---


def defender_candidates(user: Person, *, organisation_id: Any) -> QuerySet[Defender]:
    """Defenders a case of the organisation may name: those it keeps, when the person holds
    `trials.edit` there. Newest first, the order of the defenders' list index."""
    if organisation_id not in rules.organisations(user, Perm.TRIALS_EDIT):
        return Defender.objects.none()
    return Defender.objects.filter(organisation_id=organisation_id).order_by("-created_at", "-id")


def _known_defenders(rows: QuerySet[Defender]) -> list[Known]:
    return [
        Known(d.pk, d.pseudonym, d.code, d.organisation_id, d.kind)
        for d in rows.only("id", "organisation_id", "kind", "pseudonym")
    ]


def defender_picker(
    user: Person, *, organisation_id: Any, search: str = "", keep: Iterable[UUID] = ()
) -> Picker:
    """PICKER_LIMIT defenders (the newest, or those whose pseudonym or code matches `search`)
    and the chosen ones (`keep`) the person may still choose; one query."""
    candidates = defender_candidates(user, organisation_id=organisation_id)
    return pick(candidates, _known_defenders, search=search, keep=keep)


def incident_candidates(user: Person, *, organisation_id: Any) -> QuerySet[Incident]:
    """The organisation's incidents the person reads, in the incident list's order."""
    return incidents_visible_to(user).filter(organisation_id=organisation_id)


def _known_incidents(rows: QuerySet[Incident]) -> list[Known]:
    return [
        Known(i.pk, i.title, i.code, i.organisation_id, i.status)
        for i in rows.only("id", "organisation_id", "status", "title")
    ]


def incident_picker(
    user: Person, *, organisation_id: Any, search: str = "", keep: Iterable[UUID] = ()
) -> Picker:
    """PICKER_LIMIT incidents (the most recently dated, or those whose short description or
    code matches `search`) and the chosen ones; one query, read from the incident list's
    index."""
    candidates = incident_candidates(user, organisation_id=organisation_id)
    return pick(candidates, _known_incidents, search=search, keep=keep, order=INCIDENT_ORDER)


def hidden_incidents(user: Person, case: CriminalisationCase) -> list[Incident]:
    """The case's linked incidents the person cannot read (their ids and organisation only):
    the case form cannot offer them, and saving it must not unlink them."""
    visible = incidents_visible_to(user).values("pk")
    return list(case.incidents.exclude(pk__in=visible).only("id", "organisation_id"))


def provisions_for(country: str) -> QuerySet[LegalProvision]:
    return LegalProvision.objects.filter(country=country.upper()).order_by("article")


# --- observation ---


def get_mission_for_user(user: Person, mission_id: UUID) -> Mission:
    return get_object_or_404(
        Mission.objects.filter(rules.visible_q(user)).select_related("hearing", "hearing__case"),
        pk=mission_id,
    )


def observers_of(mission: Mission) -> list[Any]:
    return list(mission.observers.order_by("display_name", "email"))


def assessments_of(mission: Mission) -> dict[str, Any]:
    return {row.criterion: row for row in mission.assessments.all()}


def get_report_for_user(user: Person, report_id: UUID) -> Report:
    return get_object_or_404(
        Report.objects.filter(rules.visible_q(user)).select_related(
            "mission", "mission__hearing", "mission__hearing__case", "approved_by"
        ),
        pk=report_id,
    )


def get_published_report(report_id: UUID) -> Report:
    """A report anybody may read: published, in its public version only."""
    return get_object_or_404(
        Report.objects.filter(status=ReportStatus.PUBLISHED).select_related(
            "mission", "mission__hearing", "mission__hearing__case"
        ),
        pk=report_id,
    )


def published_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("mission__hearing__case")
        .order_by("-published_at", "-id")
    )


# --- the calendar ---


def hearings_between(user: Person, start: datetime, end: datetime) -> QuerySet[Hearing]:
    """Hearings of the person's organisations in [start, end), with their case."""
    return (
        Hearing.objects.filter(rules.visible_q(user), starts_at__gte=start, starts_at__lt=end)
        .select_related("case")
        .order_by("starts_at", "id")
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of `token`, with its person (None when unknown or revoked)."""
    return (
        CalendarFeed.objects.filter(
            token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )


def live_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


# --- public statistics (aggregated, anonymised) ---

#: Counts below this are shown as "fewer than 5" (statistical disclosure control).
SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    count: int

    @property
    def suppressed(self) -> bool:
        return self.count < SUPPRESS_BELOW

    @property
    def shown(self) -> int | None:
        """The count as published: None when suppressed."""
        return None if self.suppressed else self.count


@dataclass(frozen=True)
class Statistics:
    total: int
    by_country: list[Figure]
    by_charge: list[Figure]
    by_initiator: list[Figure]
    by_pattern: list[Figure]
    by_outcome: list[Figure]
    by_duration: list[Figure]
    by_year: list[Figure]
    # Detention (ADR 0056): cases again, never people or periods; empty when not asked for.
    by_detention_kind: list[Figure] = field(default_factory=list)
    pre_trial_by_country: list[Figure] = field(default_factory=list)
    pre_trial_by_year: list[Figure] = field(default_factory=list)
    by_detention_time: list[Figure] = field(default_factory=list)

    def case_groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            ("country", self.by_country),
            ("charge", self.by_charge),
            ("initiator", self.by_initiator),
            ("pattern", self.by_pattern),
            ("outcome", self.by_outcome),
            ("duration", self.by_duration),
            ("year", self.by_year),
        ]

    def detention_groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            ("detention_kind", self.by_detention_kind),
            ("pre_trial_country", self.pre_trial_by_country),
            ("pre_trial_year", self.pre_trial_by_year),
            ("detention_time", self.by_detention_time),
        ]

    def groups(self) -> list[tuple[str, list[Figure]]]:
        """Every dimension, in the order of the page, the CSV and the API."""
        return self.case_groups() + self.detention_groups()


DURATION_BANDS: tuple[tuple[str, int | None], ...] = (
    ("under_1y", 365),
    ("1_3y", 3 * 365),
    ("over_3y", None),
)


def _figures(counter: Counter[str], labels: dict[str, Any]) -> list[Figure]:
    rows = [Figure(code, labels.get(code, code), n) for code, n in counter.items() if code]
    return sorted(rows, key=lambda f: (-f.count, str(f.code)))


def statistics(
    *, country: str = "", today: date | None = None, with_detention: bool = True
) -> Statistics:
    """Counts over every organisation's cases, from Tier-2 codes only: two queries, and a
    third for the detention figures unless `with_detention` is False."""
    from amparo.trials.enums import (  # noqa: PLC0415 -- labels only here
        ChargeKind,
        Initiator,
        Outcome,
        Pattern,
    )
    from amparo.trials.labels import DURATION_LABELS, country_label  # noqa: PLC0415

    today = today or timezone.localdate()
    cases = CriminalisationCase.objects.all()
    if country:
        cases = cases.filter(country=country.upper())
    rows = list(
        cases.order_by().values_list(
            "id", "country", "initiator", "patterns", "outcome", "opened_on", "outcome_on"
        )
    )
    kinds = (
        Charge.objects.filter(case__in=cases)
        .order_by()
        .values_list("case_id", "provision__kind")
        .distinct()
    )
    by_charge: Counter[str] = Counter(kind for _case, kind in kinds)
    by_country: Counter[str] = Counter()
    by_initiator: Counter[str] = Counter()
    by_pattern: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    by_duration: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    for _pk, code, initiator, patterns, outcome, opened_on, outcome_on in rows:
        by_country[code] += 1
        by_initiator[initiator] += 1
        by_pattern.update(set(patterns or []))
        by_outcome[outcome or "pending"] += 1
        by_year[str(opened_on.year)] += 1
        days = ((outcome_on or today) - opened_on).days
        for band, limit in DURATION_BANDS:
            if limit is None or days < limit:
                by_duration[band] += 1
                break
    outcomes = {**dict(Outcome.choices), "pending": DURATION_LABELS["pending"]}
    return Statistics(
        total=len(rows),
        by_country=_figures(by_country, {c: country_label(c) for c in by_country}),
        by_charge=_figures(by_charge, dict(ChargeKind.choices)),
        by_initiator=_figures(by_initiator, dict(Initiator.choices)),
        by_pattern=_figures(by_pattern, dict(Pattern.choices)),
        by_outcome=_figures(by_outcome, outcomes),
        by_duration=[
            Figure(band, DURATION_LABELS[band], by_duration[band]) for band, _l in DURATION_BANDS
        ],
        by_year=sorted(
            (Figure(year, year, n) for year, n in by_year.items()), key=lambda f: f.code
        ),
        **(_detention_figures(country=country, today=today) if with_detention else {}),
    )


@dataclass
class _Span:
    """A detention period as the statistics read it: its kind and days, nothing else."""

    kind: str
    starts_on: date
    ends_on: date | None


def _detention_figures(*, country: str, today: date) -> dict[str, list[Figure]]:
    """Cases by kind of detention (a case once per kind it had), cases with pre-trial
    detention by country and by the year it first began, and cases by their time in detention
    (each day counted once, as on the case page; "still detained" while a period runs). One
    query of Tier-2 codes and dates: nothing identifying is read, and no period, person or
    place is counted apart from its case (ADR 0056)."""
    from amparo.trials.enums import DETAINED_KINDS  # noqa: PLC0415 -- labels only here
    from amparo.trials.labels import DETENTION_LABELS, country_label  # noqa: PLC0415

    periods = DetentionPeriod.objects.order_by()
    if country:
        periods = periods.filter(case__country=country.upper())
    spans: dict[UUID, list[_Span]] = {}
    countries: dict[UUID, str] = {}
    for case_id, code, kind, starts_on, ends_on in periods.values_list(
        "case_id", "case__country", "kind", "starts_on", "ends_on"
    ):
        spans.setdefault(case_id, []).append(_Span(kind, starts_on, ends_on))
        countries[case_id] = code
    by_kind: Counter[str] = Counter()
    pre_trial_country: Counter[str] = Counter()
    pre_trial_year: Counter[str] = Counter()
    by_time: Counter[str] = Counter()
    for case_id, held in spans.items():
        by_kind.update({span.kind for span in held})
        pre_trial = [span.starts_on for span in held if span.kind == Detention.PRE_TRIAL]
        if pre_trial:
            pre_trial_country[countries[case_id]] += 1
            pre_trial_year[str(min(pre_trial).year)] += 1
        by_time[detention.band_of(held, today)] += 1
    kind_labels = {kind.value: kind.label for kind in DETAINED_KINDS}
    return {
        "by_detention_kind": [
            Figure(kind, kind_labels[kind], by_kind[kind]) for kind in kind_labels if by_kind[kind]
        ],
        "pre_trial_by_country": _figures(
            pre_trial_country, {c: country_label(c) for c in pre_trial_country}
        ),
        "pre_trial_by_year": sorted(
            (Figure(year, year, n) for year, n in pre_trial_year.items()), key=lambda f: f.code
        ),
        "by_detention_time": (
            [Figure(band, DETENTION_LABELS[band], by_time[band]) for band in detention.BAND_CODES]
            if by_time
            else []
        ),
    }


def country_figures(country_code: str) -> Statistics:
    """One country's criminalisation figures, for the observatory's country profile (its
    charges and outcomes; detention is not shown there, so not counted)."""
    return statistics(country=country_code, with_detention=False)


def figures_version(country_code: str, today: date | None = None) -> str:
    """What the country's figures depend on, for the observatory page's ETag (one query):
    its cases, their latest change and their charges; and the day, since open cases' durations
    grow by themselves."""
    today = today or timezone.localdate()
    found = CriminalisationCase.objects.filter(country=country_code.upper()).aggregate(
        cases=Count("id", distinct=True),
        changed=Max("updated_at"),
        charges=Count("charges", distinct=True),
    )
    changed = found["changed"].isoformat() if found["changed"] else ""
    return f"{found['cases']}:{found['charges']}:{changed}:{today.isoformat()}"


def public_version(today: date | None = None) -> str:
    """What the public statistics page and its CSV depend on, for their ETag (two queries,
    against the statistics' three plus the published reports): every case's latest change
    (recording, correcting, ending or removing a detention period moves its case's
    `updated_at`: services._refresh_detention), the charges, the published reports, and the day
    (open cases' durations grow by themselves). A legal provision's kind changed in the admin
    shows from the next day."""
    today = today or timezone.localdate()
    cases = CriminalisationCase.objects.aggregate(
        cases=Count("id", distinct=True),
        changed=Max("updated_at"),
        # Not named "charges": an aggregate's name would hide the relation of the next one.
        charge_count=Count("charges", distinct=True),
        charged=Max("charges__created_at"),
    )
    reports = Report.objects.filter(status=ReportStatus.PUBLISHED).aggregate(
        reports=Count("id"), changed=Max("updated_at")
    )
    parts = [
        cases["cases"],
        cases["changed"],
        cases["charge_count"],
        cases["charged"],
        reports["reports"],
        reports["changed"],
        today,
    ]
    return ":".join(part.isoformat() if hasattr(part, "isoformat") else str(part) for part in parts)


def upcoming_for_reminder(now: datetime, days: int) -> QuerySet[Hearing]:
    return Hearing.objects.filter(
        reminded_at__isnull=True,
        result=HearingResult.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=days),
    )


def possible_observers(organisation_id: Any) -> QuerySet[User]:
    """People with an active role that observes trials in the organisation."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.TRIALS_OBSERVE in perms]
    members = Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=[Role(r) for r in roles]
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("display_name", "email")
