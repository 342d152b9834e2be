"""The one access path to the desk's cases and requests, for pages, API, dashboard and jobs.

Invisible cases raise Http404 (nobody can probe for a case they may not know exists); visible
cases the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders.models import Defender, defender_code
from amparo.defenders.rules import defender_q_for, organisations_with
from amparo.desk import generations, rules
from amparo.desk.enums import (
    MECHANISM_LEVEL_ON_OUR_SCALE,
    OPEN,
    RISK_RANK,
    SENT_OR_LATER,
    ReferralKind,
    ReferralOutcome,
    RequestStatus,
)
from amparo.desk.models import (
    Accompaniment,
    Case,
    CaseEvent,
    CaseOfficer,
    GrantFund,
    Referral,
    RequestDesk,
    SupportRequest,
    case_code,
)
from amparo.incidents.models import Act
from amparo.incidents.queries import incidents_visible_to
from amparo.plans.enums import LIVE_STATUSES
from amparo.plans.models import SecurityPlan
from amparo.plans.rules import plans_visible_q
from amparo.risk.enums import CURRENT_STATUSES, AnalysisStatus
from amparo.risk.models import RiskAnalysis
from amparo.risk.queries import analyses_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

#: Newest first; the index `desk_case_list` serves it per desk.
LIST_ORDER = ("-created_at", "-id")


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """How many rows of `queryset` (filtered on an OuterRef) as a scalar subquery."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0, output_field=IntegerField())


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """Every read of cases goes through here: with the defender (its code and pseudonym)."""
    return (
        Case.objects.filter(rules.cases_visible_q(user))
        .select_related("defender")
        .order_by(*LIST_ORDER)
    )


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    priority: str = ""
    mine: bool = False
    open_only: bool = False


def filter_cases(cases: QuerySet[Case], user: User, filters: CaseFilters) -> QuerySet[Case]:
    if filters.state:
        cases = cases.filter(state=filters.state)
    elif filters.open_only:
        cases = cases.filter(state__in=OPEN)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.mine:
        cases = cases.filter(
            Exists(CaseOfficer.objects.filter(case_id=OuterRef("pk"), user_id=user.pk))
        )
    return cases


@dataclass
class Page:
    """One page of a list, found by position rather than by counting (PERFORMANCE.md 6)."""

    rows: list[Any]
    next_after: UUID | None
    is_first: bool


#: What a row of the case list shows (desk/rows.py), and the defender's organisation, which
#: binds its pseudonym's ciphertext: a defender row carries eight Tier-1 columns the list
#: would otherwise read and keep.
LIST_FIELDS = (
    "id",
    "organisation_id",
    "state",
    "priority",
    "urgency",
    "opened_on",
    "created_at",
    "defender__id",
    "defender__organisation_id",
    "defender__pseudonym",
)


#: What a row of the API's case list shows (CaseOut), all Tier 2: read as values, neither
#: cases nor their defender rows (nothing to decrypt); its code is written from the id.
API_LIST_FIELDS = (
    "id",
    "organisation_id",
    "defender_id",
    "state",
    "priority",
    "urgency",
    "confidentiality",
    "consent_scopes",
    "closure_reason",
    "opened_on",
    "closed_on",
    "review_on",
    "version",
    "created_at",
    "updated_at",
)


_API_ID = API_LIST_FIELDS.index("id")


def api_list_rows(cases: QuerySet[Case]) -> QuerySet[Case, dict[str, Any]]:
    """cases_visible_to's cases (filtered) as the API's list reads them: a dict of
    API_LIST_FIELDS per case."""
    rows: QuerySet[Case, dict[str, Any]] = cases.values(*API_LIST_FIELDS)
    return rows


def keyset_page(cases: QuerySet[Case], *, after: UUID | None, size: int) -> Page:
    """`size` cases after the case `after` in LIST_ORDER; the cursor is read by subqueries of
    the same query, so a page is one query (plus the officers) at any depth."""
    # The officers as a plain list (`officer_list`): a prefetch into the manager would build
    # a filtered queryset per row.
    officers = Prefetch(
        "officers",
        queryset=User.objects.only("id", "display_name", "email"),
        to_attr="officer_list",
    )
    rows = list(_page_of(cases, after, size).prefetch_related(officers))
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_after=rows[-1].pk if more else None, is_first=after is None)


def _after(cases: QuerySet[Case], after: UUID | None) -> QuerySet[Case]:
    """The cases after the case `after` in LIST_ORDER (all of them without a cursor)."""
    if after is not None:
        cursor = Case.objects.filter(pk=after)
        at = Subquery(cursor.values("created_at")[:1])
        cases = cases.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=after))
    return cases


def _page_of(cases: QuerySet[Case], after: UUID | None, size: int) -> QuerySet[Case]:
    return _after(cases, after).only(*LIST_FIELDS)[: size + 1]


#: What a row of the case list shows (desk/rows.py), read as values: `ListedCase` without its
#: defender's and officers', then the defender's id, the organisation that binds its
#: pseudonym's ciphertext, and that ciphertext.
LIST_ROW_COLUMNS = (
    "id",
    "state",
    "priority",
    "urgency",
    "opened_on",
    "defender_id",
    "defender__organisation_id",
    "defender__pseudonym",
)


def _rows_of(cases: QuerySet[Case], after: UUID | None, size: int) -> QuerySet[Any]:
    """`_page_of`'s page as tuples of LIST_ROW_COLUMNS: building two model instances per row
    (the case and its defender) cost the list more than its query."""
    return _after(cases, after).values_list(*LIST_ROW_COLUMNS)[: size + 1]


_PSEUDONYM: Any = Defender._meta.get_field("pseudonym")


class ListedDefender:
    """A listed case's defender: its id, code and pseudonym. The pseudonym is decrypted when
    first read, by its field, under the binding a Defender instance's would have (its
    organisation and id), so the read is audited as that instance's would be."""

    def __init__(self, pk: UUID, organisation_id: UUID, ciphertext: str) -> None:
        self.pk = pk
        self._ciphertext = ciphertext
        # Where `EncryptedFieldMixin.open` looks for the row's binding.
        self.__dict__[_PSEUDONYM.bound_key] = (organisation_id, pk)

    @functools.cached_property
    def pseudonym(self) -> str:
        return str(_PSEUDONYM.open(self, self._ciphertext))

    @property
    def code(self) -> str:
        return defender_code(self.pk)


class ListedCase(NamedTuple):
    """A row of the case list: what `desk/rows.py` writes, as plain values."""

    id: UUID
    state: str
    priority: str
    urgency: str
    opened_on: date
    defender: ListedDefender
    officer_list: list[Officer]

    @property
    def pk(self) -> UUID:
        return self.id

    @property
    def code(self) -> str:
        return case_code(self.id)


class Officer(NamedTuple):
    """An officer as the case list shows them (desk/rows.py)."""

    id: UUID
    display_name: str
    email: str


#: A page's officers, in the order the prefetch gave them (the users' own order, by email),
#: prepared per number of rows (ADR 0050).
_OFFICERS = PreparedRows(
    CaseOfficer,
    lambda ids: (
        CaseOfficer.objects.filter(case_id__in=ids)
        .order_by("user__email", "user_id")
        .values_list("case_id", "user_id", "user__display_name", "user__email")
    ),
    fields=(CaseOfficer._meta.get_field("case"),),
    samples=(((),), ((),)),
)

#: The filters of the list that are parameters of its SQL, with two samples each.
_FILTER_ARGUMENTS: dict[str, tuple[Any, Any, Any]] = {
    "state": (Case._meta.get_field("state"), "state-1", "state-2"),
    "priority": (Case._meta.get_field("priority"), "priority-1", "priority-2"),
}


def _prepared_cases(
    set_filters: tuple[str, ...],
    mine: bool,
    open_only: bool,
    with_after: bool,
    finish: Callable[[QuerySet[Case], UUID | None], QuerySet[Any]],
    *,
    prepared: type[Prepared[Any]] = Prepared,
) -> Prepared[Any]:
    """A case list's query for one shape of request, built by the queryset path's own
    functions (`cases_visible_to`, `filter_cases`, then `finish`: the columns, order, cursor
    and LIMIT of the page or of the API's list) and compiled once per connection and reach
    shape (ADR 0050)."""
    extra = [_FILTER_ARGUMENTS[name] for name in set_filters]
    if with_after:
        extra.append((Case._meta.pk, UUID(int=13), UUID(int=14)))

    def build(user_id: Any, view: Any, assign: Any, *rest: Any) -> QuerySet[Any]:
        cases = (
            Case.objects.filter(rules.cases_visible_q_for(user_id, view, assign))
            .select_related("defender")
            .order_by(*LIST_ORDER)
        )
        values = dict(zip(set_filters, rest, strict=False))
        filters = CaseFilters(mine=mine, open_only=open_only, **values)
        cases = filter_cases(cases, SimpleNamespace(pk=user_id), filters)  # type: ignore[arg-type]
        return finish(cases, rest[-1] if with_after else None)

    return prepared(
        Case,
        build,
        fields=(
            CaseOfficer._meta.get_field("user"),
            Case._meta.get_field("organisation"),
            Case._meta.get_field("organisation"),
            *(f for f, _one, _two in extra),
        ),
        samples=(
            (UUID(int=1), (), (), *(one for _f, one, _two in extra)),
            (UUID(int=3), (), (), *(two for _f, _one, two in extra)),
        ),
    )


def _shape_of(filters: CaseFilters, after: UUID | None) -> tuple[tuple[str, ...], list[Any]]:
    """The filters set (in `_FILTER_ARGUMENTS`' order) and the query's arguments after the
    reach: their values, then the cursor."""
    set_filters = tuple(name for name in _FILTER_ARGUMENTS if getattr(filters, name))
    values: list[Any] = [getattr(filters, name) for name in set_filters]
    if after is not None:
        values.append(after)
    return set_filters, values


def _api_page_of(cases: QuerySet[Case], after: UUID | None, limit: int) -> QuerySet[Any]:
    """`api.paging.pk_page` over `api_list_rows(cases)`: id order, after the id `after`, one
    row more than asked; as tuples of API_LIST_FIELDS."""
    rows = cases.order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return rows.values_list(*API_LIST_FIELDS)[: limit + 1]


@functools.lru_cache(maxsize=512)
def _page_query(
    set_filters: tuple[str, ...],
    mine: bool,
    open_only: bool,
    with_after: bool,
    size: int,
    *,
    api: bool,
) -> PreparedRows:
    """The page query of the case list (`_rows_of`) or of the API's (`_api_page_of`) for one
    shape of request; the page size is in its SQL."""
    page = _api_page_of if api else _rows_of
    return _prepared_cases(  # type: ignore[return-value]  # built as PreparedRows
        set_filters,
        mine,
        open_only,
        with_after,
        lambda cases, after: page(cases, after, size),
        prepared=PreparedRows,
    )


def case_api_page(
    user: User | AnonymousUser,
    filters: CaseFilters,
    *,
    after: UUID | None,
    limit: int,
    item: Callable[[dict[str, Any]], Any],
) -> dict[str, Any]:
    """`api.paging.pk_page(api_list_rows(filter_cases(cases_visible_to(user), user, filters)),
    after, limit, item=item)` as a prepared query: `{"items": [...], "next_after": ...}`, each
    row a dict of API_LIST_FIELDS as `.values()` gives it, passed through `item`
    (`test_case_page.py` holds the two to the same rows)."""
    rows: list[tuple[Any, ...]] = []
    if user.is_authenticated:
        set_filters, values = _shape_of(filters, after)
        query = _page_query(
            set_filters, filters.mine, filters.open_only, after is not None, limit, api=True
        )
        rows = query(*rules.desk_reach_of(user), *values)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [item(dict(zip(API_LIST_FIELDS, row, strict=True))) for row in rows],
        "next_after": rows[-1][_API_ID] if more else None,
    }


def case_page(
    user: User | AnonymousUser, filters: CaseFilters, *, after: UUID | None, size: int
) -> Page:
    """`keyset_page(filter_cases(cases_visible_to(user), user, filters), ...)` as prepared
    queries, the page's rows as `ListedCase`s, then their officers (`test_case_page.py` holds
    them to the queryset's cases)."""
    if not user.is_authenticated:
        return Page(rows=[], next_after=None, is_first=after is None)
    set_filters, values = _shape_of(filters, after)
    query = _page_query(
        set_filters, filters.mine, filters.open_only, after is not None, size, api=False
    )
    found = query(*rules.desk_reach_of(user), *values)
    more = len(found) > size
    found = found[:size]
    officers: dict[Any, list[Officer]] = {row[0]: [] for row in found}
    if officers:
        for case_id, *officer in _OFFICERS(list(officers)):
            officers[case_id].append(Officer(*officer))
    rows = [
        ListedCase(
            case_id,
            state,
            priority,
            urgency,
            opened_on,
            ListedDefender(defender_id, defender_organisation_id, pseudonym),
            officers[case_id],
        )
        for (
            case_id,
            state,
            priority,
            urgency,
            opened_on,
            defender_id,
            defender_organisation_id,
            pseudonym,
        ) in found
    ]
    return Page(rows=rows, next_after=rows[-1].pk if more else None, is_first=after is None)


def _linked_counts(user: User | AnonymousUser) -> dict[str, Any]:
    """What the case page shows of the defender's other records, through those modules' own
    access paths, as subqueries of the case's query."""
    victims = Act.objects.filter(victim_id=OuterRef(OuterRef("defender_id"))).values("incident_id")
    incidents = incidents_visible_to(user).filter(pk__in=victims)
    analyses = analyses_visible_to(user).filter(subject_id=OuterRef("defender_id"))
    plans = SecurityPlan.objects.filter(plans_visible_q(user), subject_id=OuterRef("defender_id"))
    return {
        "incident_count": _count_of(incidents),
        "analysis_count": _count_of(analyses),
        "plan_count": _count_of(plans),
        "has_live_plan": Exists(
            SecurityPlan.objects.filter(
                subject_id=OuterRef("defender_id"), status__in=LIVE_STATUSES
            )
        ),
    }


def get_case_for_user(
    user: User | AnonymousUser,
    case_id: UUID,
    *,
    for_write: bool = False,
    for_assign: bool = False,
    linked: bool = False,
) -> Case:
    """One case with its defender. `linked` adds the counts of the defender's incidents,
    analyses and plans the person may read (one query all the same)."""
    queryset = Case.objects.filter(rules.cases_visible_q(user)).select_related(
        "defender", "request"
    )
    if linked:
        queryset = queryset.annotate(**_linked_counts(user))
    case = get_object_or_404(queryset, pk=case_id)
    if for_write and not rules.can_edit_case(user, case):
        raise PermissionDenied
    if for_assign and not rules.can_assign(user, case):
        raise PermissionDenied
    return case


def officers_of(case: Case) -> list[User]:
    return list(case.officers.order_by("display_name", "email"))


def timeline_of(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")


def accompaniments_of(case: Case) -> QuerySet[Accompaniment]:
    return Accompaniment.objects.filter(case=case).order_by("-held_on", "-created_at")


# --- Amparo's risk level beside a mechanism's (DESK-3) ---


def current_level_of(user: User | AnonymousUser, defender_id: Any) -> Subquery:
    """The level of the defender's analysis in force, as the person sees it through the risk
    module's access path (the one `risk.queries.current_analysis_for` returns), as a
    subquery; `defender_id` is usually an OuterRef."""
    current = analyses_visible_to(user).filter(subject_id=defender_id, status__in=CURRENT_STATUSES)
    return Subquery(current.order_by("-revision", "-analysed_on").values("level")[:1])


def _risk_reach_of(user: User) -> tuple[set[Any], set[Any]]:
    return (
        organisations_with(user, Perm.RISK_VIEW),
        organisations_with(user, Perm.COLLECTIVE_VIEW),
    )


def _current_level_for(
    user_id: Any, staff: Collection[Any], collectives: Collection[Any], defender_id: Any
) -> Subquery:
    """`current_level_of` from the person's ids (`_risk_reach_of`), for prepared queries."""
    reach = defender_q_for(user_id, staff, collectives, shares=True, prefix="subject__")
    current = RiskAnalysis.objects.filter(
        reach, subject_id=defender_id, status__in=CURRENT_STATUSES
    )
    return Subquery(current.order_by("-revision", "-analysed_on").values("level")[:1])


def analysis_in_force_on(
    user: User | AnonymousUser, defender_id: Any, on: date
) -> RiskAnalysis | None:
    """The defender's analysis in force on the date `on`, as the person sees it: the latest
    concluded one (in force now, due for review or superseded since) dated on or before it."""
    concluded = (*CURRENT_STATUSES, AnalysisStatus.SUPERSEDED)
    return (
        analyses_visible_to(user)
        .filter(subject_id=defender_id, status__in=concluded, analysed_on__lte=on)
        .select_related(None)
        .order_by("-analysed_on", "-revision")
        .first()
    )


def _with_levels(referrals: QuerySet[Referral], user: User | AnonymousUser) -> QuerySet[Referral]:
    """Referrals with Amparo's current level beside them (`current_amparo_level`), and the
    analysis of the snapshot for its code: what `Referral.risk_divergence` compares. Also
    their fund and who overrode its rules (DESK-2), which the pages show."""
    return referrals.annotate(
        current_amparo_level=current_level_of(user, OuterRef("case__defender_id"))
    ).select_related("amparo_analysis_at_study", "fund", "overridden_by")


def referrals_of(case: Case, user: User | AnonymousUser) -> QuerySet[Referral]:
    return _with_levels(Referral.objects.filter(case=case), user).order_by("-created_at", "-id")


def get_accompaniment_for_user(
    user: User | AnonymousUser, accompaniment_id: UUID, *, for_write: bool = False
) -> Accompaniment:
    accompaniment = get_object_or_404(
        Accompaniment.objects.filter(rules.cases_visible_q(user, "case__")).select_related(
            "case", "case__defender"
        ),
        pk=accompaniment_id,
    )
    if for_write and not rules.can_edit_case(user, accompaniment.case):
        raise PermissionDenied
    return accompaniment


def _referral_for(  # noqa: PLR0917 -- Prepared passes its arguments by position
    user_id: Any,
    view: Collection[Any],
    assign: Collection[Any],
    risk_staff: Collection[Any],
    risk_collectives: Collection[Any],
    referral_id: Any,
) -> QuerySet[Referral]:
    """`get_referral_for_user`'s query from the person's ids (`rules.desk_reach_of`,
    `_risk_reach_of`): `_with_levels` with the level read as `_current_level_for` reads it."""
    level = _current_level_for(user_id, risk_staff, risk_collectives, OuterRef("case__defender_id"))
    return (
        Referral.objects.filter(
            rules.cases_visible_q_for(user_id, view, assign, "case__"), pk=referral_id
        )
        .annotate(current_amparo_level=level)
        .select_related("amparo_analysis_at_study", "fund", "overridden_by")
        .select_related("case", "case__defender")
    )


#: One referral with its case, defender, fund and levels, compiled once per connection and
#: reach shape (ADR 0050): building this query took most of a referral page's time.
_REFERRAL = Prepared(
    Referral,
    _referral_for,
    fields=(
        CaseOfficer._meta.get_field("user"),
        Case._meta.get_field("organisation"),
        Case._meta.get_field("organisation"),
        Defender._meta.get_field("organisation"),
        Defender._meta.get_field("collective_organisation"),
        Referral._meta.pk,
    ),
    samples=(
        (UUID(int=1), (), (), (), (), UUID(int=5)),
        (UUID(int=2), (), (), (), (), UUID(int=6)),
    ),
)


def get_referral_for_user(
    user: User | AnonymousUser, referral_id: UUID, *, for_write: bool = False
) -> Referral:
    if not user.is_authenticated:
        raise Http404
    found = _REFERRAL(*rules.desk_reach_of(user), *_risk_reach_of(user), referral_id)
    if not found:
        raise Http404
    referral = found[0]
    if for_write and not rules.can_edit_case(user, referral.case):
        raise PermissionDenied
    return referral


def require_visible_case(user: User | AnonymousUser, case_id: UUID) -> None:
    if not Case.objects.filter(rules.cases_visible_q(user), pk=case_id).exists():
        from django.http import Http404  # noqa: PLC0415

        raise Http404


# --- emergency grant funds and their rules (DESK-2) ---


def funds_visible_to(user: User | AnonymousUser) -> QuerySet[GrantFund]:
    """The funds of the desks the person works on: their staff see the rules, their lead
    keeps them."""
    return _funds_in(rules.desk_organisations(user, Perm.DESK_VIEW))


def _funds_in(organisations: Collection[Any]) -> QuerySet[GrantFund]:
    """`funds_visible_to` from the ids of the person's desks."""
    return GrantFund.objects.filter(organisation_id__in=organisations).order_by(
        "-is_active", "-created_at", "-id"
    )


#: A desk keeps a handful of funds; the fund list shows them all up to this many.
FUND_LIST_LIMIT = 100

#: The fund list's query, compiled once per connection and number of desks (ADR 0050).
_FUND_LIST = Prepared(
    GrantFund,
    lambda organisations: _funds_in(organisations)[:FUND_LIST_LIMIT],
    fields=(GrantFund._meta.get_field("organisation"),),
    samples=(((),), ((),)),
)


def fund_list_for(user: User | AnonymousUser) -> list[GrantFund]:
    """The first FUND_LIST_LIMIT of `funds_visible_to(user)`, prepared."""
    return _FUND_LIST(rules.desk_organisations(user, Perm.DESK_VIEW))


def get_fund_for_user(
    user: User | AnonymousUser, fund_id: UUID, *, for_write: bool = False
) -> GrantFund:
    """404 when the fund is not one of the person's desks'; 403 to change it without being
    that desk's lead."""
    fund = get_object_or_404(funds_visible_to(user), pk=fund_id)
    if for_write and not rules.can_manage_funds(user, fund.organisation_id):
        raise PermissionDenied
    return fund


def funds_for_referral(case: Case, chosen: Any = None) -> QuerySet[GrantFund]:
    """The funds a grant referral of the case may name: its desk's funds still offered, and
    the one already chosen even if retired since."""
    offered = Q(is_active=True)
    if chosen:
        offered |= Q(pk=chosen)
    return GrantFund.objects.filter(offered, organisation_id=case.organisation_id).order_by(
        "-created_at", "-id"
    )


def grants_from_fund_in_year(referral: Referral, *, today: date) -> int:
    """How many other referrals of the same defender went to the same fund in the twelve
    months before `today`: sent or further, not refused or withdrawn, dated by their request
    (or, without one, by when they were recorded)."""
    since = today - timedelta(days=365)
    return (
        Referral.objects.filter(
            fund_id=referral.fund_id,
            case__defender_id=referral.case.defender_id,
            status__in=SENT_OR_LATER,
        )
        .exclude(pk=referral.pk)
        .exclude(outcome__in=[ReferralOutcome.REFUSED, ReferralOutcome.WITHDRAWN])
        .filter(
            Q(requested_on__gte=since) | Q(requested_on__isnull=True, created_at__date__gte=since)
        )
        .count()
    )


def has_current_analysis(user: User | AnonymousUser, defender_id: Any, *, today: date) -> bool:
    """Whether the defender has an analysis in force and not due for review (RISK-4), as the
    person sees it through the risk module's access path."""
    return (
        analyses_visible_to(user)
        .filter(subject_id=defender_id, status=AnalysisStatus.CONCLUDED, next_review__gte=today)
        .exists()
    )


# --- who works on cases, and for whom ---


def assignable_officers(organisation_id: Any) -> QuerySet[User]:
    """People with an active role that works cases (`desk.edit`) in the case's organisation."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.DESK_EDIT in perms]
    members = Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=[Role(r) for r in roles]
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("display_name", "email")


#: How many defenders the "open a case" picker lists (newest first).
PICKER_SIZE = 20


def defenders_for_cases(user: User | AnonymousUser) -> QuerySet[Defender]:
    """Defenders the person may open a case for: those their desk keeps."""
    organisations = rules.desk_organisations(user, Perm.DESK_EDIT)
    return Defender.objects.filter(organisation_id__in=organisations).order_by("-created_at", "-id")


@dataclass(frozen=True)
class DefenderPicker:
    """The defenders a form offers: the newest PICKER_SIZE, or those a search found."""

    #: The offered defenders, plus a posted one the person may choose (so it validates).
    queryset: QuerySet[Defender]
    search: str = ""
    #: The search read only the newest SEARCH_LIMIT records (defenders.queries).
    truncated: bool = False


def defender_picker(
    user: User | AnonymousUser,
    *,
    organisation_id: Any = None,
    search: str = "",
    chosen: Any = None,
) -> DefenderPicker:
    """PICKER_SIZE defenders to choose from, never one option per defender the desk keeps.

    Pseudonyms are Tier 1, so a search decrypts a bounded window of them in memory (the
    defenders list's search). `chosen` is a posted id: it stays choosable when the desk keeps
    it, whether or not it was offered, and anything else is refused by the form."""
    from amparo.defenders.queries import search_defenders  # noqa: PLC0415

    defenders = defenders_for_cases(user)
    if organisation_id is not None:
        defenders = defenders.filter(organisation_id=organisation_id)
    search = search.strip()
    truncated = False
    if search:
        result = search_defenders(defenders, search)
        offered = Q(pk__in=[d.pk for d in result.defenders[:PICKER_SIZE]])
        truncated = result.truncated
    else:
        offered = Q(pk__in=defenders.values("pk")[:PICKER_SIZE])
    if chosen:
        offered |= Q(pk=chosen)
    return DefenderPicker(defenders.filter(offered), search=search, truncated=truncated)


def get_defender_for_case(user: User | AnonymousUser, defender_id: UUID) -> Defender:
    """A defender the person reads (404 otherwise) and whose desk they work on (403)."""
    from amparo.defenders.queries import get_defender_for_user  # noqa: PLC0415

    defender = get_defender_for_user(user, defender_id)
    if not rules.can_open_case_for(user, defender):
        raise PermissionDenied
    return defender


# --- requests for support ---


def accepting_desks() -> QuerySet[Organisation]:
    """Organisations whose desk accepts requests through the public form, by name."""
    return Organisation.objects.filter(
        is_active=True, request_desk__accepts_requests=True
    ).order_by("name")


def requests_visible_to(user: User | AnonymousUser) -> QuerySet[SupportRequest]:
    organisations = rules.desk_organisations(user, Perm.DESK_EDIT)
    return SupportRequest.objects.filter(organisation_id__in=organisations).order_by(
        "-received_at", "-id"
    )


def get_request_for_user(user: User | AnonymousUser, request_id: UUID) -> SupportRequest:
    return get_object_or_404(
        requests_visible_to(user).select_related("organisation"), pk=request_id
    )


def request_desk_of(organisation_id: Any) -> RequestDesk | None:
    return RequestDesk.objects.filter(organisation_id=organisation_id).first()


def new_request_count(user: User | AnonymousUser) -> int:
    return requests_visible_to(user).filter(status=RequestStatus.NEW).count()


# --- the desk's dashboard ---


@dataclass
class Dashboard:
    by_priority: list[dict[str, Any]]
    overdue: list[Accompaniment]
    analyses_due: list[Any]
    recent_incidents: list[Any]
    without_plan: list[Case]


#: Rows of each list on the desk's dashboard.
DASHBOARD_ROWS = 10

#: The desk's reach (`rules.desk_reach_of`), then the risk module's (`_risk_reach_of`), as
#: prepared queries take them: the dashboard's lists are compiled once per connection and
#: shape of the reach (ADR 0050), since building them cost far more than reading them.
_REACH_FIELDS = (
    CaseOfficer._meta.get_field("user"),
    Case._meta.get_field("organisation"),
    Case._meta.get_field("organisation"),
)
_RISK_FIELDS = (
    Defender._meta.get_field("organisation"),
    Defender._meta.get_field("collective_organisation"),
)
_ID_SAMPLES = (UUID(int=1), UUID(int=2))


def _open_by_priority(
    user_id: Any, view: Collection[Any], assign: Collection[Any]
) -> QuerySet[Any]:
    return (
        Case.objects.filter(rules.cases_visible_q_for(user_id, view, assign), state__in=OPEN)
        .order_by()
        .values_list("priority")
        # COUNT(*), not COUNT(id): the count is read from desk_case_state_priority alone,
        # where counting ids seeks every open case's row for its id (16 -> 4 ms of SQL at
        # 16,000 open cases on SQLite).
        .annotate(n=Count("*"))
    )


_OPEN_BY_PRIORITY = PreparedRows(
    Case,
    _open_by_priority,
    fields=_REACH_FIELDS,
    samples=((_ID_SAMPLES[0], (), ()), (_ID_SAMPLES[1], (), ())),
)


#: Cached counts are recounted after this long even without a write, so that a change made
#: around the services (a data migration, a restore) shows within the quarter hour.
OPEN_BY_PRIORITY_SECONDS = 15 * 60


def open_by_priority(user: User | AnonymousUser) -> dict[str, int]:
    """Open cases the person sees, by priority. Counting every open case of a large desk
    costs milliseconds on each visit of a page opened far more often than cases change, so the
    counts are cached under the generations of the desks the person sees (ADR 0034 addendum):
    a case write changes its desk's generation after it commits, so no count is served that
    misses it. The key names the person, whose assignments are part of what they see."""
    if not user.is_authenticated:
        return {}
    user_id, view, assign = rules.desk_reach_of(user)
    if not view:
        return {}
    reach = ":".join(
        [str(user_id), *(",".join(sorted(str(pk) for pk in ids)) for ids in (view, assign))]
    )
    return generations.CASES.cached(
        f"desk:open-by-priority:{hashlib.sha256(reach.encode()).hexdigest()}",
        view,
        lambda: dict(_OPEN_BY_PRIORITY(user_id, view, assign)),
        OPEN_BY_PRIORITY_SECONDS,
    )


def _overdue_for(
    user_id: Any, view: Collection[Any], assign: Collection[Any], today: date
) -> QuerySet[Accompaniment]:
    return (
        Accompaniment.objects.filter(
            rules.cases_visible_q_for(user_id, view, assign, "case__"),
            case__state__in=OPEN,
            follow_up_done=False,
            follow_up_due__lt=today,
        )
        .select_related("case", "case__defender")
        .order_by("follow_up_due", "id")
    )


#: What an overdue follow-up's card shows (dashboard_rows.overdue_cards): the full rows of the
#: follow-up, its case and the case's defender cost the dashboard three instances a card.
OVERDUE_CARD_FIELDS = ("id", "case_id", "kind", "follow_up_due", "case__id", "case__defender_id")

_OVERDUE = Prepared(
    Accompaniment,
    lambda *reach_and_day: (
        _overdue_for(*reach_and_day)
        .select_related(None)
        .select_related("case")
        .only(*OVERDUE_CARD_FIELDS)[:DASHBOARD_ROWS]
    ),
    fields=(*_REACH_FIELDS, Accompaniment._meta.get_field("follow_up_due")),
    samples=(
        (_ID_SAMPLES[0], (), (), date(2001, 1, 1)),
        (_ID_SAMPLES[1], (), (), date(2002, 2, 2)),
    ),
)


def overdue_follow_ups(user: User | AnonymousUser, *, today: date | None = None) -> QuerySet[Any]:
    if not user.is_authenticated:
        return Accompaniment.objects.none()
    return _overdue_for(*rules.desk_reach_of(user), today or timezone.localdate())


def overdue_for_dashboard(user: User) -> list[Accompaniment]:
    """The first DASHBOARD_ROWS of `overdue_follow_ups`, prepared."""
    return _OVERDUE(*rules.desk_reach_of(user), timezone.localdate())


def _without_plan_for(
    user_id: Any, view: Collection[Any], assign: Collection[Any]
) -> QuerySet[Case]:
    live = SecurityPlan.objects.filter(subject_id=OuterRef("defender_id"), status__in=LIVE_STATUSES)
    return (
        Case.objects.filter(rules.cases_visible_q_for(user_id, view, assign))
        .select_related("defender")
        .filter(state__in=OPEN)
        .filter(~Exists(live))
        .order_by("-created_at", "-id")
    )


#: What a case's card without a plan shows (dashboard_rows.without_plan_cards).
WITHOUT_PLAN_CARD_FIELDS = ("id", "defender_id", "state", "priority")

_WITHOUT_PLAN = Prepared(
    Case,
    lambda *reach: (
        _without_plan_for(*reach)
        .select_related(None)
        .only(*WITHOUT_PLAN_CARD_FIELDS)[:DASHBOARD_ROWS]
    ),
    fields=_REACH_FIELDS,
    samples=((_ID_SAMPLES[0], (), ()), (_ID_SAMPLES[1], (), ())),
)


def cases_without_live_plan(user: User | AnonymousUser) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    return _without_plan_for(*rules.desk_reach_of(user))


def without_plan_for_dashboard(user: User) -> list[Case]:
    """The first DASHBOARD_ROWS of `cases_without_live_plan`, prepared."""
    return _WITHOUT_PLAN(*rules.desk_reach_of(user))


def _rank(level: str) -> SqlCase:
    """A level of Amparo's scale as its rank (enums.RISK_RANK), in SQL."""
    whens = [When(**{level: code}, then=Value(rank)) for code, rank in RISK_RANK.items()]
    return SqlCase(*whens, default=None, output_field=IntegerField())


def diverging_studies(user: User | AnonymousUser) -> QuerySet[Referral]:
    """DESK-3 on the dashboard: mechanism referrals of open cases whose risk study rates the
    risk lower or higher than Amparo's current analysis (or, without one, than the snapshot
    taken at the study). Lower first, as the dangerous case; then the latest study. Codes and
    levels only: nothing is decrypted."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return _diverging_for(*rules.desk_reach_of(user), *_risk_reach_of(user))


def _diverging_for(
    user_id: Any,
    view: Collection[Any],
    assign: Collection[Any],
    risk_staff: Collection[Any],
    risk_collectives: Collection[Any],
) -> QuerySet[Referral]:
    mechanism_rank = SqlCase(
        *[
            When(mechanism_level=code, then=Value(RISK_RANK[ours]))
            for code, ours in MECHANISM_LEVEL_ON_OUR_SCALE.items()
        ],
        default=None,
        output_field=IntegerField(),
    )
    level = _current_level_for(user_id, risk_staff, risk_collectives, OuterRef("case__defender_id"))
    compared = Coalesce(NullIf(level, Value("")), NullIf(F("amparo_level_at_study"), Value("")))
    return (
        Referral.objects.filter(
            rules.cases_visible_q_for(user_id, view, assign, "case__"),
            case__state__in=OPEN,
            kind=ReferralKind.MECHANISM,
        )
        .exclude(mechanism_level="")
        .annotate(current_amparo_level=level, compared=compared)
        .annotate(theirs=mechanism_rank, ours=_rank("compared"))
        .filter(Q(theirs__lt=F("ours")) | Q(theirs__gt=F("ours")))
        .annotate(is_higher=SqlCase(When(theirs__gt=F("ours"), then=Value(1)), default=Value(0)))
        .select_related("case", "case__defender")
        .order_by("is_higher", "-mechanism_studied_on", "-id")
    )


_DIVERGING = Prepared(
    Referral,
    lambda *reach: _diverging_for(*reach)[:DASHBOARD_ROWS],
    fields=(*_REACH_FIELDS, *_RISK_FIELDS),
    samples=((_ID_SAMPLES[0], (), (), (), ()), (_ID_SAMPLES[1], (), (), (), ())),
)


def diverging_for_dashboard(user: User) -> list[Referral]:
    """The first DASHBOARD_ROWS of `diverging_studies`, prepared."""
    return _DIVERGING(*rules.desk_reach_of(user), *_risk_reach_of(user))
