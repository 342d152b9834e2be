"""JSON API of the risk module (/api/v1/), through the same access paths and services as the
pages: `queries` decides who sees what (404 for the invisible), `rules` who may write (403),
`services` what the method allows (400 with the reason) and optimistic locking (409 with the
saved version). An analysis or a threat answers with its own fields, ids and counts; its
threats, or its vulnerabilities and capacities, are read page by page under its own path
(PERFORMANCE.md: 6 queries per endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.params.functions import Path
from pydantic import Field

from amparo.accounts.models import User
from amparo.api.conflicts import version_conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ConflictOut, ErrorOut
from amparo.core.locking import EditConflict
from amparo.risk import queries, services
from amparo.risk.enums import (
    Acceptability,
    AcceptabilityReason,
    AnalysisStatus,
    ReviewTrigger,
    RiskLevel,
)
from amparo.risk.models import RiskAnalysis, Threat

router = Router(tags=["risk"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class RiskConflictOut(ConflictOut):
    current_version: int


WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: ErrorOut, 409: RiskConflictOut}


# --- schemas ---


class FactorOut(Schema):
    id: UUID
    kind: str = Field(description="V (vulnerability) or C (capacity).")
    category: str
    description: str
    lenses: list[str] = Field(description="Intersectional lenses (RISK-5).")
    version: int


class ThreatSummaryOut(Schema):
    id: UUID
    subject_id: UUID
    analysis_id: UUID | None
    summary: str
    step: int = Field(description="The last of the five steps recorded; 0 before the first.")
    alert: str
    likelihood: int | None
    impact: int | None
    is_focus: bool
    version: int


class FactorPage(Schema):
    items: list[FactorOut]
    next_after: UUID | None


class ThreatOut(ThreatSummaryOut):
    """The threat's own fields. Its vulnerabilities and capacities are read page by page at
    `/risk/threats/{threat_id}/factors`."""

    nature: str
    directness: str
    domain: str
    recurrence: str
    bounded_to: list[str]
    facts: str
    pattern_means: str
    pattern_timing: str
    pattern_symbols: str
    pattern_content: str
    objective: str
    source_actor_id: UUID | None
    source_description: str
    capability: str
    intent: str
    conclusion: str
    incident_ids: list[UUID] = Field(description="Linked incidents you can see.")
    factor_count: int = Field(description="Vulnerabilities and capacities recorded.")
    created_at: datetime
    updated_at: datetime


class ThreatPage(Schema):
    items: list[ThreatSummaryOut]
    next_after: UUID | None


class AnalysisSummaryOut(Schema):
    id: UUID
    subject_id: UUID
    status: str
    revision: int
    lineage_id: UUID
    analysed_on: date
    next_review: date
    is_stale: bool = Field(description="In force but past its review date (RISK-4).")
    is_participatory: bool
    level: str
    version: int


class AnalysisOut(AnalysisSummaryOut):
    """The analysis's own fields. Its threats are read page by page at
    `/risk/analyses/{analysis_id}/threats`."""

    previous_id: UUID | None
    context: str
    participant_ids: list[UUID]
    participants_other: str
    defenders_present: int
    consultation: str
    level_rationale: str
    indicative_score: str | None = Field(
        description="Threat x vulnerabilities / capacities, information only (RISK-2)."
    )
    acceptability: str
    acceptability_reasons: list[str]
    decision_by: str
    decision_rationale: str
    decided_on: date | None
    review_triggers: list[str]
    review_reason: str
    threat_count: int


class AnalysisPage(Schema):
    items: list[AnalysisSummaryOut]
    next_after: UUID | None


class AnalysisFields(Schema):
    """Fields people write; omitted ones stay as they are."""

    analysed_on: date | None = None
    next_review: date | None = None
    context: str | None = None
    participant_ids: list[UUID] | None = None
    participants_other: str | None = None
    defenders_present: int | None = Field(None, ge=0, le=10_000)
    consultation: str | None = None
    level: RiskLevel | None = None
    level_rationale: str | None = None
    acceptability: Acceptability | None = None
    acceptability_reasons: list[AcceptabilityReason] | None = None
    decision_by: str | None = None
    decision_rationale: str | None = None
    decided_on: date | None = None
    review_triggers: list[ReviewTrigger] | None = None


class AnalysisIn(AnalysisFields):
    subject_id: UUID
    analysed_on: date | None = Field(None, description="Default: today.")
    next_review: date | None = Field(None, description="Default: 90 days after the analysis.")


class AnalysisPatch(AnalysisFields):
    version: int = Field(ge=1, description="The version you read (optimistic locking).")


class StepIn(Schema):
    version: int = Field(ge=1, description="The version of the threat you read.")
    facts: str | None = None
    pattern_means: str | None = None
    pattern_timing: str | None = None
    pattern_symbols: str | None = None
    pattern_content: str | None = None
    objective: str | None = None
    source_actor_id: UUID | None = Field(None, description="An actor mapped for the subject.")
    source_description: str | None = None
    capability: str | None = None
    intent: str | None = None
    conclusion: str | None = None


# --- helpers ---


def _page_of(
    rows: QuerySet[Any], after: UUID | None, limit: int, require_parent: Callable[[], None]
) -> dict[str, Any]:
    """A page of an object's parts. The rows are filtered through the access path already,
    so only an empty page needs to ask whether the object itself is visible (404)."""
    page = pk_page(rows, after, limit)
    if not page["items"]:
        require_parent()
    return page


_THREAT_TEXT = (
    "summary",
    "nature",
    "directness",
    "domain",
    "recurrence",
    "facts",
    "pattern_means",
    "pattern_timing",
    "pattern_symbols",
    "pattern_content",
    "objective",
    "source_description",
    "capability",
    "intent",
    "conclusion",
    "alert",
)


def _threat_summary_out(threat: Threat) -> dict[str, Any]:
    """A threat as ThreatSummaryOut shows it, from `queries.THREAT_LIST_FIELDS` (plain dicts:
    no schema resolution per attribute of a model instance)."""
    return {
        "id": threat.pk,
        "subject_id": threat.subject_id,
        "analysis_id": threat.analysis_id,
        "summary": threat.summary,
        "step": threat.step,
        "alert": threat.alert,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "is_focus": threat.is_focus,
        "version": threat.version,
    }


def _threat_out(user: User, threat: Threat) -> dict[str, Any]:
    """`threat` comes from `queries.get_threat_for_api` (with `factor_count`)."""
    incident_ids = [i.pk for i in queries.visible_linked_incidents(user, threat)]
    return {
        "id": threat.pk,
        "subject_id": threat.subject_id,
        "analysis_id": threat.analysis_id,
        # Fields added after the first migration may hold NULL: read as empty.
        **{name: getattr(threat, name) or "" for name in _THREAT_TEXT},
        "step": threat.step,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "is_focus": threat.is_focus,
        "bounded_to": list(threat.bounded_to or []),
        "source_actor_id": threat.source_actor_id,
        "incident_ids": sorted(incident_ids, key=str),
        "factor_count": getattr(threat, "factor_count", 0),
        "version": threat.version,
        "created_at": threat.created_at,
        "updated_at": threat.updated_at,
    }


_ANALYSIS_TEXT = (
    "context",
    "participants_other",
    "consultation",
    "level_rationale",
    "decision_by",
    "decision_rationale",
)


def _analysis_out(analysis: RiskAnalysis) -> dict[str, Any]:
    """`analysis` comes from `queries.get_analysis_for_api` (with `threat_count` and
    `score_tenths`)."""
    tenths = getattr(analysis, "score_tenths", None)
    score = (Decimal(tenths) / 10).quantize(Decimal("0.1")) if tenths is not None else None
    return {
        **{
            name: getattr(analysis, name)
            for name in (
                "id",
                "subject_id",
                "status",
                "revision",
                "lineage_id",
                "previous_id",
                "analysed_on",
                "next_review",
                "is_stale",
                "is_participatory",
                "level",
                "version",
                "defenders_present",
                "acceptability",
                "decided_on",
                "review_reason",
            )
        },
        **{name: getattr(analysis, name) or "" for name in _ANALYSIS_TEXT},
        "participant_ids": [p.pk for p in analysis.participants.all()],
        "acceptability_reasons": list(analysis.acceptability_reasons),
        "review_triggers": list(analysis.review_triggers),
        "indicative_score": str(score) if score is not None else None,
        "threat_count": getattr(analysis, "threat_count", 0),
    }


def _detail(user: User, analysis_id: UUID) -> dict[str, Any]:
    return _analysis_out(queries.get_analysis_for_api(user, analysis_id))


def _fields(payload: AnalysisFields, subject: Any) -> tuple[dict[str, Any], list[User] | None]:
    """Schema → service arguments. A field left out, or sent as null, stays as it is, except
    `decided_on` (null clears it) and `next_review` (null: the default on creation, refused on
    a change). Participants are resolved among the people who may be named."""
    data = payload.dict(exclude_unset=True, exclude={"version", "subject_id"})
    ids = data.pop("participant_ids", None)
    people = None
    if ids is not None:
        candidates = {p.pk: p for p in queries.participant_candidates(subject)}
        if any(pk not in candidates for pk in ids):
            raise services.RiskRuleError(_("Choose participants among the people offered."))
        people = [candidates[pk] for pk in ids]
    cleaned: dict[str, Any] = {}
    for name, given in data.items():
        if given is None and name not in ("decided_on", "next_review"):
            continue
        if isinstance(given, list):
            cleaned[name] = [str(getattr(item, "value", item)) for item in given]
        elif isinstance(given, Enum):
            cleaned[name] = str(given.value)
        else:
            cleaned[name] = given
    return cleaned, people


def _refused(error: services.RiskRuleError) -> Status[Any]:
    return Status(400, {"detail": error.message})


STEP: Any = Path(
    ..., ge=1, le=5, description="1 facts, 2 pattern, 3 objective, 4 source, 5 conclusion."
)


# --- analyses ---


@router.get(
    "/risk/analyses",
    response={200: AnalysisPage, **ERRORS},
    url_name="risk-analysis-list",
    summary="Risk analyses I can see",
)
def analysis_list(  # noqa: PLR0917 -- ninja reads query parameters from the signature
    request: HttpRequest,
    defender: UUID | None = None,
    status: AnalysisStatus | None = None,
    overdue: bool = False,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    user = caller(request)
    rows = queries.filter_analyses(
        queries.analyses_visible_to(user), status=status.value if status else "", overdue=overdue
    )
    if defender is not None:
        rows = rows.filter(subject_id=defender)
    return pk_page(rows, after, limit)


@router.get(
    "/risk/analyses/{uuid:analysis_id}",
    response={200: AnalysisOut, **ERRORS},
    url_name="risk-analysis-detail",
    summary="One risk analysis: its own fields, participants, number of threats and score",
    description="Its threats are listed page by page at `/risk/analyses/{analysis_id}/threats`.",
)
def analysis_detail(request: HttpRequest, analysis_id: UUID) -> dict[str, Any]:
    return _detail(caller(request), analysis_id)


@router.get(
    "/risk/analyses/{uuid:analysis_id}/threats",
    response={200: ThreatPage, **ERRORS},
    url_name="risk-analysis-threat-list",
    summary="The threats of a risk analysis, page by page",
    description="A threat's vulnerabilities and capacities: `/risk/threats/{threat_id}/factors`.",
)
def analysis_threat_list(
    request: HttpRequest,
    analysis_id: UUID,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    user = caller(request)
    rows = queries.threat_page_of_analysis(user, analysis_id, after=after, limit=limit)
    if not rows:
        queries.require_visible_analysis(user, analysis_id)
    more = len(rows) > limit
    threats = rows[:limit]
    return {
        "items": [_threat_summary_out(threat) for threat in threats],
        "next_after": threats[-1].pk if more else None,
    }


@router.post(
    "/risk/analyses",
    response={201: AnalysisOut, **WRITE_ERRORS},
    url_name="risk-analysis-create",
    summary="Start a risk analysis (a draft)",
)
def analysis_create(request: HttpRequest, payload: AnalysisIn) -> Status[Any]:
    user = caller(request)
    subject = queries.get_subject_for_user(user, payload.subject_id, for_write=True)
    try:
        data, people = _fields(payload, subject)
        data.setdefault("analysed_on", timezone.localdate())
        if data.get("next_review", 0) is None:
            data.pop("next_review")  # the service proposes the default interval
        analysis = services.create_analysis(
            subject=subject, actor=user, participants=people or [], **data
        )
    except services.RiskRuleError as error:
        return _refused(error)
    return Status(201, _detail(user, analysis.pk))


@router.patch(
    "/risk/analyses/{uuid:analysis_id}",
    response={200: AnalysisOut, **WRITE_ERRORS},
    url_name="risk-analysis-update",
    summary="Change a draft analysis",
)
def analysis_update(request: HttpRequest, analysis_id: UUID, payload: AnalysisPatch) -> Any:
    user = caller(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    try:
        data, people = _fields(payload, analysis.subject)
        if "next_review" in data and data["next_review"] is None:
            raise services.RiskRuleError(_("Every analysis needs a next review date."))
        services.update_analysis(
            analysis=analysis,
            actor=user,
            expected_version=payload.version,
            participants=people,
            **data,
        )
    except services.RiskRuleError as error:
        return _refused(error)
    except EditConflict as error:
        return version_conflict(error)
    return Status(200, _detail(user, analysis_id))


# --- threats ---


@router.get(
    "/risk/threats",
    response={200: ThreatPage, **ERRORS},
    url_name="risk-threat-list",
    summary="Threat assessments I can see",
)
def threat_list(
    request: HttpRequest,
    defender: UUID | None = None,
    analysis: UUID | None = None,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    rows = queries.threats_visible_to(caller(request))
    if defender is not None:
        rows = rows.filter(subject_id=defender)
    if analysis is not None:
        rows = rows.filter(analysis_id=analysis)
    return pk_page(rows, after, limit)


@router.get(
    "/risk/threats/{uuid:threat_id}",
    response={200: ThreatOut, **ERRORS},
    url_name="risk-threat-detail",
    summary="One threat assessment: its own fields, linked incidents and number of factors",
    description="Its vulnerabilities and capacities: `/risk/threats/{threat_id}/factors`.",
)
def threat_detail(request: HttpRequest, threat_id: UUID) -> dict[str, Any]:
    user = caller(request)
    return _threat_out(user, queries.get_threat_for_api(user, threat_id))


@router.get(
    "/risk/threats/{uuid:threat_id}/factors",
    response={200: FactorPage, **ERRORS},
    url_name="risk-threat-factor-list",
    summary="The vulnerabilities and capacities of a threat, page by page",
)
def threat_factor_list(
    request: HttpRequest,
    threat_id: UUID,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> FactorPage:
    user = caller(request)
    page = _page_of(
        queries.factors_of_threat(user, threat_id),
        after,
        limit,
        lambda: queries.require_visible_threat(user, threat_id),
    )
    page["items"] = [
        {
            "id": factor.pk,
            "kind": factor.kind,
            "category": factor.category,
            "description": factor.description,
            "lenses": list(factor.lenses or []),
            "version": factor.version,
        }
        for factor in page["items"]
    ]
    return page_from(FactorPage, FactorOut, page)


@router.post(
    "/risk/threats/{uuid:threat_id}/steps/{step}",
    response={200: ThreatOut, **WRITE_ERRORS},
    url_name="risk-threat-step",
    summary="Record one of the five steps (in order: RISK-1)",
)
def threat_step(request: HttpRequest, threat_id: UUID, payload: StepIn, step: int = STEP) -> Any:
    user = caller(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    values: dict[str, Any] = payload.dict(exclude={"version", "source_actor_id"})
    try:
        if payload.source_actor_id is not None:
            actor = (
                queries.source_actors_for(threat.subject).filter(pk=payload.source_actor_id).first()
            )
            if actor is None:
                raise services.RiskRuleError(
                    _("Choose the source among the actors mapped for this subject.")
                )
            values["source_actor"] = actor
        services.record_threat_step(
            threat=threat,
            actor=user,
            step=step,
            expected_version=payload.version,
            values=values,
        )
    except services.RiskRuleError as error:
        return _refused(error)
    except EditConflict as error:
        return version_conflict(error)
    return Status(200, _threat_out(user, queries.get_threat_for_api(user, threat_id)))
