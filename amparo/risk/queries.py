"""The one access path to threat assessments and risk analyses, for pages, API, jobs and the
plans module.

Reading follows the reach rules of amparo/defenders/rules.py with the risk permissions: the
desk that keeps the subject's record (`risk.view`), organisations it was shared with, the
defender themselves, and the collective's members (`collective.view`). Invisible records
raise Http404, so nobody can probe for them; visible ones that the person may not change
raise PermissionDenied when asked `for_write`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.models import Membership, User
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.actors.models import Actor
from amparo.core.prepared import Prepared
from amparo.defenders.lookups import ReachLookup, ReachPage, ReachQuery
from amparo.defenders.models import Defender
from amparo.defenders.rules import defender_q, organisations_with, reaches
from amparo.incidents.models import Act, Incident
from amparo.incidents.queries import incident_reach, visible_incidents_q_for
from amparo.risk import rules
from amparo.risk.enums import CURRENT_STATUSES, AnalysisStatus, FactorKind
from amparo.risk.models import AlertDecision, AnalysisSnapshot, RiskAnalysis, Threat, VCFactor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _reach_q(user: User | AnonymousUser) -> Q:
    return defender_q(
        user,
        staff_perm=Perm.RISK_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="subject__",
    )


M = TypeVar("M", bound=models.Model)


# --- subjects ---


def subjects_visible_to(user: User | AnonymousUser) -> QuerySet[Defender]:
    """Defenders and collectives whose threat assessments and analyses the person reads."""
    return Defender.objects.filter(
        defender_q(
            user, staff_perm=Perm.RISK_VIEW, collective_perm=Perm.COLLECTIVE_VIEW, shares=True
        )
    ).select_related("organisation")


def get_subject_for_user(
    user: User | AnonymousUser, defender_id: UUID, *, for_write: bool = False
) -> Defender:
    subject = get_object_or_404(subjects_visible_to(user), pk=defender_id)
    if for_write and not rules.can_work_on(user, subject):
        raise PermissionDenied
    return subject


# --- analyses ---


#: The analysis list's order: latest analysis first; a total order, so keyset pages are stable.
ANALYSIS_ORDER = ("-analysed_on", "-created_at", "-id")


def analyses_visible_to(user: User | AnonymousUser) -> QuerySet[RiskAnalysis]:
    return (
        RiskAnalysis.objects.filter(_reach_q(user))
        .select_related("subject", "organisation")
        .order_by(*ANALYSIS_ORDER)  # total order: stable pages
    )


def _factors() -> Prefetch[Any]:
    return Prefetch("factors", queryset=VCFactor.objects.order_by("kind", "category", "created_at"))


def analysis_with_contents(queryset: QuerySet[RiskAnalysis]) -> QuerySet[RiskAnalysis]:
    """What the detail page, the snapshot and the API need, in a fixed number of queries."""
    return queryset.select_related("created_by", "concluded_by", "previous").prefetch_related(
        "participants",
        Prefetch(
            "threats",
            queryset=Threat.objects.select_related("source_actor").prefetch_related(
                _factors(), "incidents"
            ),
        ),
    )


def _reach_lookup(model: type[M], build: Callable[[Q, UUID], QuerySet[M]]) -> ReachLookup[M]:
    """One record of the risk module by id, through `_reach_q`'s reach, prepared."""
    return ReachLookup(
        model,
        build,
        staff_perm=Perm.RISK_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="subject__",
    )


_ANALYSIS = _reach_lookup(
    RiskAnalysis,
    lambda reach, pk: (
        RiskAnalysis.objects.filter(reach, pk=pk)
        .select_related("subject", "organisation", "created_by", "concluded_by")
        .order_by()[:1]
    ),
)


def get_analysis_for_user(
    user: User | AnonymousUser, analysis_id: UUID, *, for_write: bool = False
) -> RiskAnalysis:
    """The analysis with what its page shows: participants, threats and their factors (not
    the threats' incidents: the page does not list them, and services that copy or snapshot
    them load the analysis again with `analysis_with_contents`)."""
    analysis = _ANALYSIS(user, analysis_id)
    if for_write and not rules.can_edit_analysis(user, analysis):
        raise PermissionDenied
    prefetch_related_objects(
        [analysis],
        "participants",
        Prefetch(
            "threats",
            queryset=Threat.objects.select_related("source_actor").prefetch_related(_factors()),
        ),
    )
    return analysis


#: What the analysis page shows of a threat and of a factor (`only()`: the other Tier-1
#: columns are neither read nor decrypted).
PAGE_THREAT_FIELDS = (
    "id",
    "organisation_id",
    "analysis_id",
    "summary",
    "is_focus",
    "likelihood",
    "impact",
    "step",
    "alert",
    "created_at",
)
PAGE_FACTOR_FIELDS = (
    "id",
    "organisation_id",
    "threat_id",
    "kind",
    "category",
    "description",
    "created_at",
)


@dataclass(frozen=True)
class AnalysisPage:
    """What the analysis page shows besides the analysis: the same rows, in the same order,
    as `get_analysis_for_user` prefetches, with only the columns the page shows."""

    participants: list[User]
    threats: list[Threat]
    #: by threat id, in the order of `_factors()`
    factors: dict[UUID, list[VCFactor]]


_PAGE_THREATS = Prepared(
    Threat,
    lambda analysis_id: (
        Threat.objects.filter(analysis_id=analysis_id)
        .only(*PAGE_THREAT_FIELDS)
        .order_by("created_at", "id")  # Threat.Meta.ordering
    ),
    fields=(Threat._meta.get_field("analysis"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_PAGE_FACTORS = Prepared(
    VCFactor,
    lambda analysis_id: (
        VCFactor.objects.filter(threat__analysis_id=analysis_id)
        .only(*PAGE_FACTOR_FIELDS)
        .order_by("kind", "category", "created_at")
    ),
    fields=(Threat._meta.get_field("analysis"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_PARTICIPANTS = Prepared(
    RiskAnalysis.participants.through,
    lambda analysis_id: (
        RiskAnalysis.participants.through.objects.filter(riskanalysis_id=analysis_id)
        .select_related("user")
        .order_by()
    ),
    fields=(RiskAnalysis.participants.through._meta.get_field("riskanalysis"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def participants_of(analysis: RiskAnalysis) -> list[User]:
    """The analysis's participants with an account, in one prepared query."""
    return [row.user for row in _PARTICIPANTS(analysis.pk)]


def get_analysis_page(
    user: User | AnonymousUser, analysis_id: UUID
) -> tuple[RiskAnalysis, AnalysisPage]:
    """The analysis as `get_analysis_for_user` reads it, and what its page shows of its
    participants, threats and factors, read by prepared queries (ADR 0050): as many queries
    as the prefetches (none for factors when there is no threat)."""
    analysis = _ANALYSIS(user, analysis_id)
    threats = _PAGE_THREATS(analysis.pk)
    factors: dict[UUID, list[VCFactor]] = {threat.pk: [] for threat in threats}
    if threats:
        for factor in _PAGE_FACTORS(analysis.pk):
            factors.setdefault(factor.threat_id, []).append(factor)
    return analysis, AnalysisPage(
        participants=participants_of(analysis), threats=threats, factors=factors
    )


def _count_of(queryset: QuerySet[Any], key: str) -> Coalesce:
    """The number of rows of `queryset` (filtered on an OuterRef) as a subquery: counting in
    a subquery keeps the outer query one row per object, whatever else it joins."""
    return Coalesce(
        Subquery(queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _score_tenths() -> Subquery:
    """The analysis's indicative score (the highest of its threats', scoring.py), in tenths,
    rounded half up as `threat_score` rounds: computed by the database on Tier-2 columns, so
    an answer that shows only the score reads no threat. Integer arithmetic, the same on
    SQLite and PostgreSQL: floor((20·L·I·(1+V) + (1+C)) / (2·(1+C))) = round(10·L·I·(1+V)/(1+C))."""
    factors = VCFactor.objects.filter(threat=OuterRef("pk"))
    vulnerabilities = _count_of(factors.filter(kind=FactorKind.VULNERABILITY), "threat")
    capacities = _count_of(factors.filter(kind=FactorKind.CAPACITY), "threat")
    tenths = ExpressionWrapper(
        (
            Value(20) * F("likelihood") * F("impact") * (Value(1) + vulnerabilities)
            + Value(1)
            + capacities
        )
        / (Value(2) * (Value(1) + capacities)),
        output_field=IntegerField(),
    )
    rated = Threat.objects.filter(
        analysis=OuterRef("pk"), likelihood__isnull=False, impact__isnull=False
    )
    return Subquery(rated.annotate(tenths=tenths).order_by("-tenths").values("tenths")[:1])


_ANALYSIS_FOR_API = _reach_lookup(
    RiskAnalysis,
    lambda reach, pk: (
        RiskAnalysis.objects.filter(reach, pk=pk)
        .select_related("subject", "organisation")
        .annotate(
            threat_count=_count_of(Threat.objects.filter(analysis=OuterRef("pk")), "analysis"),
            score_tenths=_score_tenths(),
        )
        .order_by()[:1]
    ),
)


def get_analysis_for_api(user: User | AnonymousUser, analysis_id: UUID) -> RiskAnalysis:
    """The analysis's own fields, the ids of its participants, the number of its threats and
    its indicative score (`score_tenths`), in two queries: the threats themselves are read
    page by page (`threats_of_analysis`)."""
    analysis = _ANALYSIS_FOR_API(user, analysis_id)
    prefetch_related_objects([analysis], Prefetch("participants", queryset=User.objects.only("id")))
    return analysis


#: What a row of the API's list of an analysis's threats shows, and the organisation that
#: binds the summary's ciphertext (it still decrypts through the field, so the read is
#: audited): the other Tier-1 columns are neither read nor kept, the subject and the analysis
#: not joined.
THREAT_LIST_FIELDS = (
    "id",
    "organisation_id",
    "subject_id",
    "analysis_id",
    "summary",
    "step",
    "alert",
    "likelihood",
    "impact",
    "is_focus",
    "version",
)

#: A page of an analysis's threats, prepared (ADR 0050): `threats_visible_to`'s reach.
_THREAT_PAGE = ReachPage(
    Threat,
    "analysis",
    THREAT_LIST_FIELDS,
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
)


def threat_page_of_analysis(
    user: User | AnonymousUser, analysis_id: UUID, *, after: UUID | None, limit: int
) -> list[Threat]:
    """Up to `limit` + 1 threats of the analysis that the person reads (`threats_visible_to`),
    after the threat `after` in primary-key order (ADR 0026), with THREAT_LIST_FIELDS only:
    one more than a page tells whether another follows. Empty when the analysis is not read,
    or not there, or has no threats."""
    return _THREAT_PAGE(user, analysis_id, after=after, limit=limit)


def require_visible_analysis(user: User | AnonymousUser, analysis_id: UUID) -> None:
    """404 unless the person reads the analysis (asked when a page of its threats is empty)."""
    if not analyses_visible_to(user).filter(pk=analysis_id).exists():
        raise Http404


def filter_analyses(
    queryset: QuerySet[RiskAnalysis],
    *,
    status: str = "",
    overdue: bool = False,
    subject: Defender | None = None,
    today: date | None = None,
) -> QuerySet[RiskAnalysis]:
    """The list filters: one status, only stale ones (RISK-4), one subject."""
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(
            status__in=CURRENT_STATUSES, next_review__lt=today or timezone.localdate()
        )
    if subject is not None:
        queryset = queryset.filter(subject=subject)
    return queryset


def _due(reach: Q, today: date, limit: int) -> QuerySet[RiskAnalysis]:
    return (
        RiskAnalysis.objects.filter(reach)
        .filter(
            Q(status=AnalysisStatus.REVIEW_DUE)
            | Q(status=AnalysisStatus.CONCLUDED, next_review__lt=today)
        )
        .select_related("subject")
        .order_by("next_review", "id")[:limit]
    )


#: One prepared query per length of the list (a LIMIT is part of the SQL).
_DUE: dict[int, ReachQuery[RiskAnalysis]] = {}


def analyses_due_for(user: User | AnonymousUser, *, limit: int = 20) -> list[RiskAnalysis]:
    """Dashboard panel (INC-4, RISK-4): analyses due for review, or in force past their review
    date, that the person may work on. Most urgent first: the longest overdue."""
    query = _DUE.get(limit)
    if query is None:
        query = _DUE[limit] = ReachQuery(
            RiskAnalysis,
            lambda reach, today: _due(reach, today, limit),
            staff_perm=Perm.RISK_EDIT,
            collective_perm=Perm.COLLECTIVE_EDIT,
            shares=False,
            prefix="subject__",
            fields=(RiskAnalysis._meta.get_field("next_review"),),
            samples=((date(2001, 1, 1),), (date(2002, 2, 2),)),
        )
    return query(user, timezone.localdate())


def current_analysis_for(user: User | AnonymousUser, subject: Defender) -> RiskAnalysis | None:
    """The analysis in force for the subject (concluded, or concluded and due for review), as
    the person sees it; None when there is none. The plans module starts plans from it."""
    return (
        analysis_with_contents(analyses_visible_to(user))
        .filter(subject=subject, status__in=CURRENT_STATUSES)
        .order_by("-revision", "-analysed_on")
        .first()
    )


#: Every version of a lineage the person reads (`analyses_visible_to`), prepared.
_VERSIONS = ReachQuery(
    RiskAnalysis,
    lambda reach, lineage_id: RiskAnalysis.objects.filter(reach, lineage_id=lineage_id).order_by(
        "revision"
    ),
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
    fields=(RiskAnalysis._meta.get_field("lineage_id"),),
    samples=((UUID(int=7),), (UUID(int=8),)),
)


def versions_of(user: User | AnonymousUser, analysis: RiskAnalysis) -> list[RiskAnalysis]:
    """Every version of the analysis the person sees, oldest first."""
    return _VERSIONS(user, analysis.lineage_id)


def _lineage(reach: Q, analysis_id: UUID) -> QuerySet[RiskAnalysis]:
    lineage = RiskAnalysis.objects.filter(pk=analysis_id).values("lineage_id")
    return (
        RiskAnalysis.objects.filter(reach, lineage_id__in=lineage)
        .select_related("subject", "organisation")
        .order_by("revision")
    )


#: Every version of an analysis's lineage the person reads (`analyses_visible_to`), prepared.
_LINEAGE = ReachQuery(
    RiskAnalysis,
    _lineage,
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
    fields=(RiskAnalysis._meta.pk,),
    samples=((UUID(int=5),), (UUID(int=6),)),
)


def lineage_for_user(
    user: User | AnonymousUser, analysis_id: UUID
) -> tuple[RiskAnalysis, list[RiskAnalysis]]:
    """The analysis and every version of its lineage the person sees, oldest first, in one
    query: the lineage comes from a subquery, so the compare page does not load the analysis
    and then its versions (which include it) again. 404 when the analysis is invisible."""
    versions = _LINEAGE(user, analysis_id)
    analysis = next((version for version in versions if version.pk == analysis_id), None)
    if analysis is None:
        raise Http404
    return analysis, versions


def with_document_contents(analysis: RiskAnalysis) -> RiskAnalysis:
    """Load onto an analysis already read what `versions.analysis_document` reads:
    participants, threats with their source actor, factors, and the ids of linked incidents
    (their codes are all the document keeps, so no other column of an incident is read)."""
    prefetch_related_objects(
        [analysis],
        "participants",
        Prefetch(
            "threats",
            queryset=Threat.objects.select_related("source_actor").prefetch_related(
                _factors(), Prefetch("incidents", queryset=Incident.objects.only("id"))
            ),
        ),
    )
    return analysis


@dataclass(frozen=True)
class DocumentContents:
    """What `versions.analysis_document` reads of an analysis, as `document_contents` read
    it: the same rows, in the same order, as `with_document_contents` prefetches."""

    participants: list[User]
    threats: list[Threat]
    #: by threat id, in the order of `_factors()`
    factors: dict[UUID, list[VCFactor]]
    #: by threat id
    incident_codes: dict[UUID, list[str]]


_ANALYSIS_FK = Threat._meta.get_field("analysis")
_DOCUMENT_THREATS = Prepared(
    Threat,
    lambda analysis_id: (
        Threat.objects.filter(analysis_id=analysis_id)
        .select_related("source_actor")
        .order_by("created_at", "id")  # Threat.Meta.ordering
    ),
    fields=(_ANALYSIS_FK,),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_DOCUMENT_FACTORS = Prepared(
    VCFactor,
    lambda analysis_id: VCFactor.objects.filter(threat__analysis_id=analysis_id).order_by(
        "kind", "category", "created_at"
    ),
    fields=(_ANALYSIS_FK,),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_DOCUMENT_INCIDENTS = Prepared(
    Incident,
    lambda analysis_id: (
        Incident.objects.filter(threats__analysis_id=analysis_id)
        .annotate(threat_id=F("threats__id"))
        .only("id")
        .order_by()
    ),
    fields=(_ANALYSIS_FK,),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def _latest_snapshots(analysis_ids: list[UUID]) -> QuerySet[AnalysisSnapshot]:
    latest = (
        AnalysisSnapshot.objects.filter(analysis_id=OuterRef("analysis_id"))
        .order_by("-taken_at", "-id")
        .values("pk")[:1]
    )
    return AnalysisSnapshot.objects.filter(analysis_id__in=analysis_ids, pk=Subquery(latest))


_LATEST_SNAPSHOTS = Prepared(
    AnalysisSnapshot,
    _latest_snapshots,
    fields=(AnalysisSnapshot._meta.get_field("analysis"),),
    samples=(([UUID(int=1)],), ([UUID(int=2)],)),
)


def latest_snapshots(analysis_ids: list[UUID]) -> list[AnalysisSnapshot]:
    """The latest snapshot of each of these analyses (the caller has checked access), in one
    prepared query; only those are read, so decrypted and audited."""
    return _LATEST_SNAPSHOTS(analysis_ids)


def document_contents(analysis: RiskAnalysis) -> DocumentContents:
    """`with_document_contents` as prepared queries (ADR 0050), for the compare page: the
    participants, the threats with their source actor, their factors and their incidents'
    codes (nothing else of an incident is read). Four queries, each compiled once per
    connection."""
    threats = _DOCUMENT_THREATS(analysis.pk)
    factors: dict[UUID, list[VCFactor]] = {threat.pk: [] for threat in threats}
    codes: dict[UUID, list[str]] = {threat.pk: [] for threat in threats}
    if threats:
        for factor in _DOCUMENT_FACTORS(analysis.pk):
            factors.setdefault(factor.threat_id, []).append(factor)
        for incident in _DOCUMENT_INCIDENTS(analysis.pk):
            codes.setdefault(incident.threat_id, []).append(incident.code)  # type: ignore[attr-defined]
    return DocumentContents(
        participants=participants_of(analysis),
        threats=threats,
        factors=factors,
        incident_codes=codes,
    )


def open_draft_among(versions: Iterable[RiskAnalysis]) -> RiskAnalysis | None:
    """The version still being written among the versions of one lineage (from
    `versions_of`), if any: the same answer as `open_draft_of`, without a query."""
    drafts = [
        v for v in versions if v.status in (AnalysisStatus.DRAFT, AnalysisStatus.IN_CONSULTATION)
    ]
    return max(drafts, key=lambda v: v.revision, default=None)


def open_draft_of(analysis: RiskAnalysis) -> RiskAnalysis | None:
    """The version of this lineage that is still being written, if any."""
    return (
        RiskAnalysis.objects.filter(
            lineage_id=analysis.lineage_id,
            status__in=[AnalysisStatus.DRAFT, AnalysisStatus.IN_CONSULTATION],
        )
        .order_by("-revision")
        .first()
    )


def participant_candidates(subject: Defender) -> QuerySet[User]:
    """People who may be named as having taken part: the defender's own account, members of
    the collective, and staff of the desk that keeps the record."""
    staff_roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.RISK_VIEW in perms]
    memberships = Membership.objects.filter(is_active=True).filter(
        Q(organisation_id=subject.organisation_id, role__in=staff_roles)
        | Q(organisation_id=subject.collective_organisation_id)
    )
    q = Q(pk__in=memberships.values("user_id"))
    if subject.user_id is not None:
        q |= Q(pk=subject.user_id)
    return User.objects.filter(q, is_active=True).order_by("display_name", "email")


def defender_participants(subject: Defender, users: Iterable[User]) -> list[User]:
    """Which of these people are the defender or members of the collective (RISK-6)."""
    people = list(users)
    members: set[Any] = set()
    if subject.collective_organisation_id is not None:
        members = set(
            Membership.objects.filter(
                organisation_id=subject.collective_organisation_id,
                is_active=True,
                user_id__in=[p.pk for p in people],
            ).values_list("user_id", flat=True)
        )
    return [p for p in people if p.pk == subject.user_id or p.pk in members]


# --- threats ---


def threats_visible_to(user: User | AnonymousUser) -> QuerySet[Threat]:
    return (
        Threat.objects.filter(_reach_q(user))
        .select_related("subject", "analysis")
        .order_by("-created_at", "-id")
    )


_THREAT = _reach_lookup(
    Threat,
    lambda reach, pk: (
        Threat.objects.filter(reach, pk=pk)
        .select_related("subject", "analysis", "source_actor")
        .order_by()[:1]
    ),
)


def get_threat_for_user(
    user: User | AnonymousUser, threat_id: UUID, *, for_write: bool = False
) -> Threat:
    threat = _THREAT(user, threat_id)
    if for_write and not rules.can_edit_threat(user, threat):
        raise PermissionDenied
    prefetch_related_objects([threat], _factors())
    return threat


#: What the threat page shows of a factor.
_THREAT_PAGE_FACTORS = Prepared(
    VCFactor,
    lambda threat_id: (
        VCFactor.objects.filter(threat_id=threat_id)
        .only(*PAGE_FACTOR_FIELDS)
        .order_by("kind", "category", "created_at")
    ),
    fields=(VCFactor._meta.get_field("threat"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def get_threat_page(user: User | AnonymousUser, threat_id: UUID) -> tuple[Threat, list[VCFactor]]:
    """The threat as `get_threat_for_user` reads it, and its factors (the same rows, in the
    same order, as its prefetch, with the columns the page shows), each query prepared."""
    threat = _THREAT(user, threat_id)
    return threat, _THREAT_PAGE_FACTORS(threat.pk)


_THREAT_FOR_API = _reach_lookup(
    Threat,
    lambda reach, pk: (
        Threat.objects.filter(reach, pk=pk)
        .select_related("subject", "analysis")
        .annotate(factor_count=_count_of(VCFactor.objects.filter(threat=OuterRef("pk")), "threat"))
        .order_by()[:1]
    ),
)


def get_threat_for_api(user: User | AnonymousUser, threat_id: UUID) -> Threat:
    """The threat's own fields and the number of its factors (one query): the factors are
    read page by page (`factors_of_threat`)."""
    return _THREAT_FOR_API(user, threat_id)


def factors_of_threat(user: User | AnonymousUser, threat_id: UUID) -> QuerySet[VCFactor]:
    reach = defender_q(
        user,
        staff_perm=Perm.RISK_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="threat__subject__",
    )
    return VCFactor.objects.filter(reach, threat_id=threat_id)


def require_visible_threat(user: User | AnonymousUser, threat_id: UUID) -> None:
    """404 unless the person reads the threat (asked when a page of its factors is empty)."""
    if not threats_visible_to(user).filter(pk=threat_id).exists():
        raise Http404


def get_factor_for_user(
    user: User | AnonymousUser, factor_id: UUID, *, for_write: bool = False
) -> VCFactor:
    factor = get_object_or_404(
        VCFactor.objects.filter(threat__in=threats_visible_to(user).values("pk")).select_related(
            "threat__subject", "threat__analysis"
        ),
        pk=factor_id,
    )
    if for_write and not rules.can_edit_threat(user, factor.threat):
        raise PermissionDenied
    return factor


_ALERT_HISTORY = Prepared(
    AlertDecision,
    lambda lineage_id: (
        AlertDecision.objects.filter(lineage_id=lineage_id)
        .select_related("decided_by")
        .order_by("decided_at", "id")  # AlertDecision.Meta.ordering
    ),
    fields=(AlertDecision._meta.get_field("lineage_id"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def alert_history(threat: Threat) -> list[AlertDecision]:
    """Every alert decision about this threat, in this version and in earlier ones."""
    return _ALERT_HISTORY(threat.lineage_id)


def attachable_threats(subject: Defender) -> QuerySet[Threat]:
    """Threat assessments of the subject that belong to no analysis yet."""
    return Threat.objects.filter(subject=subject, analysis__isnull=True).order_by(
        "-created_at", "-id"
    )


def source_actors_for(subject: Defender) -> QuerySet[Actor]:
    """The source is picked among the actors mapped for the same subject."""
    return Actor.objects.filter(subject=subject).order_by("created_at", "id")


# --- incidents ---


def _visible_incidents(user: User | AnonymousUser, subject: Defender) -> QuerySet[Incident]:
    """Incidents the person sees through the register's own access path when it has one;
    until then, those kept by the subject's desk or the person's own desks, for people who
    reach the subject in the register."""
    try:
        # The register's access path, when present, is the one truth about who sees what.
        from amparo.incidents.queries import (  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
            incidents_visible_to,
        )
    except ImportError:
        if not reaches(
            user, subject, staff_perm=Perm.INCIDENTS_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
        ):
            return Incident.objects.none()
        organisations = {subject.organisation_id} | organisations_with(user, Perm.INCIDENTS_VIEW)
        return Incident.objects.filter(organisation_id__in=organisations)
    visible: QuerySet[Incident] = incidents_visible_to(user)
    return visible


def incidents_for_linking(user: User | AnonymousUser, subject: Defender) -> QuerySet[Incident]:
    """Incidents against the subject that the person sees: the ones a threat may link."""
    against_subject = Act.objects.filter(victim=subject).values("incident_id")
    return (
        _visible_incidents(user, subject)
        .filter(pk__in=against_subject)
        .order_by("-occurred_on", "-created_at", "-id")
    )


def _linked_incidents(
    threat_id: UUID, user_id: Any, staff: Collection[Any], collectives: Collection[Any]
) -> QuerySet[Incident]:
    reached = Incident.objects.filter(visible_incidents_q_for(user_id, staff, collectives))
    return reached.filter(threats=threat_id).order_by("-occurred_on", "-created_at", "-id")


#: `_linked_incidents`, compiled once per connection and shape of the person's reach.
_LINKED_INCIDENTS = Prepared(
    Incident,
    _linked_incidents,
    fields=(
        Threat._meta.pk,
        Incident._meta.get_field("reported_by"),
        Incident._meta.get_field("organisation"),
        Defender._meta.get_field("collective_organisation"),
    ),
    samples=((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ())),
)


def visible_linked_incidents(user: User | AnonymousUser, threat: Threat) -> list[Incident]:
    """The threat's incidents, only those the person sees (a link is no way around access):
    the register's own reach (`incidents.queries.visible_incidents_q`), prepared."""
    if not user.is_authenticated:
        return []
    return _LINKED_INCIDENTS(threat.pk, *incident_reach(user))
