"""The one access path to security plans, for pages, API and jobs.

Invisible plans raise Http404 (nobody can probe for a plan they may not know exists); visible
plans the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts.models import User
from amparo.accounts.permissions import Perm, roles_with
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders.lookups import ReachLookup, ReachPage, ReachQuery
from amparo.defenders.models import Defender
from amparo.defenders.rules import defender_q
from amparo.plans import rules
from amparo.plans.enums import (
    BROKEN_MEASURES,
    PENDING_MEASURES,
    MeasureStatus,
    PlanStatus,
    ProtocolKind,
)
from amparo.plans.models import (
    ComplianceCheck,
    Measure,
    MeasureCheck,
    Protocol,
    SecurityPlan,
)
from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis, Threat, VCFactor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


#: The plan lists' order: newest first, the id breaking ties (a keyset page's cursor).
PLAN_ORDER = ("-created_at", "-id")


def plans_visible_to(user: User | AnonymousUser) -> QuerySet[SecurityPlan]:
    """Plans for lists: the subject for its pseudonym, and counts of measures."""
    return _visible(rules.plans_visible_q(user))


def _visible(reach: Q) -> QuerySet[SecurityPlan]:
    return (
        SecurityPlan.objects.filter(reach)
        .select_related("subject")
        .annotate(
            measure_count=Count("measures", filter=~Q(measures__status=MeasureStatus.DROPPED)),
            lapsed_count=Count("measures", filter=Q(measures__status=MeasureStatus.LAPSED)),
        )
        .order_by("-created_at", "-id")
    )


def _reach_lookup(build: Any) -> ReachLookup[SecurityPlan]:
    """One plan by id, through `rules.plans_visible_q`'s reach, prepared."""
    return ReachLookup(
        SecurityPlan,
        build,
        staff_perm=Perm.PLANS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="subject__",
    )


def _with_compliance(plans: QuerySet[SecurityPlan]) -> QuerySet[SecurityPlan]:
    checks = ComplianceCheck.objects.filter(plan=OuterRef("pk"))
    latest = checks.order_by("-checked_on", "-created_at", "-id")
    return plans.annotate(
        check_count=Coalesce(
            Subquery(checks.order_by().values("plan").annotate(n=Count("pk")).values("n")[:1]),
            0,
        ),
        last_checked_on=Subquery(latest.values("checked_on")[:1]),
        last_check_result=Subquery(latest.values("result")[:1]),
    )


def _plan(reach: Q, pk: UUID) -> QuerySet[SecurityPlan]:
    return (
        SecurityPlan.objects.filter(reach, pk=pk)
        .select_related("subject", "analysis", "created_by")
        .order_by()[:1]
    )


_PLAN = _reach_lookup(_plan)
#: What the plan page reads of the plan, its subject (the pseudonym, and what
#: `rules.can_edit_plan` asks) and its analysis: the page is the only reader of
#: `get_plan_for_user(compliance=True)`.
PAGE_PLAN_FIELDS = (
    "id",
    "organisation_id",
    "level",
    "status",
    "adopted_on",
    "next_review",
    "review_interval_days",
    "title",
    "objective_threats",
    "objective_vulnerabilities",
    "objective_capacities",
    "decider",
    "sources",
    "distribution",
    "version",
    "subject",
    "subject__organisation_id",
    "subject__user_id",
    "subject__collective_organisation_id",
    "subject__pseudonym",
    "analysis",
    "analysis__analysed_on",
    "analysis__status",
)

_PLAN_WITH_COMPLIANCE = _reach_lookup(
    lambda reach, pk: _with_compliance(
        SecurityPlan.objects.filter(reach, pk=pk)
        .select_related("subject", "analysis")
        .only(*PAGE_PLAN_FIELDS)
    ).order_by()[:1]
)


def get_plan_for_user(
    user: User | AnonymousUser,
    plan_id: UUID,
    *,
    for_write: bool = False,
    compliance: bool = False,
) -> SecurityPlan:
    """One plan with its subject and analysis. `compliance` adds what the plan page's summary
    of the compliance checks shows (`check_count`, `last_checked_on`, `last_check_result`), as
    subqueries of the same query, and reads only what the page shows (PAGE_PLAN_FIELDS)."""
    plan = (_PLAN_WITH_COMPLIANCE if compliance else _PLAN)(user, plan_id)
    if for_write and not rules.can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


@dataclass(frozen=True)
class ProtocolRow:
    """A protocol with the threats it answers and the measures it relies on."""

    protocol: Protocol
    threats: list[Threat]
    prerequisites: list[Measure]


@dataclass(frozen=True)
class PlanContents:
    """Everything the plan page and the rules of validation.py read about one plan.

    `threats` are the threats the plan answers (its analysis's, or without one its focus
    threats), in order; each carries `is_plan_focus`. `factors` are their vulnerabilities and
    capacities by threat id, in order. `focus` are the plan's focus threats.
    """

    plan: SecurityPlan
    threats: Sequence[Threat]
    focus: Sequence[Threat]
    measures: list[Measure]
    protocols: list[ProtocolRow]
    factors: Mapping[Any, Sequence[VCFactor]] = field(default_factory=dict)

    @property
    def emergency(self) -> list[ProtocolRow]:
        return [row for row in self.protocols if row.protocol.kind == ProtocolKind.EMERGENCY]

    @property
    def preventive(self) -> list[ProtocolRow]:
        return [row for row in self.protocols if row.protocol.kind == ProtocolKind.PREVENTIVE]


def _focus_links(plan_id: Any) -> QuerySet[Any]:
    through: Any = SecurityPlan.focus_threats.through
    links: QuerySet[Any] = through.objects.filter(securityplan_id=plan_id)
    return links


def _answers_plan_q(plan_id: Any, analysis_id: Any, prefix: str = "") -> Q:
    """Threats the plan answers: its analysis's, or without one its focus threats."""
    if analysis_id is not None:
        return Q(**{f"{prefix}analysis_id": analysis_id})
    return Q(**{f"{prefix}pk__in": _focus_links(plan_id).values("threat_id")})


def protocol_links(protocol_ids: Any) -> dict[Any, tuple[list[Any], list[Any]]]:
    """Protocol id -> (ids of the threats it answers, ids of the measures it relies on), for
    the protocols `protocol_ids` (a list or a subquery): both link tables in one query."""
    return _links_by_protocol(_links_where(protocol_id__in=protocol_ids))


def _links_where(**where: Any) -> QuerySet[Any]:
    """(protocol id, threat or measure id, is a threat) of both link tables, filtered alike."""
    prerequisites: Any = Protocol.prerequisites.through
    threats: Any = Protocol.threats.through
    # No ORDER BY inside a UNION (SQLite refuses it): callers order what they show.
    measure_links = (
        prerequisites.objects.filter(**where)
        .order_by()
        .annotate(target=F("measure_id"), is_threat=Value(False))
        .values_list("protocol_id", "target", "is_threat")
    )
    threat_links = (
        threats.objects.filter(**where)
        .order_by()
        .annotate(target=F("threat_id"), is_threat=Value(True))
        .values_list("protocol_id", "target", "is_threat")
    )
    links: QuerySet[Any] = measure_links.union(threat_links, all=True)
    return links


def _links_by_protocol(rows: Iterable[Any]) -> dict[Any, tuple[list[Any], list[Any]]]:
    links: dict[Any, tuple[list[Any], list[Any]]] = {}
    for protocol_id, target, is_threat in rows:
        answered, relied_on = links.setdefault(protocol_id, ([], []))
        (answered if is_threat else relied_on).append(target)
    return links


# The plan's parts, by the plan's id (and its analysis's): the queryset path (`plan_contents`)
# and the page's prepared path (`plan_page`) are built by the same functions.


def _threats_of_plan(plan_id: Any, analysis_id: Any) -> QuerySet[Threat]:
    """The threats the plan answers, its focus threats and those its protocols answer (a
    protocol may still answer a threat of the plan's previous analysis), with the focus as a
    flag (`is_plan_focus`), in order."""
    focus_links = _focus_links(plan_id)
    protocol_threats = Protocol.threats.through.objects.filter(protocol__plan_id=plan_id)
    return (
        Threat.objects.filter(
            _answers_plan_q(plan_id, analysis_id)
            | Q(pk__in=focus_links.values("threat_id"))
            | Q(pk__in=protocol_threats.values("threat_id"))
        )
        .annotate(is_plan_focus=Exists(focus_links.filter(threat_id=OuterRef("pk"))))
        .order_by("created_at", "id")
    )


def _factors_of_plan(plan_id: Any, analysis_id: Any) -> QuerySet[VCFactor]:
    """Only the factors the page shows: those of the threats the plan answers."""
    return VCFactor.objects.filter(_answers_plan_q(plan_id, analysis_id, "threat__")).order_by(
        "kind", "created_at"
    )


def _measures_of_plan(plan_id: Any) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(plan_id=plan_id)
        .select_related("factor", "threat", "owner")
        .order_by("created_at", "id")
    )


def _protocols_of_plan(plan_id: Any) -> QuerySet[Protocol]:
    return Protocol.objects.filter(plan_id=plan_id).order_by("kind", "created_at", "id")


def _contents(
    plan: SecurityPlan,
    *,
    threats: list[Threat],
    factors: Mapping[Any, Sequence[VCFactor]],
    measures: list[Measure],
    protocols: list[Protocol],
    links: Mapping[Any, tuple[list[Any], list[Any]]],
) -> PlanContents:
    rows = []
    for protocol in protocols:
        threat_ids, measure_ids = (set(ids) for ids in links.get(protocol.pk, ([], [])))
        rows.append(
            ProtocolRow(
                protocol=protocol,
                threats=[t for t in threats if t.pk in threat_ids],
                prerequisites=[m for m in measures if m.pk in measure_ids],
            )
        )
    if plan.analysis_id is not None:
        answered = [t for t in threats if t.analysis_id == plan.analysis_id]
    else:
        answered = [t for t in threats if t.is_plan_focus]  # type: ignore[attr-defined]
    return PlanContents(
        plan=plan,
        threats=answered,
        focus=[t for t in threats if t.is_plan_focus],  # type: ignore[attr-defined]
        measures=measures,
        protocols=rows,
        factors=factors,
    )


def plan_contents(plan: SecurityPlan) -> PlanContents:
    """The plan's threats, factors, measures and protocols in five queries, whatever their
    number: the focus threats are a flag on the threats (not a query of their own), and both
    link tables of the protocols are read in one query. Whole records: for services."""
    threats = list(
        _threats_of_plan(plan.pk, plan.analysis_id).prefetch_related(
            Prefetch("factors", queryset=_factors_of_plan(plan.pk, plan.analysis_id))
        )
    )
    factors = {threat.pk: list(threat.factors.all()) for threat in threats}
    measures = list(_measures_of_plan(plan.pk))
    protocols = list(_protocols_of_plan(plan.pk))
    links = protocol_links([p.pk for p in protocols]) if protocols else {}
    return _contents(
        plan,
        threats=threats,
        factors=factors,
        measures=measures,
        protocols=protocols,
        links=links,
    )


#: What the plan page reads of each part (ADR 0062): the columns its rows, the guide and the
#: rules of validation.py use, and the organisation that binds each Tier-1 column (still
#: decrypted through the field, so each read is audited).
PAGE_THREAT_FIELDS = ("id", "organisation_id", "analysis_id", "summary", "likelihood", "impact")
PAGE_FACTOR_FIELDS = ("id", "organisation_id", "threat_id", "kind", "category", "description")
PAGE_MEASURE_FIELDS = (
    "id",
    "organisation_id",
    "description",
    "resources",
    "kind",
    "is_acceptance",
    "is_deterrence",
    "is_protection",
    "threat",
    "factor",
    "owner",
    "owner_name",
    "deadline",
    "status",
    "version",
    "guide_key",
    "threat__organisation_id",
    "threat__summary",
    "factor__organisation_id",
    "factor__threat_id",
    "factor__kind",
    "factor__description",
    "owner__display_name",
    "owner__email",
)
PAGE_PROTOCOL_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "situation",
    "title",
    "steps",
    "contacts",
    "guide_key",
)

_PLAN_ID = SecurityPlan._meta.pk
_ANALYSIS_ID = Threat._meta.get_field("analysis")
#: Two sample plans and analyses, every id distinct (the check of `Prepared` needs it).
_ONE, _TWO, _THREE, _FOUR = (UUID(int=n) for n in range(1, 5))

_PAGE_THREATS_OF_ANALYSIS = Prepared(
    Threat,
    lambda plan_id, analysis_id: _threats_of_plan(plan_id, analysis_id).only(*PAGE_THREAT_FIELDS),
    fields=(_PLAN_ID, _ANALYSIS_ID),
    samples=((_ONE, _TWO), (_THREE, _FOUR)),
)
_PAGE_THREATS_OF_FOCUS = Prepared(
    Threat,
    lambda plan_id: _threats_of_plan(plan_id, None).only(*PAGE_THREAT_FIELDS),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_PAGE_FACTORS_OF_ANALYSIS = Prepared(
    VCFactor,
    lambda analysis_id: _factors_of_plan(None, analysis_id).only(*PAGE_FACTOR_FIELDS),
    fields=(_ANALYSIS_ID,),
    samples=((_TWO,), (_FOUR,)),
)
_PAGE_FACTORS_OF_FOCUS = Prepared(
    VCFactor,
    lambda plan_id: _factors_of_plan(plan_id, None).only(*PAGE_FACTOR_FIELDS),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_PAGE_MEASURES = Prepared(
    Measure,
    lambda plan_id: _measures_of_plan(plan_id).only(*PAGE_MEASURE_FIELDS),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_PAGE_PROTOCOLS = Prepared(
    Protocol,
    lambda plan_id: _protocols_of_plan(plan_id).only(*PAGE_PROTOCOL_FIELDS),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_PAGE_LINKS = PreparedRows(
    Protocol,
    lambda plan_id: _links_where(protocol__plan_id=plan_id),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)


def plan_page(plan: SecurityPlan) -> PlanContents:
    """`plan_contents` for the plan page: the same rows in the same order, with only the
    columns the page shows (PAGE_*_FIELDS), each query prepared (ADR 0050): building and
    compiling the five querysets cost the page more than running them. Five queries, as
    `plan_contents`; no factors' query when the plan answers no threat (`plan_contents` skips
    it only when it finds no threat at all), no links' query without protocols."""
    found: list[VCFactor] = []
    if plan.analysis_id is not None:
        threats = _PAGE_THREATS_OF_ANALYSIS(plan.pk, plan.analysis_id)
        if any(threat.analysis_id == plan.analysis_id for threat in threats):
            found = _PAGE_FACTORS_OF_ANALYSIS(plan.analysis_id)
    else:
        threats = _PAGE_THREATS_OF_FOCUS(plan.pk)
        if any(threat.is_plan_focus for threat in threats):  # type: ignore[attr-defined]
            found = _PAGE_FACTORS_OF_FOCUS(plan.pk)
    factors: dict[Any, list[VCFactor]] = {threat.pk: [] for threat in threats}
    for factor in found:
        factors.setdefault(factor.threat_id, []).append(factor)
    measures = _PAGE_MEASURES(plan.pk)
    # Most measures act on a threat or a factor the page shows already: they get that same
    # instance, so each text is decrypted once (the join still reads those of the others).
    shown_threats: dict[Any, Threat] = {threat.pk: threat for threat in threats}
    shown_factors: dict[Any, VCFactor] = {factor.pk: factor for factor in found}
    for measure in measures:
        if (acted_on := shown_threats.get(measure.threat_id)) is not None:
            measure.threat = acted_on
        if (addressed := shown_factors.get(measure.factor_id)) is not None:
            measure.factor = addressed
    protocols = _PAGE_PROTOCOLS(plan.pk)
    links = _links_by_protocol(_PAGE_LINKS(plan.pk)) if protocols else {}
    return _contents(
        plan,
        threats=threats,
        factors=factors,
        measures=measures,
        protocols=protocols,
        links=links,
    )


def get_plan_with_detail(plan_id: UUID) -> PlanContents:
    """A plan with everything validation reads, for services that already checked access."""
    plan = SecurityPlan.objects.select_related("subject", "analysis", "created_by").get(pk=plan_id)
    return plan_contents(plan)


#: What the printable card shows of a focus threat, a protocol and a measure (and the
#: organisation that binds each Tier-1 column): nothing else is read or decrypted.
CARD_THREAT_FIELDS = ("id", "organisation_id", "summary", "created_at")
CARD_PROTOCOL_FIELDS = (
    "id",
    "organisation_id",
    "plan_id",
    "kind",
    "title",
    "steps",
    "contacts",
    "created_at",
)
CARD_MEASURE_FIELDS = (
    "id",
    "organisation_id",
    "plan_id",
    "description",
    "owner_id",
    "owner_name",
    "deadline",
    "status",
    "created_at",
    "owner__id",
    "owner__display_name",
    "owner__email",
)

_CARD_FOCUS = Prepared(
    Threat,
    lambda plan_id: (
        Threat.objects.filter(pk__in=_focus_links(plan_id).values("threat_id"))
        .only(*CARD_THREAT_FIELDS)
        .order_by("created_at", "id")
    ),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_CARD_PROTOCOLS = Prepared(
    Protocol,
    lambda plan_id: (
        Protocol.objects.filter(plan_id=plan_id)
        .only(*CARD_PROTOCOL_FIELDS)
        .order_by("kind", "created_at", "id")  # Protocol.Meta.ordering
    ),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)
_CARD_MEASURES = Prepared(
    Measure,
    lambda plan_id: (
        Measure.objects.filter(plan_id=plan_id)
        .exclude(status=MeasureStatus.DROPPED)
        .select_related("owner")
        .only(*CARD_MEASURE_FIELDS)
        .order_by("created_at", "id")
    ),
    fields=(_PLAN_ID,),
    samples=((_ONE,), (_THREE,)),
)


def print_card(plan: SecurityPlan) -> dict[str, Any]:
    """What the printable card carries: every protocol with its steps and contacts, the
    measures in force or planned, and the focus threats, with the columns the card shows.
    Three queries, each prepared (ADR 0050)."""
    return {
        "focus": _CARD_FOCUS(plan.pk),
        "protocols": _CARD_PROTOCOLS(plan.pk),
        "measures": _CARD_MEASURES(plan.pk),
    }


def compliance_checks_of(plan: SecurityPlan) -> QuerySet[ComplianceCheck]:
    """The plan's compliance checks, newest first, with who checked and each measure's result
    (two queries for a page)."""
    return (
        ComplianceCheck.objects.filter(plan=plan)
        .select_related("checked_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=MeasureCheck.objects.select_related("measure").order_by(
                    "measure__created_at", "measure__id"
                ),
            )
        )
        .order_by("-checked_on", "-created_at", "-id")
    )


def compliance_checks_after(
    checks: QuerySet[ComplianceCheck], after: UUID | None
) -> QuerySet[ComplianceCheck]:
    """The checks that come after the check `after` in the list's order (keyset pagination;
    the cursor is read by subqueries of the same query)."""
    if after is None:
        return checks
    cursor = ComplianceCheck.objects.filter(pk=after)
    on = Subquery(cursor.values("checked_on")[:1])
    at = Subquery(cursor.values("created_at")[:1])
    return checks.filter(
        Q(checked_on__lt=on)
        | Q(checked_on=on, created_at__lt=at)
        | Q(checked_on=on, created_at=at, id__lt=after)
    )


# --- the API: the plan's own fields, its collections page by page ---


_PLAN_FOR_API = _reach_lookup(
    lambda reach, pk: (
        SecurityPlan.objects.filter(reach, pk=pk)
        .annotate(
            measure_count=Coalesce(
                Subquery(
                    Measure.objects.filter(plan=OuterRef("pk"))
                    .order_by()
                    .values("plan")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
            protocol_count=Coalesce(
                Subquery(
                    Protocol.objects.filter(plan=OuterRef("pk"))
                    .order_by()
                    .values("plan")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
        .order_by()[:1]
    )
)


_FocusLink = SecurityPlan.focus_threats.through

#: The ids of a plan's focus threats, oldest threat first, prepared (ADR 0050): building the
#: prefetch's queryset on every request cost more than the plan's own query.
_FOCUS_THREAT_IDS = PreparedRows(
    _FocusLink,
    lambda plan_id: (
        _FocusLink.objects.filter(securityplan_id=plan_id)
        .order_by("threat__created_at")
        .values_list("threat_id")
    ),
    fields=(_FocusLink._meta.get_field("securityplan"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def get_plan_for_api(user: User | AnonymousUser, plan_id: UUID) -> SecurityPlan:
    """The plan with the counts of its measures and protocols, and `focus_threat_ids`: the
    ids of its focus threats, oldest first (two queries)."""
    plan = _PLAN_FOR_API(user, plan_id)
    ids = [threat_id for (threat_id,) in _FOCUS_THREAT_IDS(plan.pk)]
    plan.focus_threat_ids = ids  # type: ignore[attr-defined]
    return plan


def require_visible_plan(user: User | AnonymousUser, plan_id: UUID) -> None:
    """404 unless the person reads the plan: asked only when a page of its parts is empty,
    since a row found through `plans_visible_q` already proves it."""
    if not SecurityPlan.objects.filter(rules.plans_visible_q(user), pk=plan_id).exists():
        raise Http404


#: What the API shows of a measure, and the organisation that binds its Tier-1 columns (they
#: still decrypt through the fields' descriptors, so each read is audited).
MEASURE_FIELDS = (
    "id",
    "organisation_id",
    "plan_id",
    "description",
    "kind",
    "is_acceptance",
    "is_deterrence",
    "is_protection",
    "threat_id",
    "factor_id",
    "owner_id",
    "owner_name",
    "resources",
    "deadline",
    "status",
    "version",
)

#: What the API shows of a protocol, and the organisation that binds its Tier-1 columns.
PROTOCOL_FIELDS = (
    "id",
    "organisation_id",
    "plan_id",
    "kind",
    "situation",
    "title",
    "steps",
    "contacts",
    "version",
)


def _plan_part_page(model: type[Any], fields: tuple[str, ...]) -> ReachPage[Any]:
    """A page of a plan's measures or protocols, prepared (ADR 0050): the reach of
    `rules.plans_visible_q(user, prefix="plan__")`."""
    return ReachPage(
        model,
        "plan",
        fields,
        staff_perm=Perm.PLANS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="plan__subject__",
    )


_MEASURE_PAGE: ReachPage[Measure] = _plan_part_page(Measure, MEASURE_FIELDS)
_PROTOCOL_PAGE: ReachPage[Protocol] = _plan_part_page(Protocol, PROTOCOL_FIELDS)


def measure_page(
    user: User | AnonymousUser, plan_id: UUID, *, after: UUID | None, limit: int
) -> list[Measure]:
    """Up to `limit` + 1 measures of the plan, through the plan's access path, after the
    measure `after` in primary-key order (ADR 0026), with MEASURE_FIELDS only: one more than
    a page tells whether another follows. Empty when the plan is not read, or not there."""
    return _MEASURE_PAGE(user, plan_id, after=after, limit=limit)


def protocol_page(
    user: User | AnonymousUser, plan_id: UUID, *, after: UUID | None, limit: int
) -> list[Protocol]:
    """`measure_page` for the plan's protocols, with PROTOCOL_FIELDS only."""
    return _PROTOCOL_PAGE(user, plan_id, after=after, limit=limit)


def _links_in_range(plan_id: UUID, first: UUID, last: UUID) -> QuerySet[Any]:
    """`protocol_links`' query for the plan's protocols whose ids lie between two ids."""
    return _links_where(protocol__plan_id=plan_id, protocol_id__gte=first, protocol_id__lte=last)


_LINKS_IN_RANGE = PreparedRows(
    Protocol,
    _links_in_range,
    fields=(Protocol._meta.get_field("plan"), Protocol._meta.pk, Protocol._meta.pk),
    samples=((UUID(int=1), UUID(int=2), UUID(int=3)), (UUID(int=4), UUID(int=5), UUID(int=6))),
)


def links_of_protocol_page(protocols: list[Protocol]) -> dict[Any, tuple[list[Any], list[Any]]]:
    """`protocol_links` of a page of `protocol_page` (one plan's, ordered by id), prepared:
    the page holds every protocol of its plan in its range of ids. One query; the caller has
    the page, so the plan is known to be read."""
    if not protocols:
        return {}
    first, last = protocols[0], protocols[-1]
    return _links_by_protocol(_LINKS_IN_RANGE(first.plan_id, first.pk, last.pk))


def get_measure_for_user(
    user: User | AnonymousUser, measure_id: UUID, *, for_write: bool = False
) -> Measure:
    measure = get_object_or_404(
        Measure.objects.filter(rules.plans_visible_q(user, prefix="plan__")).select_related(
            "plan", "plan__subject", "factor", "threat", "owner"
        ),
        pk=measure_id,
    )
    if for_write and not rules.can_edit_plan(user, measure.plan):
        raise PermissionDenied
    return measure


def get_protocol_for_user(
    user: User | AnonymousUser, protocol_id: UUID, *, for_write: bool = False
) -> Protocol:
    protocol = get_object_or_404(
        Protocol.objects.filter(rules.plans_visible_q(user, prefix="plan__")).select_related(
            "plan", "plan__subject"
        ),
        pk=protocol_id,
    )
    if for_write and not rules.can_edit_plan(user, protocol.plan):
        raise PermissionDenied
    return protocol


def get_subject_for_plans(user: User | AnonymousUser, defender_id: UUID) -> Defender:
    """A defender whose plans the person may list: 404 otherwise (the plans module's own reach
    rule, so a desk that sees plans but not the defenders module still gets the page)."""
    visible = defender_q(
        user, staff_perm=Perm.PLANS_VIEW, collective_perm=Perm.COLLECTIVE_VIEW, shares=True
    )
    return get_object_or_404(Defender.objects.filter(visible), pk=defender_id)


def analyses_for_plans(user: User | AnonymousUser) -> QuerySet[RiskAnalysis]:
    """Analyses a plan can start from: visible to the person, about someone they may write
    plans for, and not superseded by a newer analysis."""
    return (
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user))
        .filter(subject__in=Defender.objects.filter(rules.writable_subjects_q(user)))
        .exclude(status=AnalysisStatus.SUPERSEDED)
        .select_related("subject")
        .order_by("-analysed_on", "-created_at")
    )


def get_analysis_for_plan(user: User | AnonymousUser, analysis_id: UUID) -> RiskAnalysis:
    """The analysis to start a plan from, with its threats and their factors: 404 when the
    person cannot see it, 403 when they see it but may not write plans for its subject."""
    analysis = get_object_or_404(
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user))
        .select_related("subject")
        .prefetch_related(
            Prefetch(
                "threats",
                queryset=Threat.objects.prefetch_related("factors").order_by("created_at", "id"),
            )
        ),
        pk=analysis_id,
    )
    if not rules.can_write_plans_for(user, analysis.subject):
        raise PermissionDenied
    return analysis


def analyses_of_subject(user: User | AnonymousUser, subject: Defender) -> QuerySet[RiskAnalysis]:
    return analyses_for_plans(user).filter(subject=subject)


def analyses_for_plan_edit(
    user: User | AnonymousUser, plan: SecurityPlan
) -> QuerySet[RiskAnalysis]:
    """The analyses a plan may be linked to: its subject's current ones, and the one it has
    (even when a newer analysis superseded it, so the plan stays editable)."""
    return (
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user), subject_id=plan.subject_id)
        .filter(~Q(status=AnalysisStatus.SUPERSEDED) | Q(pk=plan.analysis_id))
        .select_related("subject")
        .order_by("-analysed_on", "-created_at")
    )


def threats_of_analysis(analysis: RiskAnalysis) -> QuerySet[Threat]:
    return Threat.objects.filter(analysis=analysis).order_by("created_at", "id")


def threats_of_subject(subject: Defender) -> QuerySet[Threat]:
    return Threat.objects.filter(subject=subject).order_by("created_at", "id")


def plan_threat_choices(plan: SecurityPlan) -> QuerySet[Threat]:
    """Threats a measure, a protocol or a focus choice of this plan may point at: the plan's
    analysis's, or, without one, any of the subject's."""
    if plan.analysis_id is not None:
        threats = Threat.objects.filter(analysis_id=plan.analysis_id)
    else:
        threats = Threat.objects.filter(subject_id=plan.subject_id)
    return threats.order_by("created_at", "id")


def plan_factor_choices(plan: SecurityPlan) -> QuerySet[VCFactor]:
    return (
        VCFactor.objects.filter(threat__in=plan_threat_choices(plan))
        .select_related("threat")
        .order_by("threat__created_at", "kind", "created_at")
    )


def owner_candidates(plan: SecurityPlan) -> QuerySet[User]:
    """People with an account who can be named responsible for a measure: the desk staff who
    work on plans, the defender themselves, and the collective's members."""
    subject = plan.subject
    desk_roles = [role.value for role in roles_with(Perm.PLANS_EDIT)]
    member_roles = [role.value for role in roles_with(Perm.COLLECTIVE_VIEW)]
    q = Q(
        memberships__organisation_id=plan.organisation_id,
        memberships__role__in=desk_roles,
        memberships__is_active=True,
    )
    if subject.collective_organisation_id is not None:
        q |= Q(
            memberships__organisation_id=subject.collective_organisation_id,
            memberships__role__in=member_roles,
            memberships__is_active=True,
        )
    if subject.user_id is not None:
        q |= Q(pk=subject.user_id)
    return User.objects.filter(q, is_active=True).distinct().order_by("display_name", "email")


def plans_needing_attention(user: User | AnonymousUser) -> QuerySet[SecurityPlan]:
    """For a dashboard panel: the person's plans due for review or with lapsed measures
    (PLAN-4), oldest review first. Codes, statuses and counts are Tier 2; titles are not."""
    return _needing_attention(plans_visible_to(user))


def _needing_attention(plans: QuerySet[SecurityPlan]) -> QuerySet[SecurityPlan]:
    return (
        plans.filter(Q(status=PlanStatus.REVIEW_DUE) | Q(lapsed_count__gt=0))
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by("next_review", "pk")
    )


#: Rows of the dashboard's panel; one more tells whether there are others.
ATTENTION_ROWS = 10

_ATTENTION = ReachQuery(
    SecurityPlan,
    lambda reach: _needing_attention(_visible(reach))[: ATTENTION_ROWS + 1],
    staff_perm=Perm.PLANS_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
)


def attention_for_dashboard(user: User | AnonymousUser) -> list[SecurityPlan]:
    """The first ATTENTION_ROWS + 1 of `plans_needing_attention`, prepared (ADR 0050)."""
    return _ATTENTION(user)


def measure_gap_kinds(plan: SecurityPlan) -> set[str]:
    """The kinds of the plan's measures not in place: proposed, agreed, lapsed or dropped
    (one query, codes only: nothing is decrypted)."""
    return set(
        Measure.objects.filter(
            plan=plan, status__in=[*PENDING_MEASURES, *BROKEN_MEASURES]
        ).values_list("kind", flat=True)
    )
