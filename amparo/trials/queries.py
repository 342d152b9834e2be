"""The one access path to criminalisation cases, hearings, missions and reports, for pages, API,
calendar feed and jobs; and the public, aggregated statistics.

Invisible records raise Http404 (nobody can probe for a case they may not know exists);
visible records the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import reduce
from operator import itemgetter, or_
from string import hexdigits
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.core.paging import Page, page_from
from amparo.core.pickers import (
    CODE_SEARCH_MIN,
    PICKER_LIMIT,
    SEARCH_WINDOW,
    Known,
    Picker,
    matches,
    normalise_name,
)
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders.models import Defender
from amparo.incidents.models import Incident
from amparo.incidents.queries import LIST_ORDER as INCIDENT_ORDER
from amparo.incidents.queries import (
    incident_reach,
    incidents_visible_to,
    visible_incidents_q_for,
)
from amparo.trials import rules
from amparo.trials import statistics as published_figures
from amparo.trials.enums import HearingResult, ReportStatus
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
from amparo.trials.statistics import Statistics

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


def _next_hearing(now: datetime) -> Subquery:
    upcoming = Hearing.objects.filter(
        case_id=OuterRef("pk"),
        result=HearingResult.SCHEDULED,
        starts_at__gte=now,
    ).order_by("starts_at")
    return Subquery(upcoming.values("starts_at")[:1])


def cases_visible_to(user: Person) -> QuerySet[CriminalisationCase]:
    """Every read of cases goes through here, or through `_cases_in` (the same filter from the
    organisations' ids, for prepared queries)."""
    return _cases_in(rules.organisations(user))


def _cases_in(organisation_ids: Collection[Any]) -> QuerySet[CriminalisationCase]:
    """The cases of the organisations where a person holds `trials.view` (`rules.visible_q`)."""
    return CriminalisationCase.objects.filter(rules.visible_q_for(organisation_ids)).order_by(
        *LIST_ORDER
    )


#: What a row of the case list shows (trials/rows.py): none of the case's four Tier-1 columns.
LIST_FIELDS = ("id", "country", "stage", "detention")


class ListedCase(NamedTuple):
    """A row of the case list: LIST_FIELDS, how often the case was postponed, its next
    hearing (None without one) and its defenders (`listed_defenders_of`). No Tier-1 column
    of the case, so plain values rather than an instance."""

    id: UUID
    country: str
    stage: str
    detention: str
    postponements: int
    next_hearing: datetime | None
    defenders: list[Defender]

    @property
    def pk(self) -> UUID:
        return self.id

    @property
    def code(self) -> str:
        return CriminalisationCase.code_of(self.id)


#: Of each listed defender, the pseudonym and the organisation that binds its ciphertext: a
#: defender row carries eight Tier-1 columns the list would otherwise read and keep.
LIST_DEFENDER_FIELDS = ("id", "organisation_id", "pseudonym")


def case_page_rows(
    cases: QuerySet[CriminalisationCase], *, after: UUID | None, size: int, now: datetime
) -> QuerySet[CriminalisationCase]:
    """`size` + 1 of `cases` after the case `after`, with only the columns the list shows, how
    often each was postponed and its next hearing from `now`: the list's page as a queryset,
    which `case_page` runs prepared."""
    if after is not None:
        at = Subquery(CriminalisationCase.objects.filter(pk=after).values("created_at")[:1])
        cases = cases.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=after))
    rows = cases.only(*LIST_FIELDS).annotate(
        postponements=_postponements(), next_hearing=_next_hearing(now)
    )
    return rows[: size + 1]


#: The columns of a ListedCase the page's query reads, in its order.
_LISTED_COLUMNS = (*LIST_FIELDS, "postponements", "next_hearing")

#: The list's page per page size and first or later page (the LIMIT is part of the SQL, and a
#: later page adds the cursor), compiled once per connection and number of organisations.
_CASE_PAGES: dict[tuple[int, bool], PreparedRows] = {}


def _case_page_query(size: int, *, later: bool) -> PreparedRows:
    query = _CASE_PAGES.get((size, later))
    if query is None:
        cursor = (CriminalisationCase._meta.pk,) if later else ()
        query = _CASE_PAGES[size, later] = PreparedRows(
            CriminalisationCase,
            lambda organisation_ids, now, *after: case_page_rows(
                _cases_in(organisation_ids), after=after[0] if after else None, size=size, now=now
            ).values_list(*_LISTED_COLUMNS),
            fields=(
                CriminalisationCase._meta.get_field("organisation"),
                Hearing._meta.get_field("starts_at"),
                *cursor,
            ),
            samples=(
                ((), datetime(2001, 1, 1, tzinfo=UTC), UUID(int=1))[: 2 + later],
                ((), datetime(2002, 2, 2, tzinfo=UTC), UUID(int=2))[: 2 + later],
            ),
        )
    return query


def listed_defenders_of(case_ids: Collection[UUID]) -> QuerySet[Defender]:
    """The defenders of the cases `case_ids`, each as many times as it is named, with the case
    it is named in (`listed_in`) and only the columns the list shows, oldest first."""
    return (
        Defender.objects.filter(criminalisation_cases__in=case_ids)
        .annotate(listed_in=F("criminalisation_cases__id"))
        .only(*LIST_DEFENDER_FIELDS)
        .order_by("created_at", "id")
    )


#: `listed_defenders_of`, compiled once per connection and number of cases on the page.
_LISTED_DEFENDERS = Prepared(
    Defender,
    listed_defenders_of,
    fields=(CriminalisationCase.defenders.through._meta.get_field("criminalisationcase"),),
    samples=(((),), ((),)),
)


def case_page(user: Person, *, after: UUID | None, size: int) -> Page[ListedCase]:
    """`size` cases the person reads after the case `after`, with their defenders, in two
    prepared queries at any depth; only the columns the list shows. Building and compiling
    the page's subqueries and the defenders' prefetch (a related manager and a queryset per
    case) cost more than the rows (ADR 0050)."""
    organisation_ids = rules.organisations(user)
    now = timezone.now()
    query = _case_page_query(size, later=after is not None)
    fetched = query(organisation_ids, now) if after is None else query(organisation_ids, now, after)
    page = page_from(fetched, size=size, is_first=after is None, key=itemgetter(0))
    named: dict[UUID, list[Defender]] = {row[0]: [] for row in page.rows}
    if named:
        for defender in _LISTED_DEFENDERS(list(named)):
            named[defender.listed_in].append(defender)  # type: ignore[attr-defined]
    rows = [ListedCase._make((*row, named[row[0]])) for row in page.rows]
    return Page(rows=rows, next_after=page.next_after, is_first=page.is_first)


def _case_of(case_id: UUID, organisation_ids: Collection[Any]) -> QuerySet[CriminalisationCase]:
    """The case `case_id` if the person reads it, with how often it was postponed."""
    case = _cases_in(organisation_ids).filter(pk=case_id)
    return case.annotate(postponements=_postponements()).order_by()[:1]


#: `get_case_for_user`'s lookup, compiled once per connection and number of organisations:
#: every case page, form and API call on a case starts here (ADR 0050).
_CASE = Prepared(
    CriminalisationCase,
    _case_of,
    fields=(CriminalisationCase._meta.pk, CriminalisationCase._meta.get_field("organisation")),
    samples=((UUID(int=1), ()), (UUID(int=2), ())),
)


def get_case_for_user(
    user: Person, case_id: UUID, *, for_write: bool = False
) -> CriminalisationCase:
    found = _CASE(case_id, rules.organisations(user))
    if not found:
        raise Http404
    case = found[0]
    if for_write and not rules.can_edit(user, case):
        raise PermissionDenied
    return case


def _of_case(model: type[Any], build: Callable[[UUID], QuerySet[Any]]) -> Prepared[Any]:
    """`build(case_id)`, the rows of one case the person already reads, prepared: the case
    page's five lists cost more to build and compile than to run (ADR 0050)."""
    return Prepared(
        model,
        build,
        fields=(Charge._meta.get_field("case"),),
        samples=((UUID(int=1),), (UUID(int=2),)),
    )


def case_defenders(case_id: UUID) -> QuerySet[Defender]:
    return Defender.objects.filter(criminalisation_cases=case_id).order_by("created_at")


def case_charges(case_id: UUID) -> QuerySet[Charge]:
    return Charge.objects.filter(case=case_id).select_related("provision")


def case_hearings(case_id: UUID) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(case=case_id)
        .select_related("mission", "mission__report")
        .order_by("starts_at", "id")
    )


def case_periods(case_id: UUID) -> QuerySet[DetentionPeriod]:
    return DetentionPeriod.objects.filter(case=case_id).order_by("starts_on", "created_at", "id")


_DEFENDERS = _of_case(Defender, case_defenders)
_CHARGES = _of_case(Charge, case_charges)
_HEARINGS = _of_case(Hearing, case_hearings)
_PERIODS = _of_case(DetentionPeriod, case_periods)


def defenders_of(case: CriminalisationCase) -> list[Defender]:
    return _DEFENDERS(case.pk)


def charges_of(case: CriminalisationCase) -> list[Charge]:
    return _CHARGES(case.pk)


def case_incidents(
    case_id: UUID, user_id: Any, staff: Collection[Any], collectives: Collection[Any]
) -> QuerySet[Incident]:
    """The case's linked incidents that the person reads through the incidents module (its
    reach from `visible_incidents_q_for`), newest id first."""
    reached = Incident.objects.filter(visible_incidents_q_for(user_id, staff, collectives))
    return reached.filter(criminalisation_cases=case_id).order_by("-pk")[:50]


#: `case_incidents`, compiled once per connection and shape of the person's reach.
_INCIDENTS = Prepared(
    Incident,
    case_incidents,
    fields=(
        Charge._meta.get_field("case"),
        Incident._meta.get_field("reported_by"),
        Incident._meta.get_field("organisation"),
        Defender._meta.get_field("collective_organisation"),
    ),
    samples=((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ())),
)


def incidents_of(user: Person, case: CriminalisationCase) -> list[Incident]:
    """The linked incidents the person may read through the incidents module."""
    if not user.is_authenticated:
        return []
    return _INCIDENTS(case.pk, *incident_reach(user))


def hearings_of(case: CriminalisationCase) -> list[Hearing]:
    return _HEARINGS(case.pk)


def detention_periods_of(
    case: CriminalisationCase, defenders: list[Defender]
) -> list[DetentionPeriod]:
    """The case's periods in order, each with its defender taken from `defenders` (the case's,
    already loaded): one query whatever the number of periods."""
    by_id = {defender.pk: defender for defender in defenders}
    periods = _PERIODS(case.pk)
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

#: A picker's search reads the records it may offer newest first, this many per query: each
#: label is Tier 1, decrypted and compared in memory (SECURITY.md: no blind index).
SEARCH_BATCH = SEARCH_WINDOW
#: A code shows the first six hex digits of the record's id.
CODE_DIGITS = 6
#: At most this many queries per search (SEARCH_BATCH * SEARCH_BATCHES records decrypted):
#: beyond, the search stops and says so, and a code is still looked up by its id.
SEARCH_BATCHES = 10


@dataclass(frozen=True)
class Searched(Picker):
    """A picker's search: `matched` counts the records read that match; `truncated` says the
    search stopped before the oldest record, either because more than PICKER_LIMIT matched
    (`matched` is then "at least") or because it read its most (`read` records)."""

    read: int = 0

    @property
    def cut_short(self) -> bool:
        """Stopped at its bound with few matches: an older record may match unseen."""
        return self.truncated and (self.matched or 0) <= PICKER_LIMIT


@dataclass(frozen=True)
class _Source:
    """What a picker searches: the records the person may pick (their access path), in the
    order of their list index, and how a row becomes a `Known` from the columns it reads;
    `newest(keep)` reads what a picker offers without a search (`offered`), prepared."""

    candidates: Callable[[], QuerySet[Any]]
    newest: Callable[[list[UUID]], list[Any]]
    order: tuple[str, ...]
    columns: tuple[str, ...]
    known: Callable[[Any], Known]
    #: The letter of the records' code (D-3F2A9C): a code names the first six hex digits of
    #: the id, so it is found in SQL however old the record.
    prefix: str


def _after(row: Any, order: tuple[str, ...]) -> Q:
    """The records after `row` in `order` (a total order, ending with the id): keyset paging
    along the list index."""
    conditions = []
    equal: dict[str, Any] = {}
    for field in order:
        name = field.removeprefix("-")
        lookup = "lt" if field.startswith("-") else "gt"
        conditions.append(Q(**equal, **{f"{name}__{lookup}": getattr(row, name)}))
        equal[name] = getattr(row, name)
    return reduce(or_, conditions)


def _codes(search: str, prefix: str) -> list[str]:
    """What the search may name as the start of a record's code (D-3F2A9C: the id's first hex
    digits), lower case: the search itself when it is four to six hex digits, and what follows
    the code's letter when it starts with it (D is a hex digit too)."""
    typed = search.replace(" ", "").replace("-", "").upper()
    hexes = [typed]
    if typed.startswith(prefix):
        hexes.append(typed[1:])
    return [
        h.lower()
        for h in hexes
        if CODE_SEARCH_MIN <= len(h) <= CODE_DIGITS and not set(h) - set(hexdigits.upper())
    ]


def _search(source: _Source, *, search: str, keep: Iterable[UUID]) -> Picker:
    """PICKER_LIMIT records and the kept ones. Without a search, the newest (core `pick`, one
    query). With one, the records read SEARCH_BATCH at a time along the list index, newest
    first, each compared in memory, until more than PICKER_LIMIT match, the oldest is read or
    SEARCH_BATCHES queries are made; the first query also brings the kept records, whatever
    their age. Cut short by its bound, a search that is a code also looks for the record whose
    id it names (one more query): no record the person may pick is out of reach."""
    keep = list(keep)
    wanted = normalise_name(search)
    if not wanted:
        # What core `pick` answers without a search, from the same query run prepared.
        known = [source.known(row) for row in source.newest(keep)]
        kept = [k for k in known if k.id in keep]
        others = [k for k in known if k.id not in keep]
        return Picker(options=kept + others[:PICKER_LIMIT])
    ordered = source.candidates().order_by(*source.order).only(*source.columns, *_names(source))
    window = ordered.values("pk")[:SEARCH_BATCH]
    first = list(ordered.filter(Q(pk__in=window) | Q(pk__in=keep)))
    batch = first[:SEARCH_BATCH]  # the window comes first: a kept record past it, after it
    kept = [source.known(row) for row in first if row.pk in keep]
    found: list[Known] = []
    read = 0
    queries = 1
    while True:
        read += len(batch)
        found += [k for k in map(source.known, batch) if k.id not in keep and matches(k, wanted)]
        more = len(batch) == SEARCH_BATCH
        if not more or len(found) > PICKER_LIMIT or queries >= SEARCH_BATCHES:
            break
        batch = list(ordered.filter(_after(batch[-1], source.order))[:SEARCH_BATCH])
        queries += 1
    codes = _codes(search, source.prefix)
    if more and len(found) <= PICKER_LIMIT and codes:
        seen = {k.id for k in found} | set(keep)
        named = reduce(or_, (Q(id_text__startswith=code) for code in codes))
        older = ordered.annotate(id_text=Cast("id", TextField())).filter(named)
        found += [k for k in map(source.known, older[: PICKER_LIMIT + 1]) if k.id not in seen]
    return Searched(
        options=kept + found[:PICKER_LIMIT],
        search=search,
        matched=len(found),
        truncated=more,
        read=read,
    )


def _names(source: _Source) -> list[str]:
    return [field.removeprefix("-") for field in source.order]


def offered(
    model: type[Model],
    candidates: Q,
    order: tuple[str, ...],
    columns: tuple[str, ...],
    keep: list[UUID],
) -> QuerySet[Any]:
    """What core `pick` reads without a search, the same rows in the same order: the newest
    PICKER_LIMIT of the records `candidates` selects, in `order` (the candidates' own), and
    the kept ones among them, with `columns` only. `pick` asks the candidates' filter of
    every row, `id IN (the newest) OR id IN (kept)`, which SQLite answers by walking every
    candidate of the organisation (0.5 ms over the bench's 3,000 incidents); here the newest
    are found by their index and the kept ones by their id, each then checked to be a
    candidate (0.06 ms, 0.2 ms with 50 kept)."""
    rows = model._default_manager
    newest = rows.filter(candidates).order_by(*order).values("pk")[:PICKER_LIMIT]
    kept = Q(pk__in=keep) & Exists(rows.filter(candidates, pk=OuterRef("pk")))
    return rows.filter(Q(pk__in=newest) | kept).order_by(*order).only(*columns)


def defender_candidates(user: Person, *, organisation_id: Any) -> QuerySet[Defender]:
    """Defenders a case of the organisation may name: those it keeps, when the person holds
    `trials.edit` there. Newest first, the order of the defenders' list index."""
    if organisation_id not in rules.organisations(user, Perm.TRIALS_EDIT):
        return Defender.objects.none()
    return _kept_by(organisation_id)


def _kept_by(organisation_id: Any) -> QuerySet[Defender]:
    return Defender.objects.filter(organisation_id=organisation_id).order_by(*DEFENDER_ORDER)


#: The defenders' list index.
DEFENDER_ORDER = ("-created_at", "-id")
#: What a defender picker reads of each defender.
DEFENDER_COLUMNS = ("id", "organisation_id", "kind", "pseudonym")

#: A defender picker without a search, compiled once per connection and number of defenders
#: kept (ticked): the form's every visit asks it.
_DEFENDERS_OFFERED = Prepared(
    Defender,
    lambda organisation_id, keep: offered(
        Defender, Q(organisation_id=organisation_id), DEFENDER_ORDER, DEFENDER_COLUMNS, keep
    ),
    fields=(Defender._meta.get_field("organisation"), Defender._meta.pk),
    samples=((UUID(int=1), ()), (UUID(int=2), ())),
)


def _known_defender(d: Defender) -> Known:
    return Known(d.pk, d.pseudonym, d.code, d.organisation_id, d.kind)


def defender_picker(
    user: Person, *, organisation_id: Any, search: str = "", keep: Iterable[UUID] = ()
) -> Picker:
    """PICKER_LIMIT defenders (the newest, or those whose pseudonym or code matches `search`)
    and the chosen ones (`keep`) the person may still choose: one query, and with a search
    one per SEARCH_BATCH defenders read (`_search`)."""
    allowed = organisation_id in rules.organisations(user, Perm.TRIALS_EDIT)
    source = _Source(
        candidates=lambda: defender_candidates(user, organisation_id=organisation_id),
        newest=lambda keep: _DEFENDERS_OFFERED(organisation_id, keep) if allowed else [],
        order=DEFENDER_ORDER,
        columns=DEFENDER_COLUMNS,
        known=_known_defender,
        prefix="D",
    )
    return _search(source, search=search, keep=keep)


def incident_candidates(user: Person, *, organisation_id: Any) -> QuerySet[Incident]:
    """The organisation's incidents the person reads, in the incident list's order."""
    return incidents_visible_to(user).filter(organisation_id=organisation_id)


#: What an incident picker reads of each incident.
INCIDENT_COLUMNS = ("id", "organisation_id", "status", "title")


def _incidents_in(
    organisation_id: Any, user_id: Any, staff: Collection[Any], collectives: Collection[Any]
) -> Q:
    """`incident_candidates`' filter from the person's reach (`incident_reach`), for prepared
    queries."""
    reached = visible_incidents_q_for(user_id, staff, collectives)
    return reached & Q(organisation_id=organisation_id)


#: An incident picker without a search, compiled once per connection and shape of the
#: person's reach and of the incidents kept (ticked).
_INCIDENTS_OFFERED = Prepared(
    Incident,
    lambda organisation_id, keep, *reach: offered(
        Incident, _incidents_in(organisation_id, *reach), INCIDENT_ORDER, INCIDENT_COLUMNS, keep
    ),
    fields=(
        Incident._meta.get_field("organisation"),
        Incident._meta.pk,
        Incident._meta.get_field("reported_by"),
        Incident._meta.get_field("organisation"),
        Defender._meta.get_field("collective_organisation"),
    ),
    samples=((UUID(int=1), (), UUID(int=2), (), ()), (UUID(int=3), (), UUID(int=4), (), ())),
)


def _known_incident(i: Incident) -> Known:
    return Known(i.pk, i.title, i.code, i.organisation_id, i.status)


def incident_picker(
    user: Person, *, organisation_id: Any, search: str = "", keep: Iterable[UUID] = ()
) -> Picker:
    """PICKER_LIMIT incidents (the most recently dated, or those whose short description or
    code matches `search`) and the chosen ones: one query read from the incident list's
    index, and with a search one per SEARCH_BATCH incidents read (`_search`)."""
    source = _Source(
        candidates=lambda: incident_candidates(user, organisation_id=organisation_id),
        newest=lambda keep: (
            _INCIDENTS_OFFERED(organisation_id, keep, *incident_reach(user))
            if user.is_authenticated
            else []
        ),
        order=INCIDENT_ORDER,
        columns=INCIDENT_COLUMNS,
        known=_known_incident,
        prefix="I",
    )
    return _search(source, search=search, keep=keep)


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
    return _hearings_between(rules.organisations(user), start, end)


def _hearings_between(
    organisation_ids: Collection[Any], start: datetime, end: datetime
) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(
            rules.visible_q_for(organisation_ids), starts_at__gte=start, starts_at__lt=end
        )
        .select_related("case")
        .order_by("starts_at", "id")
    )


#: `hearings_between`, compiled once per connection and number of organisations: the
#: calendar's and the feed's one query.
_HEARINGS_BETWEEN = Prepared(
    Hearing,
    _hearings_between,
    fields=(
        Hearing._meta.get_field("organisation"),
        Hearing._meta.get_field("starts_at"),
        Hearing._meta.get_field("starts_at"),
    ),
    samples=(
        ((), datetime(2001, 1, 1, tzinfo=UTC), datetime(2001, 2, 1, tzinfo=UTC)),
        ((), datetime(2002, 3, 1, tzinfo=UTC), datetime(2002, 4, 1, tzinfo=UTC)),
    ),
)


def hearings_in(user: Person, start: datetime, end: datetime) -> list[Hearing]:
    """The hearings `hearings_between` reads, prepared: every one of the window, for the
    iCalendar feed, never cut to a page (a calendar application shows only what the feed
    holds)."""
    return _HEARINGS_BETWEEN(rules.organisations(user), start, end)


#: The calendar page's order. The index `trials_hearing_agenda` holds it per organisation
#: with every column an entry shows, so a page is read from the index alone, from its first
#: entry (or the cursor) to its last.
CALENDAR_ORDER = ("starts_at", "id")

#: What an entry of the calendar page shows (rows.day_sections): when, the type and the
#: result, the hearing's id (its anchor on the case page) and its case's (the link and the
#: code). No Tier-1 column; the case is not joined, its code is written from its id.
CALENDAR_FIELDS = ("id", "case_id", "starts_at", "kind", "result")


class CalendarEntry(NamedTuple):
    """A hearing on the calendar page: CALENDAR_FIELDS as plain values."""

    id: UUID
    case_id: UUID
    starts_at: datetime
    kind: str
    result: str

    @property
    def pk(self) -> UUID:
        return self.id

    @property
    def code(self) -> str:
        """The case's code."""
        return CriminalisationCase.code_of(self.case_id)


def calendar_rows(
    organisation_ids: Collection[Any],
    start: datetime,
    end: datetime | None,
    *,
    after: UUID | None,
    size: int,
) -> QuerySet[Hearing]:
    """`size` + 1 hearings of the organisations (where the person holds `trials.view`) from
    `start`, before `end` unless it is None, after the hearing `after` in CALENDAR_ORDER, with
    CALENDAR_FIELDS only: a page of the calendar as a queryset, which `calendar_page` runs
    prepared."""
    visible = Hearing.objects.filter(rules.visible_q_for(organisation_ids))
    hearings = visible
    if after is not None:
        # Before `start`: of two lower bounds of one column, SQLite starts the index range at
        # the first it reads, and the cursor's is the closer (0.14 -> 0.04 ms half a year on).
        hearings = hearings.filter(_after_hearing(visible, after))
    hearings = hearings.filter(starts_at__gte=start)
    if end is not None:
        hearings = hearings.filter(starts_at__lt=end)
    return hearings.order_by(*CALENDAR_ORDER).values_list(*CALENDAR_FIELDS)[: size + 1]


def _after_hearing(visible: QuerySet[Hearing], after: UUID) -> Q:
    """Hearings after the hearing `after` in CALENDAR_ORDER. Its time is a subquery of the
    page's own query, looked for among the hearings the person reads (one they cannot read
    positions nothing: the page is then empty); the leading `starts_at >=` lets the index
    start at the cursor instead of at the page's first day."""
    at = Subquery(visible.filter(pk=after).order_by().values("starts_at")[:1])
    return Q(starts_at__gte=at) & (Q(starts_at__gt=at) | Q(id__gt=after))


#: The calendar's page per page size, with or without an end and a cursor (each changes the
#: SQL), compiled once per connection and number of organisations.
_CALENDAR_PAGES: dict[tuple[int, bool, bool], PreparedRows] = {}


def _calendar_page_query(size: int, *, bounded: bool, later: bool) -> PreparedRows:
    query = _CALENDAR_PAGES.get((size, bounded, later))
    if query is None:
        starts_at = Hearing._meta.get_field("starts_at")
        fields: list[Any] = [Hearing._meta.get_field("organisation"), starts_at]
        first: list[Any] = [(), datetime(2001, 1, 1, tzinfo=UTC)]
        second: list[Any] = [(), datetime(2002, 3, 1, tzinfo=UTC)]
        if bounded:
            fields.append(starts_at)
            first.append(datetime(2001, 2, 1, tzinfo=UTC))
            second.append(datetime(2002, 4, 1, tzinfo=UTC))
        if later:
            fields.append(Hearing._meta.pk)
            first.append(UUID(int=1))
            second.append(UUID(int=2))

        def build(organisation_ids: Collection[Any], start: datetime, *rest: Any) -> QuerySet[Any]:
            end = rest[0] if bounded else None
            after = rest[-1] if later else None
            return calendar_rows(organisation_ids, start, end, after=after, size=size)

        query = _CALENDAR_PAGES[size, bounded, later] = PreparedRows(
            Hearing, build, fields=fields, samples=(first, second)
        )
    return query


def calendar_page(
    user: Person,
    *,
    start: datetime,
    end: datetime | None = None,
    after: UUID | None = None,
    size: int,
) -> Page[CalendarEntry]:
    """`size` hearings the person reads from `start` (before `end`, unless None), after the
    hearing `after`: one prepared query at any depth, read from the index. Building and
    compiling the query, and a model instance of each hearing and of its case, cost far more
    than the rows (ADR 0050, 0062)."""
    query = _calendar_page_query(size, bounded=end is not None, later=after is not None)
    args: list[Any] = [rules.organisations(user), start]
    if end is not None:
        args.append(end)
    if after is not None:
        args.append(after)
    page = page_from(query(*args), size=size, is_first=after is None, key=itemgetter(0))
    rows = [CalendarEntry._make(row) for row in page.rows]
    return Page(rows=rows, next_after=page.next_after, is_first=page.is_first)


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


# --- public statistics (aggregated, anonymised; amparo/trials/statistics.py, ADR 0060) ---


def statistics(
    *, country: str = "", today: date | None = None, with_detention: bool = True
) -> Statistics:
    """The published figures of every organisation's cases, for the world or one `country`:
    counted from Tier-2 codes only, with small counts and those that would give one away
    withheld, the same in every scope. Two queries, and a third for the detention figures
    unless `with_detention` is False. Every country's cases are read even for one country:
    whether its counts can be shown depends on the others (a country's count and the world's
    give away the rest of the world's)."""
    today = today or timezone.localdate()
    rows = CriminalisationCase.objects.order_by().values_list(
        "id", "country", "initiator", "patterns", "outcome", "opened_on", "outcome_on"
    )
    kinds = Charge.objects.order_by().values_list("case_id", "provision__kind").distinct()
    cases = published_figures.count_cases(rows, kinds, today)
    periods = None
    if with_detention:
        spans = DetentionPeriod.objects.order_by().values_list(
            "case_id", "case__country", "kind", "starts_on", "ends_on"
        )
        periods = published_figures.count_detention(spans, today)
    scope = country.upper() or published_figures.WORLD
    return published_figures.published(cases, periods, scope=scope)


def country_figures(country_code: str) -> Statistics:
    """One country's criminalisation figures, for the observatory's country profile (its
    charges and outcomes; detention is not shown there, so not counted)."""
    return statistics(country=country_code, with_detention=False)


def figures_version(country_code: str, today: date | None = None) -> str:
    """What a country's figures depend on, for the observatory page's ETag (one query): every
    country's cases, since what can be shown of one depends on the others (ADR 0060), their
    latest change and their charges; and the day, since open cases' durations grow by
    themselves. `country_code` names the page, already in its address."""
    today = today or timezone.localdate()
    found = CriminalisationCase.objects.aggregate(
        cases=Count("id", distinct=True),
        changed=Max("updated_at"),
        # Not named "charges": an aggregate's name would hide the relation of the next one.
        charge_count=Count("charges", distinct=True),
        charged=Max("charges__created_at"),
    )
    parts = [found["cases"], found["charge_count"], found["changed"], found["charged"], today]
    return ":".join(part.isoformat() if hasattr(part, "isoformat") else str(part) for part in parts)


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
